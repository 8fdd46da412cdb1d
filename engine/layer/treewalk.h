// The fd-based walk of an upper dir or a merged tree shared by diffUpper
// (upperdiff.cpp) and the tar writers (uppertar.cpp); private to layer/.
// Every step below the start is an openat with O_NOFOLLOW, so a container
// that swaps a directory for a symlink cannot lead the walk outside.
//
// Stateless functions, synchronous, any thread.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

#include <sys/stat.h>
#include <unistd.h>

namespace porthole::layer::treewalk {

// An owned fd; implicit from int so PH_TRY(const Fd x, <Result<int>>) works.
struct Fd {
    int fd = -1;
    Fd(int f)
        : fd(f)
    { }
    Fd(const Fd &) = delete;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// rel as the container sees it: "/etc/hosts".
QString show(const QByteArray &rel);
QByteArray join(const QByteArray &dir, const QByteArray &name);

// "/etc/hosts/" and "etc//hosts" both become "etc/hosts", the form the walk uses.
QSet<QByteArray> normalizeExcluded(const QStringList &excluded);

// Sorted bytewise, so the tar and the diff do not depend on readdir order.
Result<QByteArrayList> listDir(int dirFd, const QByteArray &rel);

Result<int> openDirAt(int dirFd, const QByteArray &name, const QByteArray &rel);

// Visits every entry below the directory dirFd depth-first, names sorted.
// visit returns whether to descend (directories only); excluded paths are skipped whole.
using Visitor
    = std::function<Result<bool>(int dirFd, const QByteArray &name, const QByteArray &rel, const struct stat &st)>;
Status walk(int dirFd, const QByteArray &rel, const QSet<QByteArray> &excluded, const Visitor &visit);

// The upper dir itself; what names the caller's step in the message.
Result<int> openRoot(const QString &dir, const QString &what);

} // namespace porthole::layer::treewalk
