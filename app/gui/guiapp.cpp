#include "gui/guiapp.h"

#include "gui/mainwindow.h"
#include "service/engine.h"
#include "store/store.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace porthole::gui {

static QString rootFromArgs(const QStringList &args)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--root") && i + 1 < args.size())
            return args[i + 1];
        if (args[i].startsWith(QLatin1String("--root=")))
            return args[i].mid(7);
    }
    return store::Store::defaultRoot();
}

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Porthole"));
    QApplication::setApplicationVersion(service::engineVersion());
    QApplication::setDesktopFileName(QStringLiteral("porthole"));

    // The system locale chooses the language; PORTHOLE_LANG overrides it.
    const QString lang = qEnvironmentVariable("PORTHOLE_LANG", QLocale::system().name());
    QTranslator qtTranslator;
    QTranslator appTranslator;
    if (qtTranslator.load(QLocale(lang), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(&qtTranslator);
    // English is the fallback: its catalogue carries the plural forms.
    if (appTranslator.load(QLocale(lang), QStringLiteral("porthole"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || appTranslator.load(QStringLiteral(":/i18n/porthole_en.qm")))
        app.installTranslator(&appTranslator);

    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/porthole.svg")));
    MainWindow window(rootFromArgs(app.arguments()));
    window.show();
    return app.exec();
}

} // namespace porthole::gui
