// Store permissions as another host user sees them (the CVE-2021-41091
// class): a container of the demo image leaves a setuid-root busybox in a
// named volume and in its own upper dir, and was created with a secret in
// -e; the user nobody (through setpriv) can run neither copy and cannot read
// the secret, while users inside containers still traverse "/" and read the
// volume. A store made with the older, looser modes is tightened by the next
// porthole command. The modes themselves: tests/engine/store/tst_permissions.
// Needs root (containers, setpriv).
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using porthole::test::RunResult;
using porthole::test::fileMode;
using porthole::test::setFileMode;

namespace {

// Runs a program as nobody:nogroup with no supplementary groups. Through a
// shell: setpriv itself still holds root's capabilities when it calls
// execve (they go at the exec), so its own lookup of the path would pass.
RunResult asNobody(const QStringList &command)
{
    return porthole::test::runProgram(QStringLiteral("setpriv"),
                                      QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                                  QStringLiteral("--clear-groups"), QStringLiteral("--"), QStringLiteral("/bin/sh"),
                                                  QStringLiteral("-c"), QStringLiteral("exec \"$@\""), QStringLiteral("sh")}
                                          + command);
}

} // namespace

class TestStorePermissions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void nobodyIsKeptOut();
    void modes();
    void containerUsersStillSeeTheirFiles();
    void olderStoreIsTightenedByTheNextCommand();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runWithDemo(m_root, args); }
    // Named busybox, so it runs the applet named by its first argument.
    QString volumeProgram() const { return m_root + QStringLiteral("/volumes/vol/_data/busybox"); }
    QString upperProgram() const { return m_root + QStringLiteral("/containers/") + m_id + QStringLiteral("/upper/suid/busybox"); }
    QString config() const { return m_root + QStringLiteral("/containers/") + m_id + QStringLiteral("/config.json"); }
    // Runs each setuid copy and reads the config as nobody; all must fail.
    void checkNobodyIsKeptOut();

    QTemporaryDir m_base;
    QString m_root;
    QString m_id;
};

void TestStorePermissions::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    if (!porthole::test::haveProgram(QStringLiteral("setpriv")))
        QSKIP("setpriv (util-linux) is missing");
    QVERIFY(m_base.isValid());
    // Everything up to the store root is open to nobody, as /var/lib is.
    QVERIFY(setFileMode(m_base.path(), 0755));
    if (asNobody({QStringLiteral("/bin/ls"), m_base.path()}).exitCode != 0)
        QSKIP("nobody cannot reach the temporary directory (TMPDIR below a private directory)");
    m_root = m_base.filePath(QStringLiteral("store"));
    QVERIFY2(porthole::test::demoImageReady(m_root), "the demo image was not created");
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("writer"), QStringLiteral("--network"),
                            QStringLiteral("none"), QStringLiteral("-e"), QStringLiteral("SECRET=hunter2"), QStringLiteral("-v"),
                            QStringLiteral("vol:/v"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("cp /bin/busybox /v/busybox && chmod 4755 /v/busybox && mkdir /suid && cp /bin/busybox /suid/"
                                           " && chmod 4755 /suid/busybox"
                                           " && echo readable > /v/readme && chmod 644 /v/readme && echo done")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QStringList ids = QDir(m_root + QStringLiteral("/containers"))
                                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                                .filter(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")));
    QCOMPARE(ids.size(), 1);
    m_id = ids.first();
    PH_COMPARE_MODE(volumeProgram(), 04755);
    PH_COMPARE_MODE(upperProgram(), 04755);
}

void TestStorePermissions::cleanupTestCase()
{
    if (!m_root.isEmpty())
        porthole::test::removeAllContainers(m_root);
}

void TestStorePermissions::checkNobodyIsKeptOut()
{
    for (const QString &program : {volumeProgram(), upperProgram()}) {
        const RunResult r = asNobody({program, QStringLiteral("echo"), QStringLiteral("reached")});
        QVERIFY2(r.exitCode != 0 && !r.out.contains("reached"), qPrintable(program + QStringLiteral(" ran as nobody")));
        QVERIFY2(r.err.contains("Permission denied"), r.err.constData());
    }
    const RunResult r = asNobody({QStringLiteral("/bin/cat"), config()});
    QVERIFY2(r.exitCode != 0 && !r.out.contains("hunter2"), "nobody read the container's -e secret");
}

// The setuid copies and the secret, as nobody: out of reach, also with the
// store root opened up by hand (the records and volumes are private too).
void TestStorePermissions::nobodyIsKeptOut()
{
    QVERIFY(QFile(config()).open(QIODevice::ReadOnly)); // root can
    checkNobodyIsKeptOut();
    QVERIFY(setFileMode(m_root, 0711));
    checkNobodyIsKeptOut();
    QVERIFY(setFileMode(m_root, 0700));
}

void TestStorePermissions::modes()
{
    const QString c = m_root + QStringLiteral("/containers/") + m_id;
    for (const QString &dir : {m_root, m_root + QStringLiteral("/containers"), c, m_root + QStringLiteral("/volumes"),
                               m_root + QStringLiteral("/volumes/vol"), c + QStringLiteral("/work")})
        PH_COMPARE_MODE(dir, 0700);
    for (const char *file : {"config.json", "state.json", "container.log"})
        PH_COMPARE_MODE(c + u'/' + QLatin1String(file), 0600);
    PH_COMPARE_MODE(c + QStringLiteral("/upper"), 0755);
    PH_COMPARE_MODE(m_root + QStringLiteral("/volumes/vol/_data"), 0755);
    QVERIFY2(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("made")}).exitCode == 0, "volume create");
    PH_COMPARE_MODE(m_root + QStringLiteral("/volumes/made"), 0700);
    PH_COMPARE_MODE(m_root + QStringLiteral("/volumes/made/_data"), 0755);
}

// The 0755 of upper/ and _data is what a container's users see: "/" and the
// mount point stay theirs to traverse, behind the 0700 parents.
void TestStorePermissions::containerUsersStillSeeTheirFiles()
{
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                            QStringLiteral("-u"), QStringLiteral("65534"), QStringLiteral("-v"), QStringLiteral("vol:/v"),
                            QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("id -u && stat -c %a / /v && ls / >/dev/null && cat /etc/hosts /etc/hostname "
                                           "/etc/resolv.conf >/dev/null && cat /v/readme")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("65534\n755\n755\nreadable\n"));
}

void TestStorePermissions::olderStoreIsTightenedByTheNextCommand()
{
    const QString c = m_root + QStringLiteral("/containers/") + m_id;
    // The modes earlier versions made.
    for (const QString &dir : {m_root, m_root + QStringLiteral("/containers"), c})
        QVERIFY(setFileMode(dir, 0711));
    for (const QString &dir : {m_root + QStringLiteral("/volumes"), m_root + QStringLiteral("/volumes/vol")})
        QVERIFY(setFileMode(dir, 0755));
    for (const char *file : {"config.json", "state.json"})
        QVERIFY(setFileMode(c + u'/' + QLatin1String(file), 0644));
    // What that let nobody do (the check below is not vacuous).
    const RunResult loose = asNobody({volumeProgram(), QStringLiteral("echo"), QStringLiteral("reached")});
    QVERIFY2(loose.out.contains("reached"), loose.err.constData());
    QVERIFY(asNobody({QStringLiteral("/bin/cat"), config()}).out.contains("hunter2"));

    const RunResult ps = ph({QStringLiteral("ps"), QStringLiteral("-a")});
    QVERIFY2(ps.exitCode == 0, ps.err.constData());
    PH_COMPARE_MODE(m_root, 0700);
    for (const QString &dir : {m_root + QStringLiteral("/containers"), c, m_root + QStringLiteral("/volumes"),
                               m_root + QStringLiteral("/volumes/vol")})
        PH_COMPARE_MODE(dir, 0700);
    for (const char *file : {"config.json", "state.json"})
        PH_COMPARE_MODE(c + u'/' + QLatin1String(file), 0600);
    checkNobodyIsKeptOut();
}

QTEST_GUILESS_MAIN(TestStorePermissions)
#include "tst_storepermissions.moc"
