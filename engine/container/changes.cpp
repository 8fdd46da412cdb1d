// A container's live changes for the window's changes view: docker's A/C/D
// with each file's bytes, and the size the next commit's tar would have,
// estimated from the upper dir without writing it.
#include "container/containers.h"

#include "container/committer.h"
#include "container/orphans.h"
#include "layer/layerindex.h"
#include "layer/upperdiff.h"
#include "layer/whiteout.h"
#include "store/containerstore.h"
#include "store/store.h"

#include <QFile>

namespace porthole::container {

namespace {

static_assert(int(FileKind::Socket) == int(layer::EntryKind::Socket) && int(FileKind::Hardlink) == int(layer::EntryKind::Hardlink),
              "FileKind mirrors layer::EntryKind");

// "/vol/" and "vol//x" as the walk spells paths: "vol", "vol/x".
QByteArrayList normalized(const QStringList &paths)
{
    QByteArrayList out;
    for (const QString &p : paths) {
        QByteArrayList parts;
        for (const QByteArray &part : QFile::encodeName(p).split('/'))
            if (!part.isEmpty() && part != ".")
                parts.append(part);
        if (!parts.isEmpty())
            out.append(parts.join('/'));
    }
    return out;
}

bool excludedPath(const QByteArray &path, const QByteArrayList &excluded)
{
    for (const QByteArray &x : excluded) {
        if (path == x || (path.size() > x.size() && path.startsWith(x) && path[x.size()] == '/'))
            return true;
    }
    return false;
}

qint64 blocks(qint64 bytes) { return (bytes + 511) / 512 * 512; }

bool isAscii(QByteArrayView s)
{
    for (char c : s)
        if (uchar(c) >= 0x80)
            return false;
    return true;
}

// libarchive's pax writer stores a name in the ustar header when it is
// ASCII and fits (100 bytes, or a prefix of up to 155 and a name of up to
// 100 split at a '/'); otherwise it adds a pax header with a path record.
bool fitsUstar(QByteArrayView name)
{
    if (!isAscii(name))
        return false;
    if (name.size() <= 100)
        return true;
    qsizetype slash = name.indexOf('/', name.size() - 101);
    if (slash == 0)
        slash = name.indexOf('/', 1);
    return slash > 0 && slash + 1 < name.size() && slash <= 155;
}

// A pax record is "<len> <key>=<value>\n"; the header entry carrying the
// records is one ustar header and its data. The mtime record a pax header
// gets along is included as a typical 30 bytes.
qint64 paxBytes(QByteArrayView name, QByteArrayView link)
{
    qint64 records = 0;
    if (!fitsUstar(name))
        records += name.size() + 12;
    if (!link.isEmpty() && (link.size() > 100 || !isAscii(link)))
        records += link.size() + 16;
    return records == 0 ? 0 : 512 + blocks(records + 30);
}

// What layer::writeUpperTar writes for the entry (see the ContainerChanges comment).
qint64 tarBytes(const layer::IndexEntry &e)
{
    using K = layer::EntryKind;
    switch (e.kind) {
    case K::Socket:
        return 0;
    case K::Whiteout: {
        const qsizetype slash = e.path.lastIndexOf('/');
        const QByteArray name = e.path.left(slash + 1) + layer::kWhiteoutPrefix + e.path.mid(slash + 1);
        return 512 + paxBytes(name, {});
    }
    case K::Dir:
    case K::OpaqueDir: {
        qint64 n = 512 + paxBytes(e.path + '/', {});
        if (e.kind == K::OpaqueDir)
            n += 512 + paxBytes(e.path + '/' + layer::kOpaqueMarker, {});
        return n;
    }
    case K::File:
        return 512 + paxBytes(e.path, {}) + blocks(e.size);
    case K::Hardlink:
    case K::Symlink:
        return 512 + paxBytes(e.path, e.linkTarget);
    default:
        return 512 + paxBytes(e.path, {});
    }
}

} // namespace

Result<ContainerChanges> Containers::changes(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const QString step = QStringLiteral("changes of container %1").arg(record.config.name);
    QStringList lowers;
    QList<Digest> diffs;
    for (const Digest &d : record.config.diffIds) {
        diffs.append(d);
        lowers.prepend(m_store->layerDir(store::chainId(diffs))); // topmost first
    }
    const QStringList excluded = notCommitted(record.config);
    const QString upper = containers.upperDir(record.config.id);
    PH_TRY(const QList<layer::Change> diff, layer::diffUpper(upper, lowers, excluded));
    auto index = layer::indexLayerDir(upper);
    if (!index)
        return index.error().context(step);

    ContainerChanges out;
    out.id = record.config.id;
    out.name = record.config.name;
    out.imageId = record.config.image.toString();
    for (const layer::Change &c : diff) {
        ContainerChangeRow row;
        row.kind = c.kind == layer::Change::Added ? 'A' : c.kind == layer::Change::Changed ? 'C' : 'D';
        row.path = c.path;
        row.fileKind = FileKind::Whiteout;
        if (c.kind != layer::Change::Deleted) {
            if (const layer::IndexEntry *e = index->find(QFile::encodeName(c.path).mid(1))) {
                row.fileKind = FileKind(e->kind);
                row.bytes = e->kind == layer::EntryKind::File || e->kind == layer::EntryKind::Hardlink ? e->size : 0;
            }
        }
        out.changes.append(row);
    }
    const QByteArrayList skip = normalized(excluded);
    qint64 tar = 1024; // the end-of-archive marker; the writer pads no further
    for (const layer::IndexEntry &e : index->entries) {
        if (excludedPath(e.path, skip))
            continue;
        out.contentBytes += e.contentBytes();
        tar += tarBytes(e);
    }
    out.commitTarSize = tar;
    return out;
}

} // namespace porthole::container
