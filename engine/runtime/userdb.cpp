#include "runtime/userdb.h"

#include <optional>

namespace porthole::runtime {

namespace {

// Strict decimal with an optional sign, like Go's strconv.Atoi: "12", "+7",
// "-3" are numbers; "0x1f", " 1", "1a" and "" are not.
bool looksNumeric(const QString &s)
{
    int i = (s.startsWith(QLatin1Char('+')) || s.startsWith(QLatin1Char('-'))) ? 1 : 0;
    if (i >= s.size())
        return false;
    for (; i < s.size(); ++i) {
        if (s[i] < QLatin1Char('0') || s[i] > QLatin1Char('9'))
            return false;
    }
    return true;
}

std::optional<qint64> parseFileId(const QString &field)
{
    if (!looksNumeric(field))
        return std::nullopt;
    bool ok = false;
    const qint64 v = field.toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

Error rangeError(const QString &what)
{
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1: uids and gids must be in range 0-%2").arg(what).arg(kMaxUserId));
}

// A user or group argument: a name, or a number that is always an id. A
// number out of range is an error rather than a name, so "2147483648" can
// never pick up a passwd entry that happens to be called that.
struct IdArg {
    QString name;
    qint64 id = 0;
    bool numeric = false;
};

Result<std::optional<IdArg>> parseIdArg(const QString &text, const QString &what)
{
    if (text.isEmpty())
        return std::optional<IdArg>();
    IdArg arg{text, 0, false};
    if (looksNumeric(text)) {
        bool ok = false;
        arg.id = text.toLongLong(&ok);
        if (!ok || arg.id < 0 || arg.id > kMaxUserId)
            return rangeError(QStringLiteral("%1 \"%2\"").arg(what, text));
        arg.numeric = true;
    }
    return std::optional<IdArg>(arg);
}

bool matches(const IdArg &arg, const GroupEntry &g) { return arg.numeric ? g.gid == arg.id : g.name == arg.name; }

Error noGroup(const QString &name)
{
    return Error(ErrorCode::NotFound,
                 QStringLiteral("unable to find group %1: no matching entries in group file").arg(name));
}

// The gid an explicit group argument stands for.
Result<gid_t> resolveGroup(const IdArg &arg, const QList<GroupEntry> &groups)
{
    for (const GroupEntry &g : groups) {
        if (!matches(arg, g))
            continue;
        if (g.gid < 0 || g.gid > kMaxUserId)
            return rangeError(QStringLiteral("group %1 has gid %2").arg(g.name).arg(g.gid));
        return gid_t(g.gid);
    }
    if (!arg.numeric)
        return noGroup(arg.name);
    return gid_t(arg.id);
}

void appendUnique(QList<gid_t> &list, gid_t gid)
{
    if (!list.contains(gid))
        list.append(gid);
}

} // namespace

QList<PasswdEntry> parsePasswd(const QByteArray &passwd)
{
    QList<PasswdEntry> out;
    for (const QByteArray &raw : passwd.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList f = line.split(QLatin1Char(':'));
        if (f.size() < 4 || f[0].isEmpty())
            continue;
        const auto uid = parseFileId(f[2]);
        const auto gid = parseFileId(f[3]);
        if (!uid || !gid)
            continue;
        out.append(PasswdEntry{f[0], *uid, *gid, f.value(4), f.value(5), f.value(6)});
    }
    return out;
}

QList<GroupEntry> parseGroup(const QByteArray &group)
{
    QList<GroupEntry> out;
    for (const QByteArray &raw : group.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList f = line.split(QLatin1Char(':'));
        if (f.size() < 3 || f[0].isEmpty())
            continue;
        const auto gid = parseFileId(f[2]);
        if (!gid)
            continue;
        GroupEntry g{f[0], *gid, {}};
        if (f.size() > 3)
            g.members = f[3].split(QLatin1Char(','), Qt::SkipEmptyParts);
        out.append(g);
    }
    return out;
}

Result<ExecUser> resolveExecUser(const QString &spec, const QByteArray &passwd, const QByteArray &group,
                                 const QStringList &additionalGroups)
{
    const QString step = QStringLiteral("user spec \"%1\"").arg(spec);
    const QStringList parts = spec.split(QLatin1Char(':'));
    if (parts.size() > 2)
        return Error(ErrorCode::InvalidArgument, step + QStringLiteral(": expected user[:group]"));
    PH_TRY(const std::optional<IdArg> userArg, parseIdArg(parts[0], QStringLiteral("user")));
    PH_TRY(const std::optional<IdArg> groupArg, parseIdArg(parts.value(1), QStringLiteral("group")));

    ExecUser user;
    const PasswdEntry *match = nullptr;
    const QList<PasswdEntry> users = parsePasswd(passwd);
    for (const PasswdEntry &u : users) {
        const bool hit = !userArg ? u.uid == 0 : userArg->numeric ? u.uid == userArg->id : u.name == userArg->name;
        if (hit) {
            match = &u; // the first entry wins, as in glibc
            break;
        }
    }
    if (match) {
        if (match->uid < 0 || match->uid > kMaxUserId || match->gid < 0 || match->gid > kMaxUserId)
            return rangeError(
                QStringLiteral("passwd entry %1 (%2:%3)").arg(match->name).arg(match->uid).arg(match->gid));
        user.uid = uid_t(match->uid);
        user.gid = gid_t(match->gid);
        user.name = match->name;
        if (!match->home.isEmpty())
            user.home = match->home;
    } else if (userArg && !userArg->numeric) {
        return Error(ErrorCode::NotFound,
                     QStringLiteral("unable to find user %1: no matching entries in passwd file").arg(userArg->name));
    } else if (userArg) {
        user.uid = uid_t(userArg->id);
    }

    const QList<GroupEntry> groups = parseGroup(group);
    if (groupArg) {
        PH_TRY(user.gid, resolveGroup(*groupArg, groups));
    } else if (match) {
        // Membership lists only count when the group is implicit; an explicit
        // group replaces them, as it does in docker.
        for (const GroupEntry &g : groups) {
            if (!g.members.contains(match->name))
                continue;
            if (g.gid < 0 || g.gid > kMaxUserId)
                return rangeError(QStringLiteral("group %1 has gid %2").arg(g.name).arg(g.gid));
            appendUnique(user.supplementaryGroups, gid_t(g.gid));
        }
    }

    for (const QString &extra : additionalGroups) {
        PH_TRY(const std::optional<IdArg> arg, parseIdArg(extra, QStringLiteral("additional group")));
        if (!arg)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("additional group: an empty name is not a group"));
        PH_TRY(const gid_t gid, resolveGroup(*arg, groups));
        appendUnique(user.supplementaryGroups, gid);
    }
    return user;
}

} // namespace porthole::runtime
