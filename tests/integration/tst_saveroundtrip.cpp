// A commit of the changes that are hardest to carry (a deleted file, a
// directory replaced by a file, a hard link, a symlink, a fifo, a Korean
// file name) survives save in both formats, then load in podman and in
// another Porthole store: the same check script prints the same answers
// in all of them.
#include "support/testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mount.h>

using porthole::test::RunResult;
using porthole::test::haveProgram;
using porthole::test::runProgram;

namespace {

// What the changes look like from inside a container of the committed
// image; one line per fact, so a difference names itself.
const QString kCheck = QStringLiteral(
    "test -e /etc/motd && echo motd-present || echo motd-deleted; "
    "test -f /srv/was-dir && echo \"was-dir file: $(cat /srv/was-dir)\"; "
    "echo \"links: $(stat -c %h /srv/a) $( [ /srv/a -ef /srv/b ] && echo same-inode)\"; "
    "echo \"symlink: $(readlink /srv/link)\"; "
    "test -p /srv/fifo && echo fifo; "
    "echo \"korean: $(cat /srv/안녕하세요.txt)\"");

const QByteArray kExpected = "motd-deleted\n"
                             "was-dir file: now a file\n"
                             "links: 2 same-inode\n"
                             "symlink: ../etc/os-release\n"
                             "fifo\n"
                             "korean: 반갑습니다\n";

} // namespace

class TestSaveRoundTrip : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;

    RunResult ph(const QString &root, const QStringList &args) { return porthole::test::runWithDemo(root, args); }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_root = m_dir.filePath(QStringLiteral("root"));
        QVERIFY(porthole::test::demoImageReady(m_root));
        // The base image gets a directory that the change replaces by a file.
        QCOMPARE(ph(m_root, {QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("base"), QStringLiteral("--network"), QStringLiteral("none"),
                             QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("mkdir -p /srv/was-dir/sub && echo x > /srv/was-dir/sub/f")}).exitCode, 0);
        QCOMPARE(ph(m_root, {QStringLiteral("commit"), QStringLiteral("base"), QStringLiteral("localhost/trip:base")}).exitCode, 0);
        const RunResult change = ph(m_root, {QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("change"), QStringLiteral("--network"),
                                             QStringLiteral("none"), QStringLiteral("localhost/trip:base"), QStringLiteral("sh"), QStringLiteral("-c"),
                                             QStringLiteral("rm /etc/motd && rm -r /srv/was-dir && echo 'now a file' > /srv/was-dir && "
                                                            "echo data > /srv/a && ln /srv/a /srv/b && ln -s ../etc/os-release /srv/link && "
                                                            "mkfifo /srv/fifo && echo 반갑습니다 > /srv/안녕하세요.txt")});
        QVERIFY2(change.exitCode == 0, change.err.constData());
        QCOMPARE(ph(m_root, {QStringLiteral("commit"), QStringLiteral("change"), QStringLiteral("localhost/trip:changed")}).exitCode, 0);
        const RunResult here = ph(m_root, {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                                           QStringLiteral("localhost/trip:changed"), QStringLiteral("sh"), QStringLiteral("-c"), kCheck});
        QCOMPARE(here.out, kExpected);
    }

    void cleanupTestCase()
    {
        if (porthole::test::containerSkipReason().isEmpty())
            porthole::test::removeAllContainers(m_root);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("loader");
        QTest::newRow("docker-archive into porthole") << QStringLiteral("docker-archive") << QStringLiteral("porthole");
        QTest::newRow("oci-archive into porthole") << QStringLiteral("oci-archive") << QStringLiteral("porthole");
        QTest::newRow("docker-archive into podman") << QStringLiteral("docker-archive") << QStringLiteral("podman");
        QTest::newRow("oci-archive into podman") << QStringLiteral("oci-archive") << QStringLiteral("podman");
    }

    void roundTrip()
    {
        QFETCH(QString, format);
        QFETCH(QString, loader);
        const QString archive = m_dir.filePath(format + QStringLiteral(".tar"));
        const RunResult save = ph(m_root, {QStringLiteral("save"), QStringLiteral("--format"), format, QStringLiteral("-o"), archive,
                                           QStringLiteral("localhost/trip:changed")});
        QVERIFY2(save.exitCode == 0, save.err.constData());

        if (loader == QLatin1String("porthole")) {
            QTemporaryDir other;
            const QString root = other.filePath(QStringLiteral("root"));
            const RunResult load = ph(root, {QStringLiteral("load"), QStringLiteral("-i"), archive});
            QVERIFY2(load.exitCode == 0, load.err.constData());
            QVERIFY2(load.out.contains("Loaded image: localhost/trip:changed"), load.out.constData());
            const RunResult run = ph(root, {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                                            QStringLiteral("localhost/trip:changed"), QStringLiteral("sh"), QStringLiteral("-c"), kCheck});
            QCOMPARE(run.out, kExpected);
            return;
        }
        if (!haveProgram(QStringLiteral("podman")))
            QSKIP("podman is not installed (installer/install-deps.sh test)");
        QTemporaryDir podmanDir;
        const QStringList podman{QStringLiteral("--root"), podmanDir.filePath(QStringLiteral("root")), QStringLiteral("--runroot"),
                                 podmanDir.filePath(QStringLiteral("run")), QStringLiteral("--tmpdir"), podmanDir.filePath(QStringLiteral("tmp"))};
        const RunResult load = runProgram(QStringLiteral("podman"), podman + QStringList{QStringLiteral("load"), QStringLiteral("-i"), archive});
        QVERIFY2(load.exitCode == 0, load.err.constData());
        // An OCI archive may name the image by its ref.name only: run it by
        // the ID podman printed if the name is not there.
        QString image = QStringLiteral("localhost/trip:changed");
        const QByteArray loaded = load.out.trimmed();
        if (!loaded.contains("localhost/trip:changed") && loaded.startsWith("Loaded image: sha256:"))
            image = QString::fromLatin1(loaded.mid(14));
        const RunResult run = runProgram(QStringLiteral("podman"), podman + QStringList{QStringLiteral("run"), QStringLiteral("--rm"),
                                         QStringLiteral("--network"), QStringLiteral("none"), image, QStringLiteral("sh"),
                                         QStringLiteral("-c"), kCheck});
        runProgram(QStringLiteral("podman"), podman + QStringList{QStringLiteral("rmi"), QStringLiteral("-a"), QStringLiteral("-f")});
        // podman's overlay driver may leave its home mounted on itself.
        ::umount2(QFile::encodeName(podmanDir.filePath(QStringLiteral("root/overlay"))).constData(), MNT_DETACH);
        QVERIFY2(run.exitCode == 0, (load.out + run.err).constData());
        QCOMPARE(run.out, kExpected);
    }
};

QTEST_GUILESS_MAIN(TestSaveRoundTrip)
#include "tst_saveroundtrip.moc"
