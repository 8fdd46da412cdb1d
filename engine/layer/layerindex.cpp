// Indexing and stacking layer dirs for the inspector. The walk reads each
// directory once (readdir on the fd it walks with) and stats every name
// with fstatat relative to it: one syscall per entry, no path resolution
// from the root, nothing followed.
#include "layer/layerindex.h"

#include "layer/inroot.h"
#include "layer/whiteout.h"

#include <QFile>
#include <QHash>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::layer {

namespace {

constexpr int kCancelEvery = 4096;

uchar pathByte(char c) { return c == '/' ? 0 : uchar(c); }

// Bytewise, except that '/' sorts before every other byte (names hold no
// NUL), so a directory's whole tree follows it directly: "a", "a/b",
// "a.txt". The inspector relies on that to walk subtrees as ranges.
bool pathLess(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return pathByte(a[i]) < pathByte(b[i]);
    }
    return a.size() < b.size();
}

struct PathLess {
    bool operator()(const QByteArray &a, const QByteArray &b) const { return pathLess(a, b); }
};

bool isBelow(QByteArrayView path, QByteArrayView dir)
{
    return dir.isEmpty() || (path.size() > dir.size() && path[dir.size()] == '/' && path.startsWith(dir));
}

EntryKind kindOf(const struct stat &st)
{
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: return EntryKind::File;
    case S_IFDIR: return EntryKind::Dir;
    case S_IFLNK: return EntryKind::Symlink;
    case S_IFCHR: return isWhiteoutDevice(st) ? EntryKind::Whiteout : EntryKind::Device;
    case S_IFBLK: return EntryKind::Device;
    case S_IFIFO: return EntryKind::Fifo;
    default: return EntryKind::Socket;
    }
}

class Walker {
public:
    Walker(LayerIndex &index, const QString &root, const CancelToken &cancel)
        : m_index(index), m_root(root), m_cancel(cancel) { }

    // Takes ownership of dirFd.
    Status walk(int dirFd, const QByteArray &prefix)
    {
        DIR *dir = ::fdopendir(dirFd);
        if (!dir) {
            const int err = errno;
            ::close(dirFd);
            return Error::fromErrno(QStringLiteral("read directory %1").arg(show(prefix)), err);
        }
        const std::unique_ptr<DIR, int (*)(DIR *)> closer(dir, ::closedir);
        const int fd = ::dirfd(dir);
        errno = 0;
        while (const dirent *d = ::readdir(dir)) {
            const char *name = d->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                continue;
            PH_CHECK(visit(fd, name, prefix));
            errno = 0; // the visit's calls may have set it; readdir reports only through it
        }
        if (errno != 0)
            return Error::fromErrno(QStringLiteral("read directory %1").arg(show(prefix)), errno);
        return {};
    }

private:
    Status visit(int dirFd, const char *name, const QByteArray &prefix)
    {
        struct stat st {};
        IndexEntry e;
        e.path.reserve(prefix.size() + 1 + qsizetype(std::strlen(name)));
        if (!prefix.isEmpty())
            e.path.append(prefix).append('/');
        e.path.append(name);
        if (::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) // removed while we read (a running container)
                return {};
            return Error::fromErrno(QStringLiteral("stat %1").arg(show(e.path)), errno);
        }
        e.kind = kindOf(st);
        e.size = S_ISDIR(st.st_mode) ? 0 : st.st_size;
        e.mode = st.st_mode;
        e.nlink = quint32(st.st_nlink);
        e.inode = st.st_ino;
        if (e.kind == EntryKind::Symlink) {
            e.linkTarget.resize(qsizetype(st.st_size) + 1);
            const ssize_t n = ::readlinkat(dirFd, name, e.linkTarget.data(), size_t(e.linkTarget.size()));
            e.linkTarget.truncate(n < 0 ? 0 : qsizetype(n));
        }
        if (++m_seen % kCancelEvery == 0)
            PH_CHECK(m_cancel.check(QStringLiteral("index %1").arg(m_root)));
        if (e.kind != EntryKind::Dir) {
            m_index.entries.append(std::move(e));
            return {};
        }
        const int sub = ::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            if (errno == ENOENT)
                return {};
            return Error::fromErrno(QStringLiteral("open directory %1").arg(show(e.path)), errno);
        }
        if (isOpaqueDir(sub))
            e.kind = EntryKind::OpaqueDir;
        const QByteArray path = e.path;
        m_index.entries.append(std::move(e));
        return walk(sub, path);
    }

    static QString show(const QByteArray &rel) { return QLatin1Char('/') + QString::fromUtf8(rel); }

    LayerIndex &m_index;
    const QString &m_root;
    const CancelToken &m_cancel;
    qint64 m_seen = 0;
};

// --- stacking ---------------------------------------------------------------

struct Node {
    IndexEntry entry;
    int layer = 0;
    ChangeKind change = ChangeKind::Added;
    QList<int> shadows;
    QList<int> mergedFrom; // lower layers whose directory here merged into this one
};

using Tree = std::map<QByteArray, Node, PathLess>;

class Stacker {
public:
    explicit Stacker(StackAnalysis &out) : m_out(out) { }

    void apply(int n, const LayerIndex &index)
    {
        LayerAnalysis &la = m_out.layers[n];
        la.contentBytes = index.contentBytes;
        m_out.totalBytes += index.contentBytes;
        QList<AnalyzedEntry> &changes = la.changes;
        if (index.rootOpaque)
            hideBelow({}, index, changes);
        QList<QByteArray> opaque; // this layer's opaque dirs above the current entry
        for (const IndexEntry &e : index.entries) {
            while (!opaque.isEmpty() && !isBelow(e.path, opaque.last()))
                opaque.removeLast();
            const auto it = m_tree.find(e.path);
            if (e.kind == EntryKind::Whiteout) {
                if (it == m_tree.end()) {
                    changes.append({e, ChangeKind::Deleted, n, 0, {}});
                } else {
                    AnalyzedEntry d{it->second.entry, ChangeKind::Deleted, it->second.layer, 0, {}};
                    d.bytes = eraseTree(it);
                    changes.append(std::move(d));
                }
                continue;
            }
            Node node{e, n, ChangeKind::Added, {}, {}};
            if (it != m_tree.end()) {
                Node &old = it->second;
                node.change = ChangeKind::Modified;
                const bool merges = e.kind == EntryKind::Dir && old.entry.isDir() && !index.rootOpaque && opaque.isEmpty();
                if (merges) {
                    node.shadows = old.shadows;
                    node.mergedFrom = old.mergedFrom;
                    node.mergedFrom.append(old.layer);
                } else {
                    node.shadows = old.shadows + old.mergedFrom;
                    node.shadows.append(old.layer);
                    std::sort(node.shadows.begin(), node.shadows.end());
                    waste(old);
                    if (old.entry.isDir() && !e.isDir())
                        eraseBelow(e.path);
                }
                old = node;
            } else {
                m_tree.emplace(e.path, node);
            }
            changes.append({e, node.change, n, e.contentBytes(), node.shadows});
            if (e.kind == EntryKind::OpaqueDir) {
                hideBelow(e.path, index, changes);
                opaque.append(e.path);
            }
        }
        std::sort(changes.begin(), changes.end(),
                  [](const AnalyzedEntry &a, const AnalyzedEntry &b) { return pathLess(a.entry.path, b.entry.path); });
        for (const AnalyzedEntry &c : changes) {
            la.added += c.change == ChangeKind::Added;
            la.modified += c.change == ChangeKind::Modified;
            la.deleted += c.change == ChangeKind::Deleted;
        }
    }

    void finish()
    {
        m_out.merged.reserve(qsizetype(m_tree.size()));
        for (const auto &[path, node] : m_tree)
            m_out.merged.append({node.entry, node.change, node.layer, node.entry.contentBytes(), node.shadows});
    }

private:
    qint64 waste(const Node &node)
    {
        const qint64 bytes = node.entry.contentBytes();
        m_out.layers[node.layer].wastedBytes += bytes;
        m_out.wastedBytes += bytes;
        return bytes;
    }

    // The first node strictly below dir, in tree order.
    Tree::iterator firstBelow(const QByteArray &dir)
    {
        return dir.isEmpty() ? m_tree.begin() : m_tree.upper_bound(dir);
    }

    qint64 eraseBelow(const QByteArray &dir)
    {
        qint64 bytes = 0;
        auto it = firstBelow(dir);
        while (it != m_tree.end() && isBelow(it->first, dir)) {
            bytes += waste(it->second);
            it = m_tree.erase(it);
        }
        return bytes;
    }

    qint64 eraseTree(Tree::iterator it)
    {
        const QByteArray path = it->first;
        const qint64 bytes = waste(it->second);
        m_tree.erase(it);
        return bytes + eraseBelow(path);
    }

    // An opaque dir: the lower entries below it that its layer does not
    // have go, and are listed as Deleted by their top names.
    void hideBelow(const QByteArray &dir, const LayerIndex &index, QList<AnalyzedEntry> &changes)
    {
        qsizetype top = -1;
        auto it = firstBelow(dir);
        while (it != m_tree.end() && isBelow(it->first, dir)) {
            if (index.find(it->first)) {
                ++it;
                continue;
            }
            const qint64 bytes = waste(it->second);
            if (top >= 0 && isBelow(it->first, changes[top].entry.path)) {
                changes[top].bytes += bytes;
            } else {
                top = changes.size();
                changes.append({it->second.entry, ChangeKind::Deleted, it->second.layer, bytes, {}});
            }
            it = m_tree.erase(it);
        }
    }

    StackAnalysis &m_out;
    Tree m_tree;
};

} // namespace

const IndexEntry *LayerIndex::find(QByteArrayView path) const
{
    const auto it = std::lower_bound(entries.cbegin(), entries.cend(), path,
                                     [](const IndexEntry &e, QByteArrayView p) { return pathLess(e.path, p); });
    return it != entries.cend() && it->path == path ? &*it : nullptr;
}

Result<LayerIndex> indexLayerDir(const QString &dir, const CancelToken &cancel)
{
    const int root = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return Error::fromErrno(QStringLiteral("index layer %1: open the directory").arg(dir), errno);
    LayerIndex index;
    index.rootOpaque = isOpaqueDir(root);
    if (Status st = Walker(index, dir, cancel).walk(root, {}); !st)
        return st.error().context(QStringLiteral("index layer %1").arg(dir));
    std::sort(index.entries.begin(), index.entries.end(),
              [](const IndexEntry &a, const IndexEntry &b) { return pathLess(a.path, b.path); });
    // The first path of an inode (in path order, so the same tree always
    // gives the same answer) holds the data; the others are links to it.
    QHash<quint64, qsizetype> firstPath;
    for (qsizetype i = 0; i < index.entries.size(); ++i) {
        IndexEntry &e = index.entries[i];
        if (e.kind == EntryKind::File && e.nlink > 1) {
            const auto it = firstPath.constFind(e.inode);
            if (it == firstPath.constEnd()) {
                firstPath.insert(e.inode, i);
            } else {
                e.kind = EntryKind::Hardlink;
                e.linkTarget = index.entries[*it].path;
            }
        }
        index.contentBytes += e.contentBytes();
    }
    return index;
}

StackAnalysis analyzeLayers(const QList<LayerIndex> &layers)
{
    StackAnalysis out;
    out.layers.resize(layers.size());
    Stacker stacker(out);
    for (qsizetype n = 0; n < layers.size(); ++n)
        stacker.apply(int(n), layers[n]);
    stacker.finish();
    return out;
}

Result<qint64> extractLayerFile(const QString &layerDir, QByteArrayView relPath, const QString &destPath)
{
    const QString step = QStringLiteral("extract /%1 from layer %2").arg(QString::fromUtf8(relPath), layerDir);
    QByteArrayList parts;
    for (const QByteArray &p : relPath.toByteArray().split('/')) {
        if (p == "." || p == "..")
            return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the path has a \"%2\" component").arg(step, QString::fromLatin1(p)));
        if (!p.isEmpty())
            parts.append(p);
    }
    if (parts.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the path names no file").arg(step));
    UniqueFd dir(::open(QFile::encodeName(layerDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid())
        return Error::fromErrno(step, errno);
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        UniqueFd next(::openat(dir.get(), parts[i].constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid()) {
            const int err = errno;
            if (err == ELOOP || err == ENOTDIR)
                return Error(ErrorCode::InvalidArgument,
                             QStringLiteral("%1: %2 is not a directory (symlinks are not followed)").arg(step, QString::fromUtf8(parts[i])), err);
            return Error::fromErrno(step, err);
        }
        dir = std::move(next);
    }
    // Checked before opening, so a device or fifo is never opened.
    struct stat before {};
    if (::fstatat(dir.get(), parts.last().constData(), &before, AT_SYMLINK_NOFOLLOW) != 0)
        return Error::fromErrno(step, errno);
    if (!S_ISREG(before.st_mode))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: not a regular file").arg(step));
    const UniqueFd in(::openat(dir.get(), parts.last().constData(), O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (!in.valid() || ::fstat(in.get(), &st) != 0)
        return Error::fromErrno(step, errno);
    if (!S_ISREG(st.st_mode) || st.st_ino != before.st_ino)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("%1: the file was replaced while it was opened").arg(step));
    const QByteArray dest = QFile::encodeName(destPath);
    const UniqueFd out(::open(dest.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (st.st_mode & 0777) | 0600));
    if (!out.valid())
        return Error::fromErrno(QStringLiteral("%1: create %2").arg(step, destPath), errno);
    QByteArray buf(1 << 20, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const ssize_t n = ::read(in.get(), buf.data(), size_t(buf.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                return total;
            break;
        }
        for (ssize_t off = 0; off < n;) {
            const ssize_t w = ::write(out.get(), buf.constData() + off, size_t(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                const Error e = Error::fromErrno(QStringLiteral("%1: write %2").arg(step, destPath), errno);
                ::unlink(dest.constData());
                return e;
            }
            off += w;
        }
        total += n;
    }
    const Error e = Error::fromErrno(QStringLiteral("%1: read").arg(step), errno);
    ::unlink(dest.constData());
    return e;
}

} // namespace porthole::layer
