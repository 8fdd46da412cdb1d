// In-root path handling for the layer unpacker. A tar entry name is cleaned
// lexically (cleanEntryPath), and the directory it is written into is
// resolved by the kernel with openat2(RESOLVE_IN_ROOT), so no `..`, absolute
// name or symlink planted by an earlier entry can reach outside the root:
// the kernel treats the root like a chroot while it walks. The last
// component of an entry is never followed; callers create it with *at()
// calls and O_NOFOLLOW/O_EXCL on the directory fd.
//
// Needs openat2 (Linux 5.6); on older kernels every resolution fails with a
// clear error rather than falling back to a weaker walk.
//
// Ownership: InRoot owns its fds. One thread at a time.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <utility>

namespace porthole::layer {

// Closes the fd it holds. Move-only.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd &&o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    UniqueFd &operator=(UniqueFd &&o) noexcept
    {
        if (this != &o) {
            reset();
            m_fd = std::exchange(o.m_fd, -1);
        }
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// A tar entry name as a relative path without empty, `.` or `..`
// components ("" is the root itself). A leading `/` is dropped, as docker
// does: absolute names land inside the root. A `..` that would climb above
// the root makes the name invalid (nullopt): such an entry is refused, not
// clamped, because no honest layer contains one.
std::optional<QByteArray> cleanEntryPath(QByteArrayView name);

// Splits a cleaned path at its last slash: ("a/b", "c") for "a/b/c",
// ("", "c") for "c".
std::pair<QByteArray, QByteArray> splitParent(const QByteArray &cleanPath);

class InRoot {
public:
    // Takes ownership of rootFd (an O_DIRECTORY fd).
    explicit InRoot(UniqueFd rootFd) : m_root(std::move(rootFd)) {}

    int rootFd() const { return m_root.get(); }

    // The directory at cleanDir (symlinks on the way are resolved inside
    // the root). With create, missing directories are made (mode 0755), and
    // an overlay whiteout in the way is replaced by an opaque directory
    // (see whiteout.h). The fd is borrowed: it stays valid until the next
    // call of dir(). Errors are sentences about cleanDir ("a/b is not a
    // directory").
    Result<int> dir(const QByteArray &cleanDir, bool create);

    // Like dir(create = false), but the caller owns the fd (for a second
    // directory at the same time, e.g. a hard link's target).
    Result<UniqueFd> openDir(const QByteArray &cleanDir) const;

    // Must be called after anything under the root was removed or replaced:
    // a cached directory could then resolve differently. The fd last
    // returned by dir() stays open until the next dir() call.
    void forget() { m_cacheValid = false; }

private:
    Result<UniqueFd> createDirs(const QByteArray &cleanDir);

    UniqueFd m_root;
    QByteArray m_cachePath;
    UniqueFd m_cacheFd;
    bool m_cacheValid = false;
};

// openat2(rootFd, path, flags | O_CLOEXEC, RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS), retried on EINTR/EAGAIN. Returns -1 with errno set.
int openInRoot(int rootFd, const char *path, int flags);

// Removes name in dirFd, recursively if it is a directory, never following
// a symlink. A missing name is not an error.
Status removeAt(int dirFd, const char *name, const QString &what);

// Removes everything inside the directory dirFd, keeping the directory.
Status removeContents(int dirFd, const QString &what);

} // namespace porthole::layer
