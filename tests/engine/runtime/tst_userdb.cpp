// resolveExecUser must give the same uid/gid/groups docker would, because an
// image's USER line has to mean the same thing under Porthole. The table
// follows the cases moby/sys/user tests (numbers are ids, never names; first
// entry wins; explicit groups replace memberships; range limits).
#include "runtime/userdb.h"

#include <QTest>

using namespace porthole;
using namespace porthole::runtime;

using GidList = QList<uint>;

namespace {

QByteArray bigGroupLine()
{
    // A member list far longer than any line buffer a naive parser might use.
    QByteArray line = "big:x:1000:";
    for (int i = 0; i < 10000; ++i)
        line += "member" + QByteArray::number(i) + ',';
    line += "user7456\n";
    return line;
}

const QByteArray kPasswd = "root:x:0:0:root user:/root:/bin/bash\n"
                           "adm:x:42:43:adm:/var/adm:/bin/false\n"
                           "111:x:222:333::/var/garbage\n"     // *named* 111, uid 222
                           "odd:x:111:112::/home/odd:::::\n"   // uid 111, extra fields
                           "  # indented comment:x:5:5::/c\n"
                           "2147483647:x:0:0:named like max:/root:/bin/bash\n"
                           "2147483648:x:0:0:named too large:/root:/bin/bash\n"
                           "user7456:x:7456:100:Vasya:/home/user7456\n"
                           "short:x:9\n"
                           "badnum:x:1a:5::/x:/bin/sh\n"
                           "this is just some garbage data\n";

const QByteArray kGroup = "root:x:0:root\n"
                          "adm:x:43:\n"
                          "grp:x:1234:root,adm,user7456\n"
                          "444:x:555:111\n" // *named* 444, gid 555
                          "odd:x:444:\n"
                          "toolarge:x:2147483648:\n"
                          "# comment:x:9:root\n"
                          "broken:x:notanumber:root\n"
                          "this is just some garbage data\n"
                          + bigGroupLine();

} // namespace

class TestUserDb : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resolve_data();
    void resolve();
    void parsePasswdSkipsMalformedLines();
    void parseGroupSkipsMalformedLines();
};

void TestUserDb::resolve_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<bool>("withFiles");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<uint>("uid");
    QTest::addColumn<uint>("gid");
    QTest::addColumn<GidList>("groups");
    QTest::addColumn<QString>("home");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error"); // substring of the message when !ok

    const QStringList none;
    auto good = [&](const char *row, const QString &spec, const QStringList &extra, uint uid, uint gid,
                    const GidList &groups, const QString &home, const QString &name, bool withFiles = true) {
        QTest::newRow(row) << spec << extra << withFiles << true << uid << gid << groups << home << name << QString();
    };
    auto bad = [&](const char *row, const QString &spec, const QStringList &extra, const QString &error,
                   bool withFiles = true) {
        QTest::newRow(row) << spec << extra << withFiles << false << 0u << 0u << GidList() << QString() << QString()
                           << error;
    };

    // Plain lookups.
    good("empty spec is uid 0", "", none, 0, 0, {0, 1234}, "/root", "root");
    good("name", "root", none, 0, 0, {0, 1234}, "/root", "root");
    good("name with memberships", "adm", none, 42, 43, {1234}, "/var/adm", "adm");
    good("uid found in passwd", "7456", none, 7456, 100, {1234, 1000}, "/home/user7456", "user7456");
    good("uid is never a name", "111", none, 111, 112, {}, "/home/odd", "odd");
    good("unknown uid keeps gid 0", "1337", none, 1337, 0, {}, "/", "");
    good("max uid, not the user named like it", "2147483647", none, 2147483647, 0, {}, "/", "");
    // Explicit groups replace memberships.
    good("name:group", "root:adm", none, 0, 43, {}, "/root", "root");
    good("name:gid", "adm:1234", none, 42, 1234, {}, "/var/adm", "adm");
    good("uid:gid", "42:1234", none, 42, 1234, {}, "/var/adm", "adm");
    good("unknown uid:known gid", "1337:1234", none, 1337, 1234, {}, "/", "");
    good("gid is never a group name", "111:444", none, 111, 444, {}, "/home/odd", "odd");
    good("max gid", "7456:2147483647", none, 7456, 2147483647, {}, "/home/user7456", "user7456");
    good("max uid:gid", "2147483647:43", none, 2147483647, 43, {}, "/", "");
    good("group only", ":adm", none, 0, 43, {}, "/root", "root");
    // --group-add.
    good("additional by name and unknown id", "root", {"adm", "10001"}, 0, 0, {0, 1234, 43, 10001}, "/root", "root");
    good("additional already a member", "adm", {"grp", "43"}, 42, 43, {1234, 43}, "/var/adm", "adm");
    good("additional with explicit group", "root:adm", {"1234"}, 0, 43, {1234}, "/root", "root");
    // No /etc/passwd or /etc/group in the image.
    good("no files, empty spec", "", none, 0, 0, {}, "/", "", false);
    good("no files, uid:gid", "1000:1000", none, 1000, 1000, {}, "/", "", false);
    good("no files, numeric additional", "0", {"5", "6"}, 0, 0, {5, 6}, "/", "", false);

    // Unknown names.
    bad("unknown user", "notuser", none, "unable to find user notuser: no matching entries in passwd file");
    bad("unknown user and group", "notuser:notgroup", none, "unable to find user notuser");
    bad("unknown group", "root:notgroup", none, "unable to find group notgroup: no matching entries in group file");
    bad("unknown group with uid", "8888:notgroup", none, "unable to find group notgroup");
    bad("unknown user, known group", "notuser:adm", none, "unable to find user notuser");
    bad("unknown additional group", "root", {"adm", "not-exist"}, "unable to find group not-exist");
    bad("no passwd file", "root", none, "unable to find user root", false);
    bad("no group file", ":adm", none, "unable to find group adm", false);
    // Malformed or out of range.
    bad("three parts", "a:b:c", none, "expected user[:group]");
    bad("negative uid", "-1:0", none, "must be in range");
    bad("negative gid", "0:-3", none, "must be in range");
    bad("negative both", "-5:-2", none, "must be in range");
    bad("negative uid alone", "-42", none, "must be in range");
    bad("uid above max", "2147483648", none, "must be in range");
    bad("uid overflows int64", "9223372036854775808", none, "must be in range");
    bad("gid above max", "42:2147483648", none, "must be in range");
    bad("gid int64 max", "7456:9223372036854775807", none, "must be in range");
    bad("matched group with gid out of range", "root:toolarge", none, "must be in range");
    bad("additional negative", "root", {"-1"}, "must be in range");
    bad("additional above max", "root", {"2147483648"}, "must be in range");
    bad("additional entry out of range", "root", {"toolarge"}, "must be in range");
}

void TestUserDb::resolve()
{
    QFETCH(QString, spec);
    QFETCH(QStringList, extra);
    QFETCH(bool, withFiles);
    QFETCH(bool, ok);

    const auto r = resolveExecUser(spec, withFiles ? kPasswd : QByteArray(), withFiles ? kGroup : QByteArray(), extra);
    if (!ok) {
        QVERIFY2(!r.ok(), qPrintable(QStringLiteral("unexpected success, uid %1").arg(r.ok() ? r->uid : 0)));
        QFETCH(QString, error);
        QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
        const bool notFound = error.startsWith(QLatin1String("unable to find"));
        QCOMPARE(r.error().code, notFound ? ErrorCode::NotFound : ErrorCode::InvalidArgument);
        return;
    }
    // QVERIFY2 evaluates its message eagerly: never touch error() of a success.
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QFETCH(uint, uid);
    QFETCH(uint, gid);
    QFETCH(GidList, groups);
    QFETCH(QString, home);
    QFETCH(QString, name);
    QCOMPARE(uint(r->uid), uid);
    QCOMPARE(uint(r->gid), gid);
    GidList got;
    for (gid_t g : r->supplementaryGroups)
        got.append(uint(g));
    QCOMPARE(got, groups);
    QCOMPARE(r->home, home);
    QCOMPARE(r->name, name);
}

void TestUserDb::parsePasswdSkipsMalformedLines()
{
    const QList<PasswdEntry> users = parsePasswd(kPasswd);
    QStringList names;
    for (const PasswdEntry &u : users)
        names << u.name;
    QCOMPARE(names, (QStringList{"root", "adm", "111", "odd", "2147483647", "2147483648", "user7456"}));
    QCOMPARE(users[1].uid, 42);
    QCOMPARE(users[1].gid, 43);
    QCOMPARE(users[1].gecos, QStringLiteral("adm"));
    QCOMPARE(users[1].home, QStringLiteral("/var/adm"));
    QCOMPARE(users[1].shell, QStringLiteral("/bin/false"));
    QCOMPARE(users[2].shell, QString()); // six fields: no shell
    QCOMPARE(users[3].home, QStringLiteral("/home/odd"));
    QVERIFY(parsePasswd("\r\n  \n#root:x:0:0::/:/bin/sh\n:x:0:0::/:/bin/sh\n").isEmpty());
    // CRLF files (edited on Windows) still parse.
    const auto crlf = parsePasswd("daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\r\n");
    QCOMPARE(crlf.size(), 1);
    QCOMPARE(crlf[0].shell, QStringLiteral("/usr/sbin/nologin"));
}

void TestUserDb::parseGroupSkipsMalformedLines()
{
    const QList<GroupEntry> groups = parseGroup(kGroup);
    QStringList names;
    for (const GroupEntry &g : groups)
        names << g.name;
    QCOMPARE(names, (QStringList{"root", "adm", "grp", "444", "odd", "toolarge", "big"}));
    QCOMPARE(groups[1].members, QStringList());
    QCOMPARE(groups[2].members, (QStringList{"root", "adm", "user7456"}));
    QCOMPARE(groups[5].gid, Q_INT64_C(2147483648)); // kept; rejected only when used
    QCOMPARE(groups[6].members.size(), 10001);
    QCOMPARE(groups[6].members.last(), QStringLiteral("user7456"));
    QVERIFY(parseGroup("nogid:x\n:x:5:root\n").isEmpty());
    const auto trailingComma = parseGroup("g:x:7:a,,b,\n");
    QCOMPARE(trailingComma.size(), 1);
    QCOMPARE(trailingComma[0].members, (QStringList{"a", "b"}));
}

QTEST_GUILESS_MAIN(TestUserDb)
#include "tst_userdb.moc"
