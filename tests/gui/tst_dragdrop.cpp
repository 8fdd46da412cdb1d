// Drag and drop (issue 6): an image dragged out of the table becomes an
// archive file that `porthole load` reads (docker-archive, or an OCI archive
// with Ctrl/Alt), handed out without stalling the UI thread; a tarball
// dropped onto the window is probed on a worker (entry names only, a bounded
// read; the probe's own cases are tests/engine/archive/tst_archiveprobe) and
// routed: docker-archive and OCI archive to load, a rootfs tarball to
// import, plain or compressed; and the image appears.
#include "archive/archiveprobe.h"
#include "gui/dnd/archivedrop.h"
#include "gui/dnd/imagearchivemime.h"
#include "gui/dnd/imagetableview.h"
#include "gui/mainwindow.h"
#include "gui/models/imagelistmodel.h"
#include "gui/models/joblistmodel.h"
#include "gui/pages/filterproxy.h"
#include "gui/pages/imagespage.h"
#include "service/engineservice.h"
#include "support/guitestsupport.h"
#include "support/testsupport.h"
#include "support/archiveshapes.h"

#include <QDropEvent>
#include <QElapsedTimer>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;
using porthole::archive::ArchiveKind;
using porthole::archive::probeArchive;

namespace {

using test::listed;
using test::compress;
using test::rootfsTarball;
using test::writeArchive;

void sendDrop(QWidget *target, QMimeData *mime, bool *entered)
{
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    *entered = enter.isAccepted();
    if (!*entered)
        return;
    QDropEvent drop(QPointF(at), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
}

} // namespace

class TestDragDrop : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    std::unique_ptr<service::EngineService> m_service;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("root"));
        if (!test::demoImageReady(m_root))
            QSKIP("the demo image could not be made (busybox-static missing?)");
        m_service = std::make_unique<service::EngineService>(service::EngineOptions{m_root, false});
        m_window = std::make_unique<MainWindow>(m_service.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_service->start();
        QTRY_VERIFY_WITH_TIMEOUT(listed(m_window->imagesPage()->proxy(), QStringLiteral("localhost/demo"), QStringLiteral("latest")), 10000);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_service.reset();
    }

    void archiveFileName_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("plain drag") << QStringLiteral("localhost/demo:latest") << int(Qt::NoModifier) << QStringLiteral("demo_latest.tar");
        QTest::newRow("shift is no format") << QStringLiteral("localhost/demo:latest") << int(Qt::ShiftModifier) << QStringLiteral("demo_latest.tar");
        QTest::newRow("ctrl: oci") << QStringLiteral("localhost/demo:latest") << int(Qt::ControlModifier) << QStringLiteral("demo_latest.oci.tar");
        QTest::newRow("alt: oci") << QStringLiteral("busybox:1.36") << int(Qt::AltModifier) << QStringLiteral("busybox_1.36.oci.tar");
        QTest::newRow("registry port") << QStringLiteral("127.0.0.1:5000/team/app:v2") << 0 << QStringLiteral("app_v2.tar");
        QTest::newRow("untagged id") << QStringLiteral("0123456789ab") << 0 << QStringLiteral("0123456789ab.tar");
    }

    void archiveFileName()
    {
        QFETCH(QString, reference);
        QFETCH(int, modifiers);
        QFETCH(QString, fileName);
        const auto format = ImageArchiveMimeData::formatForModifiers(Qt::KeyboardModifiers(modifiers));
        QCOMPARE(ImageArchiveMimeData::archiveFileName(reference, format), fileName);
    }

    void importReference_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reference");
        QTest::newRow("gzip") << QStringLiteral("/tmp/Alpine-RootFS.tar.gz") << QStringLiteral("localhost/alpine-rootfs:latest");
        QTest::newRow("zstd") << QStringLiteral("/x/base.tar.zst") << QStringLiteral("localhost/base:latest");
        QTest::newRow("spaces") << QStringLiteral("/x/my rootfs (2).tar") << QStringLiteral("localhost/my-rootfs-2:latest");
        QTest::newRow("nothing left") << QStringLiteral("/x/___.tar") << QString();
    }

    void importReference()
    {
        QFETCH(QString, path);
        QFETCH(QString, reference);
        QCOMPARE(ArchiveDrop::importReference(path), reference);
    }

    void dragOutYieldsALoadableArchive_data()
    {
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<int>("kind");
        QTest::newRow("docker-archive") << int(Qt::NoModifier) << QStringLiteral("demo_latest.tar") << int(ArchiveKind::DockerArchive);
        QTest::newRow("oci archive (ctrl)") << int(Qt::ControlModifier) << QStringLiteral("demo_latest.oci.tar") << int(ArchiveKind::OciArchive);
    }

    void dragOutYieldsALoadableArchive()
    {
        QFETCH(int, modifiers);
        QFETCH(QString, fileName);
        QFETCH(int, kind);
        ImagesPage *images = m_window->imagesPage();
        QVERIFY(images->selectReference(QStringLiteral("localhost/demo:latest")));
        std::unique_ptr<ImageArchiveMimeData> mime(images->view()->createDragData(Qt::KeyboardModifiers(modifiers)));
        QVERIFY(mime);
        QVERIFY(mime->jobId() != 0);
        QVERIFY(mime->hasUrls());
        QVERIFY(ArchiveDrop::archivePaths(mime.get()).isEmpty()); // never loaded back into the window

        // The target asks for the URL before the save is done (no event was
        // processed since the drag started, so its end cannot have arrived):
        // the wait keeps the UI thread's event loop running.
        QVERIFY(!mime->finished());
        QElapsedTimer clock;
        qint64 longest = 0;
        QTimer beat;
        beat.setInterval(5);
        clock.start();
        connect(&beat, &QTimer::timeout, this, [&] { longest = std::max(longest, clock.restart()); });
        beat.start();
        const QList<QUrl> urls = mime->urls();
        beat.stop();
        QCOMPARE(urls.size(), 1);
        QVERIFY(urls[0].isLocalFile());
        const QString path = urls[0].toLocalFile();
        QCOMPARE(QFileInfo(path).fileName(), fileName);
        QVERIFY(path.startsWith(dragTempRoot()));
        QVERIFY(mime->saved());
        qInfo("longest UI-thread gap while the drop waited for the save: %lld ms", longest);
        QVERIFY2(longest < 50, qPrintable(QStringLiteral("the UI thread stalled for %1 ms").arg(longest)));
        QCOMPARE(mime->data(QStringLiteral("text/uri-list")), urls[0].toEncoded() + "\r\n");
        const auto probed = probeArchive(path);
        QVERIFY(probed);
        QCOMPARE(int(*probed), kind);

        // What a file manager got, loaded by the CLI into a fresh store.
        QTemporaryDir fresh;
        const auto loaded = test::runPorthole(fresh.filePath(QStringLiteral("root")), {QStringLiteral("load"), QStringLiteral("-i"), path});
        QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
        QVERIFY2(loaded.out.contains("Loaded image: localhost/demo:latest"), loaded.out.constData());
        const auto listedImages = test::runPorthole(fresh.filePath(QStringLiteral("root")), {QStringLiteral("images")});
        QVERIFY(listedImages.out.contains("localhost/demo"));
    }

    void dropRoutesToLoadOrImport_data()
    {
        QTest::addColumn<QString>("source");   // "docker", "oci" or "rootfs"
        QTest::addColumn<QString>("compressor");
        QTest::addColumn<QString>("repository");
        QTest::addColumn<QString>("tag");
        QTest::newRow("docker-archive") << QStringLiteral("docker") << QString() << QStringLiteral("localhost/dropped-docker") << QStringLiteral("1");
        QTest::newRow("docker-archive.tar.gz") << QStringLiteral("docker") << QStringLiteral("gzip") << QStringLiteral("localhost/dropped-docker") << QStringLiteral("1");
        QTest::newRow("oci archive") << QStringLiteral("oci") << QString() << QStringLiteral("localhost/dropped-oci") << QStringLiteral("1");
        QTest::newRow("oci archive.tar.zst") << QStringLiteral("oci") << QStringLiteral("zstd") << QStringLiteral("localhost/dropped-oci") << QStringLiteral("1");
        QTest::newRow("rootfs tarball") << QStringLiteral("rootfs") << QString() << QStringLiteral("localhost/dropped-rootfs") << QStringLiteral("latest");
        QTest::newRow("rootfs.tar.gz") << QStringLiteral("rootfs") << QStringLiteral("gzip") << QStringLiteral("localhost/dropped-rootfs") << QStringLiteral("latest");
    }

    void dropRoutesToLoadOrImport()
    {
        QFETCH(QString, source);
        QFETCH(QString, compressor);
        QFETCH(QString, repository);
        QFETCH(QString, tag);
        if (!compressor.isEmpty() && !test::haveProgram(compressor))
            QSKIP("the compressor is not installed");
        const QString name = repository + u':' + tag;
        const QString tarPath = m_dir.filePath(QStringLiteral("dropped-%1.tar").arg(source));
        QFile::remove(tarPath);
        QString path;
        if (source == QLatin1String("rootfs")) {
            path = writeArchive(tarPath, rootfsTarball(), compressor);
        } else {
            // An image saved by the CLI, then removed from the store.
            QCOMPARE(test::runPorthole(m_root, {QStringLiteral("tag"), QStringLiteral("localhost/demo:latest"), name}).exitCode, 0);
            QStringList args{QStringLiteral("save"), QStringLiteral("-o"), tarPath};
            if (source == QLatin1String("oci"))
                args << QStringLiteral("--format") << QStringLiteral("oci-archive");
            QCOMPARE(test::runPorthole(m_root, args << name).exitCode, 0);
            QCOMPARE(test::runPorthole(m_root, {QStringLiteral("rmi"), name}).exitCode, 0);
            path = compress(tarPath, compressor);
        }
        QVERIFY(!path.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!listed(m_window->imagesPage()->proxy(), repository, tag), 10000);

        // The probe's verdict, then the end of the load or import it started
        // (caught as it is made: a handle deletes itself when it is over).
        struct Routed {
            ArchiveKind kind;
            std::optional<service::JobStatus> status;
            QStringList names; // a load's
        };
        std::optional<Routed> routed;
        QObject context;
        connect(m_window->archiveDrop(), &ArchiveDrop::routed, &context, [&](const QString &, ArchiveKind kind, service::Job *job) {
            routed = Routed{kind, std::nullopt, {}};
            connect(job, &service::Job::finished, &context, [&routed, job] {
                routed->status = job->status();
                if (const auto *load = dynamic_cast<service::TypedJob<QStringList> *>(job); load && load->result())
                    routed->names = *load->result();
            });
        });
        auto *mime = new QMimeData;
        mime->setUrls({QUrl::fromLocalFile(path)});
        bool entered = false;
        sendDrop(m_window.get(), mime, &entered);
        QVERIFY(entered);
        QTRY_VERIFY_WITH_TIMEOUT(routed.has_value(), 30000);
        const bool load = source != QLatin1String("rootfs");
        QCOMPARE(archive::isImageArchive(routed->kind), load);
        QTRY_VERIFY_WITH_TIMEOUT(routed->status.has_value(), 60000);
        const service::JobStatus *status = &*routed->status;
        QVERIFY2(status->state == service::JobStatus::Succeeded, qPrintable(status->error));
        const QString command = load ? QStringLiteral("porthole load -i %1").arg(path)
                                     : QStringLiteral("porthole import %1 %2").arg(path, name);
        QCOMPARE(status->command, command);
        if (load)
            QVERIFY(routed->names.contains(QStringLiteral("%1:%2").arg(repository, tag)));
        QTRY_VERIFY_WITH_TIMEOUT(listed(m_window->imagesPage()->proxy(), repository, tag), 10000);
        QCOMPARE(test::runPorthole(m_root, {QStringLiteral("rmi"), name}).exitCode, 0);
        delete mime;
    }

    void dropRefusesWhatIsNoArchive()
    {
        // Not accepted at all: a name that is no tarball's.
        const QString text = m_dir.filePath(QStringLiteral("notes.txt"));
        QVERIFY(test::writeFile(text, "hello"));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(text)});
        bool entered = true;
        sendDrop(m_window.get(), &mime, &entered);
        QVERIFY(!entered);

        // A .tar that is no tar: the probe refuses it with a sentence.
        const QString bogus = m_dir.filePath(QStringLiteral("bogus.tar"));
        QVERIFY(test::writeFile(bogus, QByteArray("no tar here ").repeated(100)));
        QSignalSpy failed(m_window->archiveDrop(), &ArchiveDrop::failed);
        QSignalSpy routed(m_window->archiveDrop(), &ArchiveDrop::routed);
        QMimeData bad;
        bad.setUrls({QUrl::fromLocalFile(bogus)});
        sendDrop(m_window.get(), &bad, &entered);
        QVERIFY(entered);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QVERIFY(failed[0][1].toString().contains(QStringLiteral("not a tar archive")));
        QCOMPARE(routed.size(), 0);
    }
};

QTEST_MAIN(TestDragDrop)
#include "tst_dragdrop.moc"
