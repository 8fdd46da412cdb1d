#include "store/treesize.h"

#include <QFile>
#include <QHash>
#include <QSet>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::store {

namespace {

struct InodeKey {
    dev_t dev;
    ino_t ino;
    bool operator==(const InodeKey &o) const { return dev == o.dev && ino == o.ino; }
};
size_t qHash(const InodeKey &k, size_t seed = 0) { return qHashMulti(seed, quint64(k.dev), quint64(k.ino)); }

// Takes ownership of dirFd.
qint64 walk(int dirFd, QSet<InodeKey> &seen, int depth)
{
    DIR *dir = ::fdopendir(dirFd);
    if (!dir) {
        ::close(dirFd);
        return 0;
    }
    qint64 total = 0;
    while (dirent *e = ::readdir(dir)) {
        if (qstrcmp(e->d_name, ".") == 0 || qstrcmp(e->d_name, "..") == 0)
            continue;
        struct stat st {};
        if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISREG(st.st_mode)) {
            if (st.st_nlink > 1) {
                const InodeKey key{st.st_dev, st.st_ino};
                if (seen.contains(key))
                    continue;
                seen.insert(key);
            }
            total += st.st_size;
        } else if (S_ISDIR(st.st_mode) && depth < 512) {
            const int child = ::openat(::dirfd(dir), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child >= 0)
                total += walk(child, seen, depth + 1);
        }
    }
    ::closedir(dir);
    return total;
}

} // namespace

qint64 treeBytes(const QString &dirPath)
{
    const int fd = ::open(QFile::encodeName(dirPath).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    QSet<InodeKey> seen;
    return walk(fd, seen, 0);
}

} // namespace porthole::store
