#include "HeadlessRunner.h"
#include "Options.h"
#include "SignalWatcher.h"
#include "Subcommands.h"
#include "Translations.h"
#ifdef PORTICO_WITH_UI
#include "TrayMain.h"
#endif

#include <QCoreApplication>

#include <sys/resource.h>

namespace {

// Every stream holds two sockets (client and upstream): lift the soft limit on open files to
// the hard one, as servers do, so 1,000 streams are not capped by the default 1,024.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

int runHeadless(QCoreApplication &app, const Options &options)
{
    HeadlessRunner runner(options);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminateRequested, &runner, &HeadlessRunner::stop);
    QObject::connect(&watcher, &SignalWatcher::reloadRequested, &runner, &HeadlessRunner::reload);
    if (!runner.start())
        return 1;
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    raiseFileLimit();
    QCoreApplication::setApplicationName(QStringLiteral("portico"));
    QCoreApplication::setOrganizationName(QStringLiteral("portico"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTICO_VERSION));
    if (const int code = runSubcommand(argc, argv); code >= 0)
        return code;

#ifdef PORTICO_WITH_UI
    if (hasDisplay() && wantsTrayApplication(argc, argv))
        return runTrayApplication(argc, argv);
#endif
    // Headless, nothing needs GLib's main loop: Qt's own poll() dispatcher costs less per wake-up
    // with a thousand sockets per worker thread. Set before any thread starts.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    installTranslations(&app, app.arguments());
    int exitCode = -1;
    const Options options = Options::parse(app.arguments(), &exitCode);
    if (exitCode >= 0)
        return exitCode;
#ifndef PORTICO_WITH_UI
    if (!options.headless && hasDisplay())
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate(
                         "main", "portico: built without the tray application (BUILD_UI=OFF); "
                                 "running headless.")));
#endif
    return runHeadless(app, options);
}
