#include "Options.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Options", text);
}
} // namespace

Options Options::parse(const QStringList &arguments, int *exitCode)
{
    *exitCode = -1;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Portico: a local OpenAI-compatible LLM gateway.\n\n"
           "Commands:\n"
           "  portico                 start the tray application (headless without a display)\n"
           "  portico --headless      run the gateway with no GUI\n"
           "  portico token           print a client token (--name, --list, --revoke)\n"
           "  portico log             print the session log (--session, --since, --json)"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      tr("Run the gateway without a GUI."));
    const QCommandLineOption config(QStringLiteral("config"),
                                    tr("Read the configuration from <file>."), tr("file"));
    const QCommandLineOption bind(QStringLiteral("bind"),
                                  tr("Listen on <address> instead of the configured one."),
                                  tr("address"));
    const QCommandLineOption port(
        QStringLiteral("port"), tr("Listen on <port> instead of the configured one."), tr("port"));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  tr("Use <language> (e.g. zh_CN) instead of the system's."),
                                  tr("language"));
    parser.addOptions({headless, config, bind, port, lang});

    Options options;
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "portico: %s\n%s\n", qPrintable(parser.errorText()),
                     qPrintable(tr("Try 'portico --help'.")));
        *exitCode = 2;
        return options;
    }
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        *exitCode = 0;
        return options;
    }
    if (parser.isSet(version)) {
        std::printf("portico %s\n", PORTICO_VERSION);
        *exitCode = 0;
        return options;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "portico: %s\n",
                     qPrintable(tr("unknown command '%1'; try 'portico --help'.")
                                    .arg(parser.positionalArguments().constFirst())));
        *exitCode = 2;
        return options;
    }
    options.headless = parser.isSet(headless);
    options.configPath = parser.value(config);
    options.bind = parser.value(bind);
    options.language = parser.value(lang);
    if (parser.isSet(port)) {
        bool ok = false;
        options.port = parser.value(port).toInt(&ok);
        if (!ok || options.port < 0 || options.port > 65535) {
            std::fprintf(stderr, "portico: %s\n",
                         qPrintable(tr("--port takes a number from 0 to 65535.")));
            *exitCode = 2;
        }
    }
    return options;
}
