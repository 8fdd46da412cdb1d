#include "core/imageindex.h"

#include "core/jsonobject.h"
#include "core/mediatypes.h"

namespace porthole {

using namespace Qt::StringLiterals;

static Error indexError(const QString &why)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("parse image index: ") + why);
}

Result<ImageIndex> ImageIndex::parse(const QByteArray &bytes)
{
    PH_TRY(const QJsonObject o, json::parseObject(bytes, QStringLiteral("image index")));
    return fromJson(o);
}

Result<ImageIndex> ImageIndex::fromJson(const QJsonObject &o)
{
    ImageIndex idx;
    auto field = [](const Error &e) { return indexError(e.message); };

    auto type = json::readString(o, u"mediaType", QString());
    if (!type)
        return field(type.error());
    idx.mediaType = *type;
    if (mediatype::isManifestType(idx.mediaType) || mediatype::isSchema1Type(idx.mediaType))
        return indexError(QStringLiteral("the document is an image manifest (%1), not an index").arg(idx.mediaType));
    if (!idx.mediaType.isEmpty() && !mediatype::isIndexType(idx.mediaType))
        return indexError(QStringLiteral("unsupported media type \"%1\"").arg(idx.mediaType));
    if (idx.mediaType.isEmpty() && o.contains("layers"_L1) && !o.contains("manifests"_L1))
        return indexError(QStringLiteral("the document is an image manifest, not an index"));

    PH_CHECK(json::checkSchemaVersion2(o, QStringLiteral("image index")));

    auto manifests = json::readArray(o, u"manifests", QString(), true);
    if (!manifests)
        return field(manifests.error());
    for (qsizetype i = 0; i < manifests->size(); ++i) {
        const QString path = json::indexPath(QStringLiteral("manifests"), i);
        const QJsonValue v = manifests->at(i);
        if (!v.isObject())
            return field(json::fieldError(path, QStringLiteral("must be an object")));
        auto entry = Descriptor::fromJson(v.toObject(), path);
        if (!entry)
            return field(entry.error());
        idx.manifests.append(*entry);
    }

    auto annotations = json::readStringMap(o, u"annotations", QString());
    if (!annotations)
        return field(annotations.error());
    idx.annotations = *annotations;
    idx.unknown = json::without(o, {"schemaVersion"_L1, "mediaType"_L1, "manifests"_L1, "annotations"_L1});
    return idx;
}

QJsonObject ImageIndex::toJsonObject() const
{
    QJsonObject o = unknown;
    o.insert("schemaVersion"_L1, schemaVersion);
    if (!mediaType.isEmpty())
        o.insert("mediaType"_L1, mediaType);
    QJsonArray arr;
    for (const Descriptor &d : manifests)
        arr.append(d.toJson());
    o.insert("manifests"_L1, arr);
    if (!annotations.isEmpty())
        o.insert("annotations"_L1, json::fromStringMap(annotations));
    return o;
}

QByteArray ImageIndex::toJson() const
{
    return json::compact(toJsonObject());
}

bool ImageIndex::isDocker() const
{
    return mediaType == mediatype::DockerManifestList;
}

} // namespace porthole
