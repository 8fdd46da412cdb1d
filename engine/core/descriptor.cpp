#include "core/descriptor.h"

#include "core/jsonobject.h"

namespace porthole {

using namespace Qt::StringLiterals;

Result<Platform> Platform::fromJson(const QJsonObject &o, const QString &path)
{
    Platform p;
    PH_TRY(p.os, json::readString(o, u"os", path));
    PH_TRY(p.architecture, json::readString(o, u"architecture", path));
    PH_TRY(p.variant, json::readString(o, u"variant", path));
    PH_TRY(p.osVersion, json::readString(o, u"os.version", path));
    PH_TRY(p.osFeatures, json::readStringList(o, u"os.features", path));
    p.unknown = json::without(o, {"os"_L1, "architecture"_L1, "variant"_L1, "os.version"_L1, "os.features"_L1});
    return p;
}

QJsonObject Platform::toJson() const
{
    QJsonObject o = unknown;
    // The spec requires os and architecture, so they are written even when empty.
    o.insert("os"_L1, os);
    o.insert("architecture"_L1, architecture);
    if (!variant.isEmpty())
        o.insert("variant"_L1, variant);
    if (!osVersion.isEmpty())
        o.insert("os.version"_L1, osVersion);
    if (!osFeatures.isEmpty())
        o.insert("os.features"_L1, json::fromStringList(osFeatures));
    return o;
}

Result<Descriptor> Descriptor::fromJson(const QJsonObject &o, const QString &path)
{
    Descriptor d;
    PH_TRY(d.mediaType, json::readString(o, u"mediaType", path));
    PH_TRY(d.digest, json::readDigest(o, u"digest", path, true));
    PH_TRY(d.size, json::readCount(o, u"size", path, true));
    PH_TRY(d.urls, json::readStringList(o, u"urls", path));
    PH_TRY(d.annotations, json::readStringMap(o, u"annotations", path));
    if (o.contains("platform"_L1) && !o.value("platform"_L1).isNull()) {
        const QString platformPath = json::fieldPath(path, u"platform");
        PH_TRY(const QJsonObject po, json::readObject(o, u"platform", path));
        PH_TRY(d.platform, Platform::fromJson(po, platformPath));
    }
    d.unknown = json::without(o, {"mediaType"_L1, "digest"_L1, "size"_L1, "urls"_L1, "annotations"_L1, "platform"_L1});
    return d;
}

QJsonObject Descriptor::toJson() const
{
    QJsonObject o = unknown;
    if (!mediaType.isEmpty())
        o.insert("mediaType"_L1, mediaType);
    o.insert("digest"_L1, digest.toString());
    o.insert("size"_L1, size);
    if (!urls.isEmpty())
        o.insert("urls"_L1, json::fromStringList(urls));
    if (!annotations.isEmpty())
        o.insert("annotations"_L1, json::fromStringMap(annotations));
    if (platform)
        o.insert("platform"_L1, platform->toJson());
    return o;
}

} // namespace porthole
