#include "store/imagestore.h"

#include "core/imageindex.h"
#include "core/mediatypes.h"

#include <QRegularExpression>
#include <QSysInfo>

namespace porthole::store {

QString hostArchitecture()
{
    // Qt's names (QSysInfo) to Go's GOARCH, which image platforms use.
    const QString arch = QSysInfo::currentCpuArchitecture();
    const bool little = QSysInfo::ByteOrder == QSysInfo::LittleEndian;
    if (arch == QLatin1String("x86_64"))
        return QStringLiteral("amd64");
    if (arch == QLatin1String("i386"))
        return QStringLiteral("386");
    if (arch == QLatin1String("power64"))
        return little ? QStringLiteral("ppc64le") : QStringLiteral("ppc64");
    if (arch == QLatin1String("power"))
        return QStringLiteral("ppc");
    if (arch == QLatin1String("loongarch64"))
        return QStringLiteral("loong64");
    if (arch == QLatin1String("mips") || arch == QLatin1String("mips64"))
        return little ? arch + QStringLiteral("le") : arch;
    return arch; // arm, arm64, riscv64, s390x are spelled alike
}

Result<StoredImage> ImageStore::load(const Descriptor &descriptor, const QStringList &refNames) const
{
    const ContentStore &content = m_store.content();
    PH_TRY(QByteArray manifestJson, content.read(descriptor.digest));
    StoredImage image;
    image.descriptor = descriptor;
    image.manifestDescriptor = descriptor;
    image.refNames = refNames;
    if (mediatype::isIndexType(descriptor.mediaType)) {
        // A multi-platform image: this machine's manifest is the image.
        PH_TRY(const ImageIndex index, ImageIndex::parse(manifestJson));
        std::optional<Descriptor> mine;
        for (const Descriptor &d : index.manifests) {
            if (d.platform && d.platform->os == QLatin1String("linux") && d.platform->architecture == hostArchitecture()
                && content.has(d.digest)) {
                mine = d;
                break;
            }
        }
        if (!mine)
            return Error(ErrorCode::NotFound, QStringLiteral("image %1 has no manifest for linux/%2 in the store")
                                                  .arg(descriptor.digest.toString(), hostArchitecture()));
        PH_TRY(manifestJson, content.read(mine->digest));
        image.manifestDescriptor = *mine;
    }
    auto manifest = Manifest::parse(manifestJson);
    if (!manifest)
        return manifest.error().context(QStringLiteral("read manifest %1").arg(descriptor.digest.toString()));
    image.manifest = *manifest;
    image.configDigest = manifest->config.digest;
    PH_TRY(const QByteArray configJson, content.read(image.configDigest));
    auto config = ImageConfig::parse(configJson);
    if (!config)
        return config.error().context(QStringLiteral("read image config %1").arg(image.configDigest.toString()));
    image.config = *config;
    return image;
}

Result<QList<StoredImage>> ImageStore::list() const
{
    PH_TRY(const TagIndex index, m_store.readIndex());
    QList<StoredImage> out;
    QSet<Digest> seen;
    for (const IndexEntry &entry : index.entries()) {
        const Digest digest = entry.digest();
        if (seen.contains(digest))
            continue;
        seen.insert(digest);
        auto descriptor = Descriptor::fromJson(entry.descriptor, QStringLiteral("index.json"));
        if (!descriptor)
            return descriptor.error();
        auto image = load(*descriptor, index.tagsFor(digest));
        if (image)
            image->repoDigests = index.repoDigestsFor(digest);
        if (!image) {
            // Another tool's entry we cannot read (an artifact, another
            // platform only) is not an image of ours: skip it, keep going.
            if (image.error().code == ErrorCode::NotFound || image.error().code == ErrorCode::InvalidArgument)
                continue;
            return image.error();
        }
        out.append(*image);
    }
    return out;
}

static const QRegularExpression &hexPrefixPattern()
{
    static const QRegularExpression re(QStringLiteral("^(sha256:)?([0-9a-f]{1,64})$"));
    return re;
}

Result<QList<StoredImage>> ImageStore::imagesWithConfigPrefix(const QString &hexPrefix) const
{
    PH_TRY(const QList<StoredImage> all, list());
    QList<StoredImage> out;
    for (const StoredImage &image : all) {
        if (image.configDigest.hex().startsWith(hexPrefix))
            out.append(image);
    }
    return out;
}

Result<ResolvedImage> ImageStore::resolve(const QString &nameOrId) const
{
    auto ref = Reference::parse(nameOrId);
    QString notFoundName = nameOrId;
    if (ref) {
        const Reference named = ref->withDefaultTag();
        notFoundName = named.familiarString();
        PH_TRY(const TagIndex index, m_store.readIndex());
        for (const IndexEntry &entry : index.entries()) {
            const QString refName = entry.refName();
            bool match = refName == named.toString();
            if (!match && named.hasDigest() && entry.digest() == named.digest()) {
                // name@digest: the digest is authoritative, the name must be one it is known under.
                auto have = Reference::parse(refName);
                match = have && have->name() == named.name();
            }
            if (!match)
                continue;
            PH_TRY(const Descriptor descriptor, Descriptor::fromJson(entry.descriptor, QStringLiteral("index.json")));
            PH_TRY(StoredImage image, load(descriptor, index.tagsFor(entry.digest())));
            image.repoDigests = index.repoDigestsFor(entry.digest());
            return ResolvedImage{image, named.hasDigest() ? QString() : refName};
        }
    }
    const auto m = hexPrefixPattern().match(nameOrId);
    if (m.hasMatch()) {
        PH_TRY(const QList<StoredImage> found, imagesWithConfigPrefix(m.captured(2)));
        QSet<Digest> ids;
        for (const StoredImage &image : found)
            ids.insert(image.configDigest);
        if (ids.size() == 1)
            return ResolvedImage{found.first(), QString()};
        if (ids.size() > 1)
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("image ID prefix \"%1\" matches %2 images; give more digits").arg(nameOrId).arg(ids.size()));
    }
    if (!ref && !m.hasMatch())
        return ref.error();
    return Error(ErrorCode::NotFound, QStringLiteral("No such image: %1").arg(notFoundName));
}

QList<qint64> ImageStore::layerSizes(const StoredImage &image) const
{
    QList<qint64> sizes;
    const QList<Digest> diffIds = image.config.diffIds();
    for (qsizetype i = 0; i < image.manifest.layers.size(); ++i) {
        qint64 size = image.manifest.layers[i].size; // compressed: a fallback only
        if (i < diffIds.size()) {
            if (auto info = m_store.layerInfo(diffIds[i]))
                size = info->size;
        }
        sizes.append(size);
    }
    return sizes;
}

qint64 ImageStore::size(const StoredImage &image) const
{
    qint64 total = 0;
    for (qint64 s : layerSizes(image))
        total += s;
    return total;
}

} // namespace porthole::store
