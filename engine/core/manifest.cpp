#include "core/manifest.h"

#include "core/jsonobject.h"
#include "core/mediatypes.h"

namespace porthole {

using namespace Qt::StringLiterals;

static Error manifestError(const QString &why)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("parse image manifest: ") + why);
}

Result<Manifest> Manifest::parse(const QByteArray &bytes)
{
    PH_TRY(const QJsonObject o, json::parseObject(bytes, QStringLiteral("image manifest")));
    return fromJson(o);
}

Result<Manifest> Manifest::fromJson(const QJsonObject &o)
{
    Manifest m;
    auto field = [](const Error &e) { return manifestError(e.message); };

    auto type = json::readString(o, u"mediaType", QString());
    if (!type)
        return field(type.error());
    m.mediaType = *type;
    if (mediatype::isSchema1Type(m.mediaType))
        return manifestError(QStringLiteral("schema 1 manifests (%1) are not supported").arg(m.mediaType));
    if (mediatype::isIndexType(m.mediaType))
        return manifestError(QStringLiteral("the document is an image index (%1), not a manifest").arg(m.mediaType));
    if (!m.mediaType.isEmpty() && !mediatype::isManifestType(m.mediaType))
        return manifestError(QStringLiteral("unsupported media type \"%1\"").arg(m.mediaType));
    if (m.mediaType.isEmpty() && o.contains("manifests"_L1) && !o.contains("layers"_L1))
        return manifestError(QStringLiteral("the document is an image index, not a manifest"));

    PH_CHECK(json::checkSchemaVersion2(o, QStringLiteral("image manifest")));

    auto configObject = json::readObject(o, u"config", QString(), true);
    if (!configObject)
        return field(configObject.error());
    auto config = Descriptor::fromJson(*configObject, QStringLiteral("config"));
    if (!config)
        return field(config.error());
    m.config = *config;

    auto layers = json::readArray(o, u"layers", QString(), true);
    if (!layers)
        return field(layers.error());
    for (qsizetype i = 0; i < layers->size(); ++i) {
        const QString path = json::indexPath(QStringLiteral("layers"), i);
        const QJsonValue v = layers->at(i);
        if (!v.isObject())
            return field(json::fieldError(path, QStringLiteral("must be an object")));
        auto layer = Descriptor::fromJson(v.toObject(), path);
        if (!layer)
            return field(layer.error());
        m.layers.append(*layer);
    }

    auto annotations = json::readStringMap(o, u"annotations", QString());
    if (!annotations)
        return field(annotations.error());
    m.annotations = *annotations;
    m.unknown = json::without(o, {"schemaVersion"_L1, "mediaType"_L1, "config"_L1, "layers"_L1, "annotations"_L1});
    return m;
}

QJsonObject Manifest::toJsonObject() const
{
    QJsonObject o = unknown;
    o.insert("schemaVersion"_L1, schemaVersion);
    if (!mediaType.isEmpty())
        o.insert("mediaType"_L1, mediaType);
    o.insert("config"_L1, config.toJson());
    QJsonArray arr;
    for (const Descriptor &d : layers)
        arr.append(d.toJson());
    o.insert("layers"_L1, arr);
    if (!annotations.isEmpty())
        o.insert("annotations"_L1, json::fromStringMap(annotations));
    return o;
}

QByteArray Manifest::toJson() const
{
    return json::compact(toJsonObject());
}

bool Manifest::isDocker() const
{
    return mediaType == mediatype::DockerManifest;
}

} // namespace porthole
