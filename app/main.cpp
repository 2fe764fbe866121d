#include "HeadlessRunner.h"
#include "Options.h"
#include "SignalWatcher.h"

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

    QCoreApplication app(argc, argv);
    int exitCode = -1;
    const Options options = Options::parse(app.arguments(), &exitCode);
    if (exitCode >= 0)
        return exitCode;
    if (!options.headless && hasDisplay())
        std::fprintf(
            stderr, "%s\n",
            qPrintable(QCoreApplication::translate(
                "main", "portico: the tray application is not built yet; running headless.")));
    return runHeadless(app, options);
}
