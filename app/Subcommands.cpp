#include "Subcommands.h"

#include "Translations.h"

#include "Config.h"
#include "LogCommand.h"
#ifdef PORTICO_WITH_KEYCHAIN
#include "KeychainSecretStore.h"
#include "TokenCommand.h"
#endif

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace {

// Takes "--config FILE" (or "--config=FILE") out of `args`; returns the path or the default.
QString takeConfigPath(QStringList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--config") && i + 1 < args.size()) {
            const QString path = args[i + 1];
            args.remove(i, 2);
            return path;
        }
        if (args[i].startsWith(QLatin1String("--config="))) {
            const QString path = args[i].mid(9);
            args.remove(i);
            return path;
        }
    }
    return portico::Config::defaultPath();
}

int tokenCommand(QStringList args, QTextStream &out, QTextStream &err)
{
#ifdef PORTICO_WITH_KEYCHAIN
    const QString configPath = takeConfigPath(args);
    portico::Config config;
    QString error;
    if (!portico::Config::load(configPath, &config, &error)) {
        err << QCoreApplication::translate("Subcommands", "portico: configuration error: %1")
                   .arg(error)
            << Qt::endl;
        return 1;
    }
    portico::KeychainSecretStore store;
    return portico::runTokenCommand(args, out, err, store, config, configPath);
#else
    Q_UNUSED(args)
    Q_UNUSED(out)
    err << QCoreApplication::translate(
               "Subcommands", "portico: built without keychain support (BUILD_KEYCHAIN=OFF); "
                              "set PORTICO_GATEWAY_TOKEN instead.")
        << Qt::endl;
    return 1;
#endif
}

} // namespace

int runSubcommand(int argc, char *argv[])
{
    if (argc < 2)
        return -1;
    const QByteArray command(argv[1]);
    if (command != "token" && command != "log")
        return -1;
    QCoreApplication app(argc, argv);
    installTranslations(&app, app.arguments());
    QStringList args = app.arguments().mid(2);
    // --lang is Portico's own (installTranslations read it), not the subcommand's.
    for (qsizetype i = 0; i < args.size();) {
        if (args[i] == QLatin1String("--lang") && i + 1 < args.size())
            args.remove(i, 2);
        else if (args[i].startsWith(QLatin1String("--lang=")))
            args.remove(i);
        else
            ++i;
    }
    QTextStream out(stdout);
    QTextStream err(stderr);
    int code = 0;
    if (command == "token")
        code = tokenCommand(args, out, err);
    else
        code = portico::runLogCommand(args, out, err, QString());
    out.flush();
    err.flush();
    return code;
}
