// Docker's `--user` resolution against a container's /etc/passwd and
// /etc/group, as moby/sys/user does it, so a container runs as the same
// uid/gid/groups under Porthole as under docker.
//
// Pure functions over file contents: the caller reads the files from the
// container's root filesystem (safely, inside the rootfs) and passes the bytes;
// an absent file is passed as an empty QByteArray. No I/O, no state,
// callable from any thread.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace porthole::runtime {

// One well-formed /etc/passwd line: name:password:uid:gid:gecos:home:shell.
// Ids are kept as parsed (possibly out of the valid range); the range is
// checked when an entry is used.
struct PasswdEntry {
    QString name;
    qint64 uid = 0;
    qint64 gid = 0;
    QString gecos;
    QString home;
    QString shell;
};

// One well-formed /etc/group line: name:password:gid:member,member,...
struct GroupEntry {
    QString name;
    qint64 gid = 0;
    QStringList members;
};

// Skips blank lines, '#' comments and malformed lines (fewer than 4 resp. 3
// fields, an empty name, or a non-numeric id), like glibc and moby do, so one
// bad line never hides the rest of the file. Order is preserved: the first
// match wins in lookups.
QList<PasswdEntry> parsePasswd(const QByteArray &passwd);
QList<GroupEntry> parseGroup(const QByteArray &group);

// The identity a container process runs as.
struct ExecUser {
    uid_t uid = 0;
    gid_t gid = 0;
    // From /etc/group memberships (only when the spec names no group, as in
    // docker) followed by additionalGroups; duplicates removed. The primary
    // gid is not included: docker passes setgroups() the list [gid] + these.
    QList<gid_t> supplementaryGroups;
    QString home = QStringLiteral("/"); // "/" when no passwd entry matched
    QString name;                        // the matched passwd name, else empty
};

// Highest uid/gid accepted (moby's limit, for 32-bit compatibility).
constexpr qint64 kMaxUserId = 2147483647;

// spec is "", "user", "uid", "user:group", "uid:gid", "user:gid", "uid:group"
// or ":group". Numbers are always ids, never names. The empty user means uid 0
// (looked up in passwd for home and groups). A numeric uid/gid with no entry
// is allowed as-is; an unknown name is an error ("unable to find user NAME:
// no matching entries in passwd file", likewise for groups). More than one
// ':' or an id outside 0..kMaxUserId is InvalidArgument. additionalGroups are
// docker's --group-add values (names or numbers) and resolve the same way.
Result<ExecUser> resolveExecUser(const QString &spec, const QByteArray &passwd, const QByteArray &group,
                                 const QStringList &additionalGroups = {});

} // namespace porthole::runtime
