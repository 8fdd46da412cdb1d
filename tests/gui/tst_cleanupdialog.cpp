// The Clean up dialog: its checkboxes make the command a class would type
// (system prune when containers and images go together, the single prunes
// otherwise), and Remove runs it through EngineService on a real store: the
// dangling image goes, the named one stays, and the dialog says what it
// freed.
#include "gui/dialogs/cleanupdialog.h"
#include "service/engineservice.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using porthole::gui::CleanupDialog;

class TestCleanupDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commandFollowsTheBoxes_data();
    void commandFollowsTheBoxes();
    void removesTheDanglingImage();
};

void TestCleanupDialog::commandFollowsTheBoxes_data()
{
    QTest::addColumn<bool>("containers");
    QTest::addColumn<bool>("images");
    QTest::addColumn<bool>("allImages");
    QTest::addColumn<bool>("volumes");
    QTest::addColumn<QString>("command");
    QTest::newRow("the default") << true << true << false << false << QStringLiteral("porthole system prune -f");
    QTest::newRow("everything") << true << true << true << true << QStringLiteral("porthole system prune -f -a --volumes");
    QTest::newRow("images only") << false << true << false << false << QStringLiteral("porthole image prune -f");
    QTest::newRow("all images only") << false << false << true << false << QStringLiteral("porthole image prune -f -a");
    QTest::newRow("containers and volumes") << true << false << false << true
                                            << QStringLiteral("porthole container prune -f && porthole volume prune -f");
    QTest::newRow("nothing") << false << false << false << false << QString();
}

void TestCleanupDialog::commandFollowsTheBoxes()
{
    QFETCH(bool, containers);
    QFETCH(bool, images);
    QFETCH(bool, allImages);
    QFETCH(bool, volumes);
    QFETCH(QString, command);
    QTemporaryDir dir;
    service::EngineService service({dir.filePath(QStringLiteral("root")), false});
    CleanupDialog dialog(&service);
    dialog.containersBox()->setChecked(containers);
    dialog.imagesBox()->setChecked(images);
    dialog.allImagesBox()->setChecked(allImages);
    dialog.volumesBox()->setChecked(volumes);
    QCOMPARE(dialog.commandLine(), command);
    auto *remove = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QCOMPARE(remove->isEnabled(), !command.isEmpty());
    // "All images" covers the dangling ones: that box has nothing to say then.
    QCOMPARE(dialog.imagesBox()->isEnabled(), !allImages);
}

void TestCleanupDialog::removesTheDanglingImage()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    for (const QString &name : {QStringLiteral("localhost/kept:1"), QString()}) {
        test::UstarWriter w;
        w.file(QStringLiteral("payload"), QByteArray(name.isEmpty() ? 7000 : 3000, 'x'));
        QStringList args{QStringLiteral("import"), QStringLiteral("-")};
        if (!name.isEmpty())
            args << name;
        QCOMPARE(test::runPorthole(root, args, w.finish(), 60000, env).exitCode, 0);
    }
    service::EngineService service({root, false});
    service.start();
    CleanupDialog dialog(&service);
    dialog.show();
    dialog.accept();
    QVERIFY(dialog.jobId() != 0);
    QVERIFY(!dialog.containersBox()->isEnabled()); // nothing changes while it runs
    QTRY_VERIFY_WITH_TIMEOUT(dialog.jobId() == 0, 30000);
    QVERIFY2(dialog.resultText().contains(QStringLiteral("1 image")) && dialog.resultText().contains(QLocale().formattedDataSize(7000)),
             qPrintable(dialog.resultText()));
    QVERIFY(dialog.isVisible()); // it stays, to say what it did
    const test::RunResult left = test::runPorthole(root, {QStringLiteral("images"), QStringLiteral("-a")}, {}, 60000, env);
    QVERIFY2(left.out.contains("localhost/kept") && !left.out.contains("<none>"), left.out.constData());
}

QTEST_MAIN(TestCleanupDialog)
#include "tst_cleanupdialog.moc"
