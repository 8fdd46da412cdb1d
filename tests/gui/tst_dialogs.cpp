// The commit and run dialogs filled in as a user would produce the engine
// request and the CLI line that request stands for; the per-entry checks
// (--change lines, run entries) accept and refuse what they should. The
// registry dialogs (pull, login) are in tst_registrydialogs.cpp, the
// settings in tst_settingsdialog.cpp.
#include "gui/dialogs/appsettings.h"
#include "gui/dialogs/changevalidator.h"
#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/commitdialog.h"
#include "gui/dialogs/rundialog.h"
#include "service/engineservice.h"

#include "support/guitestsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;
using porthole::test::okEnabled;

namespace {

service::ContainerRow containerRow(const QString &name, const QString &image)
{
    service::ContainerRow r;
    r.id = QString(64, u'c');
    r.name = name;
    r.image = image;
    r.state = QStringLiteral("running");
    r.status = QStringLiteral("Up 3 seconds");
    return r;
}

} // namespace

class TestDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void changeValidator_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error"); // a part of the refusal, empty: accepted
        const QString ok;
        QTest::newRow("cmd json") << QStringLiteral("CMD [\"sh\", \"-c\", \"echo hi\"]") << ok;
        QTest::newRow("cmd shell") << QStringLiteral("CMD echo hi") << ok;
        QTest::newRow("lower case") << QStringLiteral("entrypoint [\"/app\"]") << ok;
        QTest::newRow("env") << QStringLiteral("ENV MODE=production DEBUG=0") << ok;
        QTest::newRow("env legacy") << QStringLiteral("ENV MODE production") << ok;
        QTest::newRow("expose") << QStringLiteral("EXPOSE 80/tcp 443") << ok;
        QTest::newRow("label") << QStringLiteral("LABEL org.example.team=\"web ops\"") << ok;
        QTest::newRow("onbuild") << QStringLiteral("ONBUILD RUN make") << ok;
        QTest::newRow("user") << QStringLiteral("USER nobody") << ok;
        QTest::newRow("volume") << QStringLiteral("VOLUME /data") << ok;
        QTest::newRow("workdir") << QStringLiteral("WORKDIR /srv/app") << ok;
        QTest::newRow("stopsignal") << QStringLiteral("STOPSIGNAL SIGQUIT") << ok;
        QTest::newRow("run") << QStringLiteral("RUN apt-get update") << QStringLiteral("RUN is not a valid change command");
        QTest::newRow("from") << QStringLiteral("FROM alpine") << QStringLiteral("FROM is not a valid change command");
        QTest::newRow("typo") << QStringLiteral("ENVV A=b") << QStringLiteral("ENVV is not a valid change command");
        QTest::newRow("cmd no args") << QStringLiteral("CMD") << QStringLiteral("CMD requires at least one argument");
        QTest::newRow("env no value") << QStringLiteral("ENV A") << QStringLiteral("ENV must have two arguments");
        QTest::newRow("expose bad") << QStringLiteral("EXPOSE http") << QStringLiteral("http");
        QTest::newRow("bad signal") << QStringLiteral("STOPSIGNAL SIGFOO") << QStringLiteral("invalid signal \"SIGFOO\"");
        QTest::newRow("onbuild chain") << QStringLiteral("ONBUILD ONBUILD RUN x") << QStringLiteral("ONBUILD ONBUILD");
        QTest::newRow("flag") << QStringLiteral("CMD --foo bar") << QStringLiteral("unknown flag --foo for CMD");
        QTest::newRow("comment") << QStringLiteral("# a note") << QStringLiteral("empty instruction");
    }

    void changeValidator()
    {
        QFETCH(QString, line);
        QFETCH(QString, error);
        const QString got = changeLineError(line);
        if (error.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.contains(error), qPrintable(got));
    }

    void changeLinesNumberProblems()
    {
        const auto problems = checkChangeLines(QStringLiteral("CMD sh\n\nRUN x\n  ENV A=1\nFROM y\n"));
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[0].line, 3);
        QCOMPARE(problems[1].line, 5);
    }

    void suggestedCommitName_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("container");
        QTest::addColumn<QString>("expected");
        QTest::newRow("tagged") << "localhost/demo:latest" << "web" << "localhost/demo:web";
        QTest::newRow("no tag") << "alpine" << "db_1" << "alpine:db_1";
        QTest::newRow("port") << "127.0.0.1:5000/x/app:1.0" << "api" << "127.0.0.1:5000/x/app:api";
        QTest::newRow("port, no tag") << "127.0.0.1:5000/app" << "api" << "127.0.0.1:5000/app:api";
        QTest::newRow("digest") << "alpine@sha256:" + QString(64, u'a') << "x1" << "alpine:x1";
        QTest::newRow("short ID") << "0123456789ab" << "MyBox" << "mybox";
    }

    void suggestedCommitName()
    {
        QFETCH(QString, image);
        QFETCH(QString, container);
        QFETCH(QString, expected);
        QCOMPARE(gui::suggestedCommitName(image, container), expected);
        QVERIFY(commitReferenceError(expected).isEmpty());
    }

    void commitDialogMakesTheRequest()
    {
        CommitDialog dialog(containerRow(QStringLiteral("web"), QStringLiteral("localhost/demo:latest")),
                            QStringLiteral("Kim <kim@example.com>"));
        QCOMPARE(dialog.referenceEdit()->text(), QStringLiteral("localhost/demo:web"));
        QCOMPARE(dialog.authorEdit()->text(), QStringLiteral("Kim <kim@example.com>"));
        QVERIFY(dialog.pauseBox()->isChecked());

        dialog.referenceEdit()->setText(QStringLiteral("myapp:v2"));
        dialog.messageEdit()->setText(QStringLiteral("add the config"));
        dialog.changesEdit()->setPlainText(QStringLiteral("ENV MODE=prod\n\nCMD [\"/app\"]\n"));
        dialog.pauseBox()->setChecked(false);
        const service::CommitRequest r = dialog.request();
        QCOMPARE(r.container, QStringLiteral("web"));
        QCOMPARE(r.reference, QStringLiteral("myapp:v2"));
        QCOMPARE(r.author, QStringLiteral("Kim <kim@example.com>"));
        QCOMPARE(r.message, QStringLiteral("add the config"));
        QCOMPARE(r.changes, (QStringList{QStringLiteral("ENV MODE=prod"), QStringLiteral("CMD [\"/app\"]")}));
        QCOMPARE(r.pause, false);
        QCOMPARE(dialog.commandLine(),
                 QStringLiteral("porthole commit --author 'Kim <kim@example.com>' --message 'add the config' "
                                "--change 'ENV MODE=prod' --change 'CMD [\"/app\"]' --pause=false web myapp:v2"));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.findChild<CommandPreview *>() != nullptr, true);
    }

    void commitDialogRefusesBadInput()
    {
        CommitDialog dialog(containerRow(QStringLiteral("web"), QStringLiteral("alpine")), {});
        QVERIFY(okEnabled(dialog));
        dialog.changesEdit()->setPlainText(QStringLiteral("ENV A=1\nRUN rm -rf /\n"));
        QVERIFY(!okEnabled(dialog));
        QVERIFY(dialog.validationError().startsWith(QStringLiteral("Line 2:")));
        QCOMPARE(dialog.changesEdit()->extraSelections().size(), 1);
        dialog.changesEdit()->setPlainText(QStringLiteral("ENV A=1\n"));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.changesEdit()->extraSelections().size(), 0);

        dialog.referenceEdit()->setText(QStringLiteral("Not Valid"));
        QVERIFY(!okEnabled(dialog));
        dialog.referenceEdit()->setText(QStringLiteral("app@sha256:") + QString(64, u'a'));
        QVERIFY(!okEnabled(dialog));
        // Empty: a dangling image, as `docker commit c` makes.
        dialog.referenceEdit()->clear();
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.commandLine(), QStringLiteral("porthole commit --change 'ENV A=1' web"));
    }

    void runDialogMakesTheRequest()
    {
        RunDialog dialog(QStringLiteral("localhost/demo:latest"));
        QCOMPARE(dialog.commandLine(), QStringLiteral("porthole run -d localhost/demo:latest"));
        dialog.nameEdit()->setText(QStringLiteral("web"));
        dialog.commandEdit()->setText(QStringLiteral("sh -c 'echo hi; sleep 100'"));
        dialog.envEdit()->setPlainText(QStringLiteral("MODE=prod\n\n  DEBUG \n"));
        dialog.volumesEdit()->setPlainText(QStringLiteral("/srv/data:/data:ro\ncache:/cache"));
        dialog.portsEdit()->setPlainText(QStringLiteral("8080:80\n127.0.0.1:5353:53/udp"));
        dialog.networkBox()->setCurrentIndex(dialog.networkBox()->findData(QStringLiteral("host")));
        dialog.interactiveBox()->setChecked(true);
        dialog.ttyBox()->setChecked(true);
        const service::CreateRequest r = dialog.request();
        QCOMPARE(r.image, QStringLiteral("localhost/demo:latest"));
        QCOMPARE(r.name, QStringLiteral("web"));
        QCOMPARE(r.command, (QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hi; sleep 100")}));
        QCOMPARE(r.env, (QStringList{QStringLiteral("MODE=prod"), QStringLiteral("DEBUG")}));
        QCOMPARE(r.volumes, (QStringList{QStringLiteral("/srv/data:/data:ro"), QStringLiteral("cache:/cache")}));
        QCOMPARE(r.ports, (QStringList{QStringLiteral("8080:80"), QStringLiteral("127.0.0.1:5353:53/udp")}));
        QCOMPARE(r.networkMode, QStringLiteral("host"));
        QVERIFY(r.openStdin && r.tty && !r.autoRemove);
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.commandLine(),
                 QStringLiteral("porthole run -d -i -t --name web -e MODE=prod -e DEBUG -v /srv/data:/data:ro -v cache:/cache "
                                "-p 8080:80 -p 127.0.0.1:5353:53/udp --network host localhost/demo:latest sh -c "
                                "'echo hi; sleep 100'"));
        // The default network is not written, as the CLI's default.
        dialog.networkBox()->setCurrentIndex(0);
        QVERIFY(dialog.request().networkMode.isEmpty());
        QVERIFY(!dialog.commandLine().contains(QStringLiteral("--network")));
    }

    void runDialogLimits()
    {
        RunDialog dialog(QStringLiteral("localhost/demo"));
        // podman's pids limit is the default, so nothing is written for it.
        QCOMPARE(dialog.request().limits, ResourceLimits());
        dialog.memoryEdit()->setText(QStringLiteral(" 512m "));
        dialog.cpusBox()->setValue(1.5);
        dialog.pidsLimitBox()->setValue(100);
        const ResourceLimits l = dialog.request().limits;
        QCOMPARE(l.memory, qint64(512) * 1024 * 1024);
        QCOMPARE(l.nanoCpus, qint64(1500000000));
        QCOMPARE(l.pidsLimit, qint64(100));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.commandLine(), QStringLiteral("porthole run -d -m 512m --cpus 1.5 --pids-limit 100 localhost/demo"));
        // "No limit" is docker's -1.
        dialog.pidsLimitBox()->setValue(0);
        dialog.cpusBox()->setValue(0);
        QCOMPARE(dialog.pidsLimitBox()->text(), RunDialog::tr("No limit"));
        QCOMPARE(dialog.commandLine(), QStringLiteral("porthole run -d -m 512m --pids-limit -1 localhost/demo"));
        // The CPUs offered stop at this machine's.
        QCOMPARE(dialog.cpusBox()->maximum(), double(hostCpuCount()));

        for (const char *bad : {"lots", "5m", "12q"}) {
            dialog.memoryEdit()->setText(QLatin1String(bad));
            QVERIFY2(!okEnabled(dialog), bad);
            QVERIFY(!memoryEntryError(QLatin1String(bad)).isEmpty());
        }
        QVERIFY(memoryEntryError(QStringLiteral("6m")).isEmpty());
        QVERIFY(memoryEntryError(QString()).isEmpty());
    }

    void runEntries_data()
    {
        QTest::addColumn<int>("kind"); // 0 name, 1 env, 2 volume, 3 port
        QTest::addColumn<QString>("entry");
        QTest::addColumn<bool>("ok");
        QTest::newRow("name") << 0 << "web-1.a_b" << true;
        QTest::newRow("name empty") << 0 << "" << true;
        QTest::newRow("name space") << 0 << "my web" << false;
        QTest::newRow("name one char") << 0 << "a" << false;
        QTest::newRow("name leading dash") << 0 << "-web" << false;
        QTest::newRow("env pair") << 1 << "A=b=c" << true;
        QTest::newRow("env bare") << 1 << "HOME" << true;
        QTest::newRow("env no key") << 1 << "=x" << false;
        QTest::newRow("env space") << 1 << "MY VAR=1" << false;
        QTest::newRow("bind") << 2 << "/a/b:/c" << true;
        QTest::newRow("bind ro") << 2 << "/a:/c:ro" << true;
        QTest::newRow("named") << 2 << "data:/var/lib/x" << true;
        QTest::newRow("anonymous") << 2 << "/data" << true;
        QTest::newRow("relative target") << 2 << "/a:c" << false;
        QTest::newRow("bad option") << 2 << "/a:/c:rx" << false;
        QTest::newRow("relative source") << 2 << "./a:/c" << false;
        QTest::newRow("port pair") << 3 << "8080:80" << true;
        QTest::newRow("port only") << 3 << "80" << true;
        QTest::newRow("port ip") << 3 << "127.0.0.1:8080:80/tcp" << true;
        QTest::newRow("port range") << 3 << "8000-8010:8000-8010" << true;
        QTest::newRow("port v6") << 3 << "[::1]:8080:80" << true;
        QTest::newRow("port random host") << 3 << "127.0.0.1::80" << true;
        QTest::newRow("port word") << 3 << "http:80" << false;
        QTest::newRow("port proto") << 3 << "80/icmp" << false;
    }

    void runEntries()
    {
        QFETCH(int, kind);
        QFETCH(QString, entry);
        QFETCH(bool, ok);
        QString (*checks[])(const QString &) = {containerNameError, envEntryError, volumeEntryError, portEntryError};
        QCOMPARE(checks[kind](entry).isEmpty(), ok);

        // The dialog refuses the same entry.
        RunDialog dialog(QStringLiteral("alpine"));
        switch (kind) {
        case 0: dialog.nameEdit()->setText(entry); break;
        case 1: dialog.envEdit()->setPlainText(entry); break;
        case 2: dialog.volumesEdit()->setPlainText(entry); break;
        case 3: dialog.portsEdit()->setPlainText(entry); break;
        }
        QCOMPARE(okEnabled(dialog), ok);
    }

    void shellWords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<bool>("unbalanced");
        QTest::newRow("plain") << "ls -l  /" << QStringList{"ls", "-l", "/"} << false;
        QTest::newRow("single") << "sh -c 'echo $HOME; x'" << QStringList{"sh", "-c", "echo $HOME; x"} << false;
        QTest::newRow("double") << "echo \"a \\\"b\\\" \\$c \\n\"" << QStringList{"echo", "a \"b\" $c \\n"} << false;
        QTest::newRow("backslash") << "a\\ b c" << QStringList{"a b", "c"} << false;
        QTest::newRow("empty word") << "a '' b" << QStringList{"a", "", "b"} << false;
        QTest::newRow("glued") << "x'y'\"z\"" << QStringList{"xyz"} << false;
        QTest::newRow("open quote") << "echo 'oops" << QStringList{"echo", "oops"} << true;
        QTest::newRow("nothing") << "   " << QStringList{} << false;
    }

    void shellWords()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        QFETCH(bool, unbalanced);
        bool open = false;
        QCOMPARE(splitShellWords(text, &open), words);
        QCOMPARE(open, unbalanced);
        RunDialog dialog(QStringLiteral("alpine"));
        dialog.commandEdit()->setText(text);
        QCOMPARE(okEnabled(dialog), !unbalanced);
    }

};

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
