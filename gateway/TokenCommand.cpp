#include "TokenCommand.h"

#include "Config.h"
#include "SecretStore.h"
#include "TokenService.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QTextStream>

namespace portico {

namespace {

// The translation context of this command's messages (lupdate reads the macro).
class TokenCommandText
{
    Q_DECLARE_TR_FUNCTIONS(portico::TokenCommand)
};

struct Options
{
    enum class Mode { Print, List, Revoke, Help };
    Mode mode = Mode::Print;
    QString name;
};

QString usage()
{
    return TokenCommandText::tr(
        "Usage: portico token [--name NAME]   print a token (the default one is created "
        "if missing)\n"
        "       portico token --list          list tokens (names, ids, creation times)\n"
        "       portico token --revoke NAME   revoke a token\n");
}

bool parse(QStringList args, Options *options, QString *error)
{
    bool modeSet = false;
    bool nameSet = false;
    const auto setMode = [&](Options::Mode mode) {
        if (modeSet && options->mode != mode) {
            *error = TokenCommandText::tr("--list and --revoke cannot be combined.");
            return false;
        }
        modeSet = true;
        options->mode = mode;
        return true;
    };
    while (!args.isEmpty()) {
        QString arg = args.takeFirst();
        QString value;
        bool hasValue = false;
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (arg.startsWith(QLatin1String("--")) && eq > 0) {
            value = arg.mid(eq + 1);
            arg.truncate(eq);
            hasValue = true;
        }
        const bool takesValue = arg == QLatin1String("--name") || arg == QLatin1String("--revoke");
        if (takesValue && !hasValue) {
            if (args.isEmpty()) {
                *error = TokenCommandText::tr("%1 needs a token name.").arg(arg);
                return false;
            }
            value = args.takeFirst();
        } else if (!takesValue && hasValue) {
            *error = TokenCommandText::tr("%1 does not take a value.").arg(arg);
            return false;
        }
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            options->mode = Options::Mode::Help;
            return true;
        }
        if (arg == QLatin1String("--list")) {
            if (!setMode(Options::Mode::List))
                return false;
        } else if (arg == QLatin1String("--revoke")) {
            if (!setMode(Options::Mode::Revoke))
                return false;
            options->name = value;
        } else if (arg == QLatin1String("--name")) {
            nameSet = true;
            options->name = value;
        } else {
            *error = TokenCommandText::tr("Unknown argument \"%1\".").arg(arg);
            return false;
        }
    }
    if (nameSet && options->mode != Options::Mode::Print) {
        *error = TokenCommandText::tr("--name only goes with printing a token.");
        return false;
    }
    if (options->mode == Options::Mode::Print && !nameSet)
        options->name = TokenService::defaultTokenName();
    if (options->name.trimmed().isEmpty() && options->mode != Options::Mode::List) {
        *error = TokenCommandText::tr("The token name cannot be empty.");
        return false;
    }
    return true;
}

// Starts an asynchronous TokenService call and waits for its one result.
template<typename Start> TokenResult await(Start start)
{
    QEventLoop loop;
    TokenResult result;
    bool finished = false;
    start(&loop, [&](const TokenResult &r) {
        result = r;
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
    return result;
}

int storeFailure(QTextStream &err, const TokenResult &result)
{
    err << QStringLiteral("portico: ") << result.errorString << Qt::endl;
    if ((result.error == SecretJob::Error::NoBackend ||
         result.error == SecretJob::Error::AccessDenied) &&
        !result.errorString.contains(QLatin1String("PORTICO_GATEWAY_TOKEN")))
        err << TokenCommandText::tr(
                   "For headless use, set PORTICO_GATEWAY_TOKEN instead of using the keychain.")
            << Qt::endl;
    return 1;
}

int list(QTextStream &out, QTextStream &err, const Config &config)
{
    if (config.gateway.tokens.isEmpty()) {
        err << TokenCommandText::tr("No tokens yet; \"portico token\" creates the default one.")
            << Qt::endl;
        return 0;
    }
    for (const TokenRecord &token : config.gateway.tokens) {
        const QString created =
            token.createdMs > 0
                ? QDateTime::fromMSecsSinceEpoch(token.createdMs, Qt::UTC).toString(Qt::ISODate)
                : QStringLiteral("-");
        out << token.name << '\t' << token.id << '\t' << created << '\n';
    }
    out.flush();
    return 0;
}

int print(QTextStream &out, QTextStream &err, TokenService &service, Config &config,
          const QString &configPath, const QString &name)
{
    if (const TokenRecord *record = TokenService::findByName(config.gateway.tokens, name)) {
        const TokenRecord copy = *record;
        const TokenResult result = await([&](QObject *context, TokenService::Callback done) {
            service.readToken(copy, context, std::move(done));
        });
        if (!result.ok())
            return storeFailure(err, result);
        out << QString::fromUtf8(result.secret) << Qt::endl;
        return 0;
    }
    if (name.compare(TokenService::defaultTokenName(), Qt::CaseInsensitive) != 0) {
        err << TokenCommandText::tr(
                   "portico: there is no token named \"%1\" (see \"portico token --list\").")
                   .arg(name)
            << Qt::endl;
        return 1;
    }
    const TokenResult created = await([&](QObject *context, TokenService::Callback done) {
        service.createToken(TokenService::defaultTokenName(), context, std::move(done));
    });
    if (!created.ok())
        return storeFailure(err, created);
    config.gateway.tokens.append(created.record);
    QString error;
    if (!config.save(configPath, &error)) {
        config.gateway.tokens.removeLast();
        // Do not leave a secret behind that no configuration knows about.
        await([&](QObject *context, TokenService::Callback done) {
            service.revoke(created.record.id, context, std::move(done));
        });
        err << TokenCommandText::tr("portico: the new token could not be saved: %1").arg(error)
            << Qt::endl;
        return 1;
    }
    out << QString::fromUtf8(created.secret) << Qt::endl;
    return 0;
}

int revoke(QTextStream &out, QTextStream &err, TokenService &service, Config &config,
           const QString &configPath, const QString &name)
{
    const TokenRecord *found = TokenService::findByName(config.gateway.tokens, name);
    if (!found) {
        err << TokenCommandText::tr(
                   "portico: there is no token named \"%1\" (see \"portico token --list\").")
                   .arg(name)
            << Qt::endl;
        return 1;
    }
    // The record goes first: once the config no longer has its digest the token is refused.
    const TokenRecord record = *found;
    const QList<TokenRecord> before = config.gateway.tokens;
    config.gateway.tokens.removeIf([&](const TokenRecord &t) { return t.id == record.id; });
    QString error;
    if (!config.save(configPath, &error)) {
        config.gateway.tokens = before;
        err << TokenCommandText::tr("portico: the token was not revoked: %1").arg(error)
            << Qt::endl;
        return 1;
    }
    const TokenResult result = await([&](QObject *context, TokenService::Callback done) {
        service.revoke(record.id, context, std::move(done));
    });
    if (!result.ok()) {
        err << TokenCommandText::tr(
                   "portico: token \"%1\" is revoked, but its secret is still in the keychain.")
                   .arg(record.name)
            << Qt::endl;
        return storeFailure(err, result);
    }
    out << TokenCommandText::tr("Revoked token \"%1\".").arg(record.name) << Qt::endl;
    return 0;
}

} // namespace

int runTokenCommand(const QStringList &args, QTextStream &out, QTextStream &err, SecretStore &store,
                    Config &config, const QString &configPath)
{
    Options options;
    QString error;
    if (!parse(args, &options, &error)) {
        err << QStringLiteral("portico: ") << error << Qt::endl << usage();
        err.flush();
        return 2;
    }
    TokenService service(&store);
    switch (options.mode) {
    case Options::Mode::Help:
        out << usage();
        out.flush();
        return 0;
    case Options::Mode::List:
        return list(out, err, config);
    case Options::Mode::Revoke:
        return revoke(out, err, service, config, configPath, options.name);
    case Options::Mode::Print:
        break;
    }
    return print(out, err, service, config, configPath, options.name);
}

} // namespace portico
