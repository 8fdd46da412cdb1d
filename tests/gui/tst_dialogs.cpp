// Each dialog filled in as a user would produces the engine request and the
// CLI line that request stands for; the per-entry checks (--change lines,
// run entries, registry hosts) accept and refuse what they should; the pull
// dialog follows its job's progress items, its outcome and a real failing
// pull through EngineService; the login dialog logs in to a real registry
// with Basic auth, showing a refusal and keeping the password off the line.
#include "gui/dialogs/appsettings.h"
#include "gui/dialogs/changevalidator.h"
#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/commitdialog.h"
#include "gui/dialogs/logindialog.h"
#include "gui/dialogs/pulldialog.h"
#include "gui/dialogs/rundialog.h"
#include "gui/dialogs/settingsdialog.h"
#include "service/engineservice.h"
#include "support/registryfixture.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontComboBox>
#include <QFontDatabase>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;

namespace {

bool okEnabled(QDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
}

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

ProgressEvent item(const QString &id, const QString &phase, qint64 done, qint64 total)
{
    return ProgressEvent{id, phase, done, total};
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

    void pullDialogMakesTheRequest()
    {
        PullDialog dialog(nullptr, {QStringLiteral("localhost:5000")});
        QVERIFY(!dialog.pullButton()->isEnabled());
        dialog.referenceEdit()->setText(QStringLiteral(" alpine:3.19 "));
        QVERIFY(dialog.pullButton()->isEnabled());
        service::PullRequest r = dialog.request();
        QCOMPARE(r.reference, QStringLiteral("alpine:3.19"));
        QVERIFY(r.platform.isEmpty()); // "This machine's"
        QCOMPARE(r.insecureRegistries, QStringList{QStringLiteral("localhost:5000")});
        QCOMPARE(dialog.commandLine(), QStringLiteral("porthole pull --tls-verify=false alpine:3.19"));

        dialog.platformBox()->setCurrentIndex(dialog.platformBox()->findData(QStringLiteral("linux/arm64")));
        QCOMPARE(dialog.request().platform, QStringLiteral("linux/arm64"));
        dialog.platformBox()->setEditText(QStringLiteral("linux/mips64le"));
        QCOMPARE(dialog.request().platform, QStringLiteral("linux/mips64le"));

        PullDialog secure(nullptr, {});
        secure.referenceEdit()->setText(QStringLiteral("alpine"));
        secure.platformBox()->setCurrentIndex(secure.platformBox()->findData(QStringLiteral("linux/arm/v7")));
        QCOMPARE(secure.commandLine(), QStringLiteral("porthole pull --platform linux/arm/v7 alpine"));
    }

    void pullDialogShowsLayerProgress()
    {
        PullDialog dialog(nullptr, {});
        service::JobStatus job;
        job.id = 3;
        job.items = {item(QStringLiteral("aaaaaaaaaaaa"), QStringLiteral("Downloading"), 25, 100),
                     item(QStringLiteral("bbbbbbbbbbbb"), QStringLiteral("Already exists"), 0, -1)};
        dialog.showJob(job);
        QCOMPARE(dialog.itemCount(), 2);
        QProgressBar *a = dialog.itemBar(QStringLiteral("aaaaaaaaaaaa"));
        QProgressBar *b = dialog.itemBar(QStringLiteral("bbbbbbbbbbbb"));
        QVERIFY(a && b);
        QCOMPARE(a->value() * 100 / a->maximum(), 25);
        QCOMPARE(b->value(), 0);
        QVERIFY(a->text().contains(QStringLiteral("Downloading")));
        QCOMPARE(b->text(), QStringLiteral("Already exists"));

        job.items[0].done = 100;
        job.items.append(item(QStringLiteral("cccccccccccc"), QStringLiteral("Downloading"), 0, 50));
        dialog.showJob(job);
        QCOMPARE(dialog.itemCount(), 3);
        QCOMPARE(a->value(), a->maximum());

        job.state = service::JobStatus::Succeeded;
        service::PullOutcome outcome;
        outcome.familiarName = QStringLiteral("alpine:latest");
        job.result = QVariant::fromValue(outcome);
        dialog.showJob(job);
        QCOMPARE(dialog.statusText(), QStringLiteral("Pulled alpine:latest."));
        for (const char *id : {"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"})
            QCOMPARE(dialog.itemBar(QLatin1String(id))->value(), dialog.itemBar(QLatin1String(id))->maximum());

        job.state = service::JobStatus::Failed;
        job.error = QStringLiteral("pull alpine: manifest unknown");
        dialog.showJob(job);
        QVERIFY(dialog.statusText().contains(job.error));
    }

    void pullDialogFailsThroughTheService()
    {
        QTemporaryDir dir;
        service::EngineService service({dir.filePath(QStringLiteral("root")), false});
        PullDialog dialog(&service, {QStringLiteral("127.0.0.1:9")});
        QSignalSpy started(&dialog, &PullDialog::pullStarted);
        dialog.referenceEdit()->setText(QStringLiteral("127.0.0.1:9/nothing/here:1"));
        dialog.startPull();
        QCOMPARE(started.size(), 1);
        QVERIFY(dialog.jobId() != 0);
        QVERIFY(dialog.cancelButton()->isEnabled());
        QVERIFY(!dialog.pullButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.statusText().isEmpty() && !dialog.cancelButton()->isEnabled(), 60000);
        QVERIFY2(dialog.statusText().contains(QStringLiteral("127.0.0.1:9")), qPrintable(dialog.statusText()));
        QVERIFY(dialog.pullButton()->isEnabled());
    }

    void registryHosts_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<bool>("ok");
        QTest::newRow("host") << "registry.local" << true;
        QTest::newRow("host port") << "localhost:5000" << true;
        QTest::newRow("ip port") << "10.0.0.2:5000" << true;
        QTest::newRow("v6") << "[::1]:5000" << true;
        QTest::newRow("scheme") << "http://localhost:5000" << false;
        QTest::newRow("path") << "localhost:5000/v2" << false;
        QTest::newRow("space") << "my host" << false;
        QTest::newRow("port word") << "host:http" << false;
    }

    void registryHosts()
    {
        QFETCH(QString, entry);
        QFETCH(bool, ok);
        QCOMPARE(registryHostError(entry).isEmpty(), ok);
    }

    void settingsDialogEditsSettings()
    {
        AppSettings current;
        current.author = QStringLiteral("Lee <lee@example.com>");
        current.language = QStringLiteral("ko");
        current.insecureRegistries = {QStringLiteral("localhost:5000")};
        SettingsDialog dialog(current, QStringLiteral("/var/lib/porthole"));
        QCOMPARE(dialog.settings(), current);
        QCOMPARE(dialog.languageBox()->currentData().toString(), QStringLiteral("ko"));
        QCOMPARE(dialog.rootEdit()->placeholderText(), QStringLiteral("/var/lib/porthole"));

        dialog.rootEdit()->setText(QStringLiteral("/srv/porthole"));
        dialog.languageBox()->setCurrentIndex(0);
        dialog.registriesEdit()->setPlainText(QStringLiteral("localhost:5000\n\nregistry.lan:443\n"));
        const AppSettings edited = dialog.settings();
        QCOMPARE(edited.root, QStringLiteral("/srv/porthole"));
        QVERIFY(edited.language.isEmpty());
        QCOMPARE(edited.insecureRegistries, (QStringList{QStringLiteral("localhost:5000"), QStringLiteral("registry.lan:443")}));
        QVERIFY(okEnabled(dialog));
        dialog.registriesEdit()->setPlainText(QStringLiteral("https://registry.lan"));
        QVERIFY(!okEnabled(dialog));
        QSignalSpy login(&dialog, &SettingsDialog::loginRequested);
        dialog.loginButton()->click();
        QCOMPARE(login.size(), 1);
    }

    void terminalFontFromSettings_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("systemFamily");
        QTest::addColumn<int>("expectedSize"); // 0: the system fixed font's
        QTest::newRow("defaults") << QString() << 0 << true << 0;
        QTest::newRow("size only") << QString() << 19 << true << 19;
        QTest::newRow("family and size") << QStringLiteral("Some Mono") << 8 << false << 8;
    }

    void terminalFontFromSettings()
    {
        QFETCH(QString, family);
        QFETCH(int, size);
        QFETCH(bool, systemFamily);
        QFETCH(int, expectedSize);
        const QFont system = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        AppSettings s;
        s.terminalFontFamily = family;
        s.terminalFontSize = size;
        const QFont font = s.terminalFont();
        QCOMPARE(font.family(), systemFamily ? system.family() : family);
        QCOMPARE(font.pointSize(), expectedSize ? expectedSize : system.pointSize());
    }

    void settingsDialogEditsTheTerminalFont()
    {
        const QFont system = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        AppSettings current;
        current.terminalZoom = 3;
        SettingsDialog dialog(current, QString());
        QCOMPARE(dialog.terminalFontBox()->fontFilters(), QFontComboBox::MonospacedFonts);
        for (int i = 0; i < dialog.terminalFontBox()->count(); ++i)
            QVERIFY2(QFontDatabase::isFixedPitch(dialog.terminalFontBox()->itemText(i)), qPrintable(dialog.terminalFontBox()->itemText(i)));
        QCOMPARE(dialog.terminalSizeBox()->value(), system.pointSize());
        // Untouched: still "the system's font", and the zoom is kept.
        QCOMPARE(dialog.settings(), current);

        dialog.terminalSizeBox()->setValue(system.pointSize() + 5);
        AppSettings edited = dialog.settings();
        QCOMPARE(edited.terminalFontSize, system.pointSize() + 5);
        QVERIFY(edited.terminalFontFamily.isEmpty());
        QCOMPARE(edited.terminalZoom, 0); // a new size starts without zoom
        QCOMPARE(edited.terminalFont().pointSize(), system.pointSize() + 5);

        // A chosen family and size come back as they were.
        const QString family = dialog.terminalFontBox()->itemText(0);
        current.terminalFontFamily = family;
        current.terminalFontSize = 23;
        SettingsDialog chosen(current, QString());
        QCOMPARE(chosen.terminalFontBox()->currentFont().family(), family);
        QCOMPARE(chosen.terminalSizeBox()->value(), 23);
        QCOMPARE(chosen.settings(), current);
    }

    void savingTheSettingsNotifies()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("porthole-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dialogs"));
        QSignalSpy saved(AppSettingsNotifier::instance(), &AppSettingsNotifier::saved);
        AppSettings s;
        s.terminalFontSize = 21;
        s.terminalZoom = 1;
        s.save();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.at(0).at(0).value<AppSettings>(), s);
        AppSettings::saveTerminalZoom(4);
        QCOMPARE(saved.size(), 1); // the terminal's own write is not news to it
        s.terminalZoom = 4;
        QCOMPARE(AppSettings::load(), s);
    }

    void loginDialogLogsInThroughTheService()
    {
        if (!test::RegistryFixture::available())
            QSKIP("docker-registry, openssl, htpasswd or skopeo is not installed");
        QString error;
        auto registry = test::RegistryFixture::start(test::RegistryFixture::Mode::Basic, &error);
        QVERIFY2(registry, qPrintable(error));
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("docker/config.json"));
        qputenv("DOCKER_CONFIG", dir.filePath(QStringLiteral("docker")).toLocal8Bit());
        qputenv("REGISTRY_AUTH_FILE", dir.filePath(QStringLiteral("auth.json")).toLocal8Bit());
        service::EngineService service({dir.filePath(QStringLiteral("root")), false});
        LoginDialog dialog(&service, {registry->host()});
        QVERIFY(!okEnabled(dialog));
        dialog.registryEdit()->setText(registry->host());
        QVERIFY(dialog.insecureBox()->isChecked()); // the settings list it as insecure
        dialog.usernameEdit()->setText(registry->username());
        dialog.passwordEdit()->setText(QStringLiteral("wrong-password"));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.commandLine(),
                 QStringLiteral("porthole login --username porthole --password-stdin --tls-verify=false ") + registry->host());
        dialog.show();
        dialog.accept(); // the Log in button: starts the job, the dialog stays
        QVERIFY(dialog.jobId() != 0);
        QVERIFY(!okEnabled(dialog) && !dialog.passwordEdit()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.errorText().isEmpty(), 30000);
        QVERIFY2(dialog.errorText().contains(registry->host()), qPrintable(dialog.errorText()));
        QVERIFY(dialog.isVisible() && dialog.passwordEdit()->isEnabled());
        QVERIFY(!QFile::exists(config)); // a refused login stores nothing

        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.passwordEdit()->setText(registry->password());
        dialog.accept();
        QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 30000);
        QFile stored(config);
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QVERIFY(stored.readAll().contains(registry->host().toUtf8()));
        qunsetenv("DOCKER_CONFIG");
        qunsetenv("REGISTRY_AUTH_FILE");
    }

    void settingsRoundTripAndLanguage()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("p.ini")), QSettings::IniFormat);
        AppSettings s;
        s.root = QStringLiteral("/srv/p");
        s.author = QStringLiteral("A <a@b>");
        s.language = QStringLiteral("en");
        s.insecureRegistries = {QStringLiteral("a:1"), QStringLiteral("b")};
        s.terminalFontFamily = QStringLiteral("DejaVu Sans Mono");
        s.terminalFontSize = 15;
        s.terminalZoom = -2;
        s.save(settings);
        QCOMPARE(AppSettings::load(settings), s);

        qunsetenv("PORTHOLE_LANG");
        QCOMPARE(effectiveLanguage(AppSettings{}, QStringLiteral("ko_KR")), QStringLiteral("ko_KR"));
        QCOMPARE(effectiveLanguage(s, QStringLiteral("ko_KR")), QStringLiteral("en"));
        qputenv("PORTHOLE_LANG", "ko");
        QCOMPARE(effectiveLanguage(s, QStringLiteral("de_DE")), QStringLiteral("ko"));
        qunsetenv("PORTHOLE_LANG");
    }
};

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
