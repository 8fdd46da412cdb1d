#include "store/store.h"

#include "core/documentlimit.h"
#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/permissions.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace porthole::store {

static const QByteArray kOciLayout = R"({"imageLayoutVersion":"1.0.0"})";

Digest chainId(const QList<Digest> &diffIds)
{
    Digest chain;
    for (const Digest &diff : diffIds) {
        if (!chain.isValid())
            chain = diff;
        else
            chain = Sha256::of((chain.toString() + u' ' + diff.toString()).toLatin1());
    }
    return chain;
}

QString Store::defaultRoot()
{
    const QString env = qEnvironmentVariable("PORTHOLE_ROOT");
    if (!env.isEmpty())
        return env;
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/porthole");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/porthole");
}

Result<std::shared_ptr<Store>> Store::open(const QString &root)
{
    if (root.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("open store: the root directory is empty"));
    std::shared_ptr<Store> store(new Store(QDir(root).absolutePath()));
    if (auto st = store->initialize(); !st)
        return st.error().context(QStringLiteral("open store %1").arg(root));
    return store;
}

QString Store::lockPath(const char *name) const
{
    return m_root + QStringLiteral("/locks/") + QLatin1String(name);
}

Status Store::initialize()
{
    PH_CHECK(makeDirs(m_root, kPrivateDirMode));
    PH_CHECK(makeDirs(m_root + QStringLiteral("/locks"), kPrivateDirMode));
    PH_CHECK(makeDirs(m_root + QStringLiteral("/layerinfo"), kPrivateDirMode));
    PH_CHECK(makeDirs(m_root + QStringLiteral("/layers"), kPrivateDirMode));
    PH_CHECK(m_content.initialize());
    PH_CHECK(tightenStore(m_root));
    removeStaleTempFiles(m_root);
    removeStaleTempFiles(m_root + QStringLiteral("/layerinfo"));

    // Creation is decided under the index lock, so of two processes opening
    // a new root at once exactly one creates it (and seeds the demo image).
    PH_TRY(FileLock lock, FileLock::acquire(lockPath("index.lock"), FileLock::Mode::Exclusive));
    if (!pathExists(m_root + QStringLiteral("/oci-layout")))
        PH_CHECK(writeFileAtomic(m_root + QStringLiteral("/oci-layout"), kOciLayout));
    if (!pathExists(m_root + QStringLiteral("/index.json"))) {
        PH_CHECK(writeFileAtomic(m_root + QStringLiteral("/index.json"), TagIndex::empty().toJson()));
        m_created = true;
    }
    return {};
}

Result<TagIndex> Store::readIndex() const
{
    PH_TRY(const QByteArray json, readFile(m_root + QStringLiteral("/index.json")));
    return TagIndex::parse(json);
}

Status Store::editIndex(const std::function<Status(TagIndex &)> &edit)
{
    PH_TRY(FileLock lock, FileLock::acquire(lockPath("index.lock"), FileLock::Mode::Exclusive));
    PH_TRY(TagIndex index, readIndex());
    PH_CHECK(edit(index));
    return writeFileAtomic(m_root + QStringLiteral("/index.json"), index.toJson());
}

Result<FileLock> Store::useLock() const
{
    return FileLock::acquire(lockPath("gc.lock"), FileLock::Mode::Shared);
}

static QString layerInfoPath(const QString &root, const Digest &diffId)
{
    return root + QStringLiteral("/layerinfo/") + diffId.hex() + QStringLiteral(".json");
}

Status Store::putLayerInfo(const Digest &diffId, const LayerInfo &info)
{
    qint64 tarSize = info.tarSize;
    if (tarSize <= 0)
        tarSize = layerInfo(diffId).valueOr(LayerInfo()).tarSize;
    QJsonObject o;
    o.insert(QStringLiteral("size"), double(info.size));
    o.insert(QStringLiteral("entries"), double(info.entries));
    if (tarSize > 0)
        o.insert(QStringLiteral("tarSize"), double(tarSize));
    // A cache (sizes for `images`, tar sizes for save), so no fsync: a crash
    // may lose it, or leave it empty, and layerInfo() then says NotFound.
    return writeFileAtomic(layerInfoPath(m_root, diffId), QJsonDocument(o).toJson(QJsonDocument::Compact), 0644,
                           Durability::AtomicOnly);
}

Result<LayerInfo> Store::layerInfo(const Digest &diffId) const
{
    auto data = readFile(layerInfoPath(m_root, diffId), 1 << 16);
    if (!data)
        return data.error();
    const QJsonObject o = QJsonDocument::fromJson(*data).object();
    if (!o.value(QStringLiteral("size")).isDouble())
        return Error(ErrorCode::NotFound, QStringLiteral("layer info of %1 is empty or damaged").arg(diffId.toString()));
    return LayerInfo{qint64(o.value(QStringLiteral("size")).toDouble()), qint64(o.value(QStringLiteral("entries")).toDouble()),
                     qint64(o.value(QStringLiteral("tarSize")).toDouble())};
}

QString Store::layerDir(const Digest &chain) const { return m_root + QStringLiteral("/layers/") + chain.hex(); }

namespace {

// What the images in the index reach: blobs (manifests, indexes, configs,
// layers), diff IDs and chain IDs.
struct Reachable {
    QSet<Digest> blobs;
    QSet<QString> diffIds;
    QSet<QString> chainIds;
};

// A missing document is fine (a manifest list's child for another platform,
// another tool's entry), and so is an intact blob that is no JSON document (an
// artifact): neither references anything. One that exists but cannot be read
// intact is not fine: what it references is unknown, so collecting anything
// could delete a live blob. That includes one over the document limit: pull
// and load never store such a document, so it came from elsewhere, and what
// it references is just as unknown.
Result<std::optional<QJsonObject>> readDocument(const ContentStore &content, const Digest &digest, const QString &what)
{
    auto size = content.size(digest);
    if (!size)
        return std::optional<QJsonObject>();
    if (*size > kMaxDocumentBytes)
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("read %1 %2: it is %3 bytes, more than the limit of %4 MiB")
                         .arg(what, digest.toString())
                         .arg(*size)
                         .arg(kMaxDocumentBytes >> 20));
    auto data = content.read(digest, kMaxDocumentBytes);
    if (!data) {
        if (data.error().code == ErrorCode::NotFound)
            return std::optional<QJsonObject>();
        return data.error().context(QStringLiteral("read %1 %2").arg(what, digest.toString()));
    }
    const QJsonDocument doc = QJsonDocument::fromJson(*data);
    if (!doc.isObject())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(doc.object());
}

Status markDocument(const ContentStore &content, const Digest &digest, Reachable &r, int depth)
{
    if (r.blobs.contains(digest) || depth > 8)
        return {};
    r.blobs.insert(digest);
    PH_TRY(const std::optional<QJsonObject> doc, readDocument(content, digest, QStringLiteral("manifest")));
    if (!doc)
        return {};
    for (const QJsonValue &m : doc->value(QStringLiteral("manifests")).toArray()) {
        if (auto d = Digest::parse(m.toObject().value(QStringLiteral("digest")).toString()))
            PH_CHECK(markDocument(content, *d, r, depth + 1));
    }
    if (!doc->contains(QStringLiteral("config")))
        return {};
    for (const QJsonValue &l : doc->value(QStringLiteral("layers")).toArray()) {
        if (auto d = Digest::parse(l.toObject().value(QStringLiteral("digest")).toString()))
            r.blobs.insert(*d);
    }
    auto config = Digest::parse(doc->value(QStringLiteral("config")).toObject().value(QStringLiteral("digest")).toString());
    if (!config)
        return {};
    r.blobs.insert(*config);
    PH_TRY(const std::optional<QJsonObject> cfg, readDocument(content, *config, QStringLiteral("image config")));
    if (!cfg)
        return {};
    QList<Digest> diffs;
    for (const QJsonValue &v : cfg->value(QStringLiteral("rootfs")).toObject().value(QStringLiteral("diff_ids")).toArray()) {
        auto d = Digest::parse(v.toString());
        if (!d)
            break;
        diffs.append(*d);
        r.diffIds.insert(d->hex());
        r.chainIds.insert(chainId(diffs).hex());
    }
    return {};
}

} // namespace

Result<GcReport> Store::collectGarbage(bool wait)
{
    PH_TRY(FileLock gc, wait ? FileLock::acquire(lockPath("gc.lock"), FileLock::Mode::Exclusive)
                             : FileLock::tryAcquire(lockPath("gc.lock"), FileLock::Mode::Exclusive));
    PH_TRY(const TagIndex index, readIndex());
    Reachable r;
    for (const IndexEntry &e : index.entries()) {
        if (auto st = markDocument(m_content, e.digest(), r, 0); !st)
            return st.error().context(QStringLiteral("collect garbage (nothing was removed)"));
    }
    // Containers are roots too: what a container was made from stays, even
    // if its image lost every name meanwhile.
    auto containers = ContainerStore(*this).list();
    if (!containers)
        return containers.error().context(QStringLiteral("collect garbage (nothing was removed)"));
    for (const ContainerRecord &c : *containers) {
        if (c.config.imageManifest.isValid()) {
            if (auto st = markDocument(m_content, c.config.imageManifest, r, 0); !st)
                return st.error().context(QStringLiteral("collect garbage (nothing was removed)"));
        }
        QList<Digest> diffs;
        for (const Digest &d : c.config.diffIds) {
            diffs.append(d);
            r.diffIds.insert(d.hex());
            r.chainIds.insert(chainId(diffs).hex());
        }
    }

    GcReport report;
    for (const Digest &d : m_content.list()) {
        if (r.blobs.contains(d))
            continue;
        const qint64 size = m_content.size(d).valueOr(0);
        PH_CHECK(m_content.remove(d));
        report.blobsRemoved++;
        report.bytesFreed += size;
    }
    const QDir infoDir(m_root + QStringLiteral("/layerinfo"));
    for (const QString &name : infoDir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        if (!r.diffIds.contains(name.chopped(5)))
            PH_CHECK(removeAll(infoDir.filePath(name)));
    }
    // Downloads abandoned for a day (a pull that was never retried) go; one
    // in use is flock'ed by its writer and stays.
    const QDir ingest(m_root + QStringLiteral("/ingest"));
    const QDateTime dayAgo = QDateTime::currentDateTimeUtc().addDays(-1);
    for (const QFileInfo &partial : ingest.entryInfoList({QStringLiteral("*.partial")}, QDir::Files)) {
        if (partial.lastModified().toUTC() > dayAgo)
            continue;
        const int fd = ::open(QFile::encodeName(partial.filePath()).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
            ::unlink(QFile::encodeName(partial.filePath()).constData());
        if (fd >= 0)
            ::close(fd);
    }

    // Layers: the marker goes first (made durable), then the directory, under
    // the lock the unpacker commits under. A crash in between leaves a
    // directory without a marker, which the next open removes; never a
    // marker beside a half-removed directory, which would pass as complete.
    PH_TRY(FileLock layersLock, FileLock::acquire(lockPath("layers.lock"), FileLock::Mode::Exclusive));
    const QDir layersDir(m_root + QStringLiteral("/layers"));
    for (const QString &name : layersDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (r.chainIds.contains(name))
            continue;
        PH_CHECK(removeAll(layersDir.filePath(name + QStringLiteral(".complete"))));
        PH_CHECK(fsyncDir(layersDir.path()));
        PH_CHECK(removeAll(layersDir.filePath(name)));
    }
    return report;
}

} // namespace porthole::store
