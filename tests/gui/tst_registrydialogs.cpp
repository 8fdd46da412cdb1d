// The registry dialogs: the pull dialog makes its request and CLI line,
// follows its job's progress items and its outcome, and reports a real
// failing pull through EngineService; the login dialog logs in to a real
// registry with Basic auth, showing a refusal and keeping the password off
// the line.
#include "gui/dialogs/logindialog.h"
#include "gui/dialogs/pulldialog.h"
#include "service/engineservice.h"
#include "support/guitestsupport.h"
#include "support/registryfixture.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;
using porthole::test::okEnabled;

namespace {

ProgressEvent item(const QString &id, const QString &phase, qint64 done, qint64 total)
{
    return ProgressEvent{id, phase, done, total};
}

} // namespace

class TestRegistryDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
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
        dialog.showProgress(job.items);
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
        dialog.showProgress(job.items);
        QCOMPARE(dialog.itemCount(), 3);
        QCOMPARE(a->value(), a->maximum());

        service::PullOutcome outcome;
        outcome.familiarName = QStringLiteral("alpine:latest");
        dialog.showOutcome(outcome);
        QCOMPARE(dialog.statusText(), QStringLiteral("Pulled alpine:latest."));
        for (const char *id : {"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"})
            QCOMPARE(dialog.itemBar(QLatin1String(id))->value(), dialog.itemBar(QLatin1String(id))->maximum());

        const Error failed(ErrorCode::NotFound, QStringLiteral("pull alpine: manifest unknown"));
        dialog.showOutcome(failed);
        QVERIFY(dialog.statusText().contains(failed.message));
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

};

QTEST_MAIN(TestRegistryDialogs)
#include "tst_registrydialogs.moc"
