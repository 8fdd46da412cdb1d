#include "gui/guiapp.h"

#include "gui/dialogs/appsettings.h"
#include "gui/mainwindow.h"
#include "service/engineservice.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace porthole::gui {

namespace {

// PORTHOLE_QUIT_AFTER_PAINT=1 (tests/bench/gui.sh): quit as soon as the
// window has painted with the store's image list in it, so a benchmark can
// time a cold start to the first useful frame from outside.
class QuitAfterFirstPaint : public QObject {
public:
    explicit QuitAfterFirstPaint(service::EngineService *service)
    {
        connect(service, &service::EngineService::imagesChanged, this, [this] { m_listed = true; });
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (m_listed && !m_quitting && event->type() == QEvent::Paint) {
            m_quitting = true;
            QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_listed = false;
    bool m_quitting = false;
};

} // namespace

// --root from the command line, or empty.
static QString rootFromArgs(const QStringList &args)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--root") && i + 1 < args.size())
            return args[i + 1];
        if (args[i].startsWith(QLatin1String("--root=")))
            return args[i].mid(7);
    }
    return {};
}

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Porthole"));
    QApplication::setApplicationName(QStringLiteral("Porthole"));
    QApplication::setApplicationVersion(service::engineVersion());
    QApplication::setDesktopFileName(QStringLiteral("porthole"));
    const AppSettings settings = AppSettings::load();

    // The system locale chooses the language, the setting overrides it, and
    // PORTHOLE_LANG overrides both.
    const QLocale locale(effectiveLanguage(settings, QLocale::system().name()));
    QTranslator qtTranslator;
    QTranslator appTranslator;
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(&qtTranslator);
    // English is the fallback: its catalogue carries the plural forms.
    if (appTranslator.load(locale, QStringLiteral("porthole"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || appTranslator.load(QStringLiteral(":/i18n/porthole_en.qm")))
        app.installTranslator(&appTranslator);
    QLocale::setDefault(locale);

    // --root, then PORTHOLE_ROOT, then the setting; the service falls back
    // to the engine's default when all are empty.
    QString root = rootFromArgs(app.arguments());
    if (root.isEmpty() && qEnvironmentVariableIsEmpty("PORTHOLE_ROOT"))
        root = settings.root;
    service::EngineOptions options;
    options.root = root;
    options.seedDemoImage = qEnvironmentVariableIsEmpty("PORTHOLE_NO_DEMO");

    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/porthole.svg")));
    // The service outlives the window (declared first, destroyed last).
    service::EngineService service(options);
    MainWindow window(&service);
    std::unique_ptr<QuitAfterFirstPaint> quitter;
    if (qEnvironmentVariableIntValue("PORTHOLE_QUIT_AFTER_PAINT") == 1) {
        quitter = std::make_unique<QuitAfterFirstPaint>(&service);
        app.installEventFilter(quitter.get());
    }
    window.show();
    service.start();
    return app.exec();
}

} // namespace porthole::gui
