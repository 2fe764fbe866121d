#include "TrayMain.h"

#include "Options.h"
#include "SignalWatcher.h"
#include "SingleInstance.h"
#include "Translations.h"
#include "TrayApp.h"
#include "TrayIcons.h"

#include <QApplication>

#include <cstdio>

bool wantsTrayApplication(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (i == 1 && !arg.startsWith('-'))
            return false; // a subcommand such as `portico token`
        if (arg == "--headless" || arg == "-h" || arg == "--help" || arg == "-v" ||
            arg == "--version" || arg == "--help-all")
            return false;
    }
    return true;
}

int runTrayApplication(int &argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false);
    installTranslations(&app, QApplication::arguments());
    int exitCode = -1;
    const Options options = Options::parse(QApplication::arguments(), &exitCode);
    if (exitCode >= 0)
        return exitCode;
    QApplication::setWindowIcon(portico::TrayIcons::appIcon());
    QApplication::setDesktopFileName(QStringLiteral("io.portico.Portico"));
    if (!options.bind.isEmpty() || options.port >= 0)
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate(
                         "main", "portico: --bind and --port only apply with --headless; the "
                                 "tray application uses the address from its settings.")));

    SingleInstance instance;
    if (!instance.claim()) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate(
                         "main", "portico: already running; its settings window was opened.")));
        return 0;
    }

    TrayApp::Setup setup;
    setup.configPath = options.configPath;
    TrayApp tray(setup);
    QObject::connect(&instance, &SingleInstance::showRequested, &tray,
                     [&tray] { tray.showSettings(); });
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminateRequested, &tray, &TrayApp::quitNow);
    QObject::connect(&watcher, &SignalWatcher::reloadRequested, &tray, [&tray] {
        QString error;
        if (tray.configStore()->load(&error))
            tray.configStore()->reapply(&error);
    });
    tray.start();
    return QApplication::exec();
}
