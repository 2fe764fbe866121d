#include "ConfigParser.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QRegularExpression>

namespace portico {

namespace {

const QStringList kProviderTypes = {QStringLiteral("openai"), QStringLiteral("anthropic"),
                                    QStringLiteral("cli"), QStringLiteral("diagnostic")};

bool validId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(id).hasMatch();
}

// Small reader that remembers the key path, so every error names where it happened.
class Reader
{
public:
    QString error;

    bool fail(const QString &path, const QString &problem)
    {
        if (error.isEmpty())
            error = path + QStringLiteral(": ") + problem;
        return false;
    }

    bool object(const QJsonObject &parent, const QString &key, const QString &path,
                QJsonObject *out)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isObject())
            return fail(path, QStringLiteral("must be an object"));
        *out = v.toObject();
        return true;
    }

    bool string(const QJsonObject &parent, const QString &key, const QString &path, QString *out)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isString())
            return fail(path, QStringLiteral("must be a string"));
        *out = v.toString();
        return true;
    }

    bool boolean(const QJsonObject &parent, const QString &key, const QString &path, bool *out)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isBool())
            return fail(path, QStringLiteral("must be true or false"));
        *out = v.toBool();
        return true;
    }

    template<typename T>
    bool integer(const QJsonObject &parent, const QString &key, const QString &path, T *out,
                 qint64 min, qint64 max)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != static_cast<double>(static_cast<qint64>(d)))
            return fail(path, QStringLiteral("must be a whole number"));
        const auto n = static_cast<qint64>(d);
        if (n < min || n > max)
            return fail(path, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
        *out = static_cast<T>(n);
        return true;
    }

    bool strings(const QJsonObject &parent, const QString &key, const QString &path,
                 QStringList *out)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isArray())
            return fail(path, QStringLiteral("must be an array of strings"));
        QStringList list;
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString())
                return fail(path + QStringLiteral("[%1]").arg(i),
                            QStringLiteral("must be a string"));
            list << array.at(i).toString();
        }
        *out = list;
        return true;
    }
};

bool readGateway(Reader &r, const QJsonObject &json, GatewayConfig *g)
{
    QJsonObject gw;
    if (!r.object(json, QStringLiteral("gateway"), QStringLiteral("gateway"), &gw))
        return false;
    if (!r.string(gw, QStringLiteral("bind"), QStringLiteral("gateway.bind"), &g->bind))
        return false;
    if (g->bind != QLatin1String("localhost") && QHostAddress(g->bind).isNull())
        return r.fail(QStringLiteral("gateway.bind"),
                      QStringLiteral("\"%1\" is not an IP address").arg(g->bind));
    if (!r.integer(gw, QStringLiteral("port"), QStringLiteral("gateway.port"), &g->port, 0, 65535))
        return false;

    QJsonObject auth;
    if (!r.object(gw, QStringLiteral("auth"), QStringLiteral("gateway.auth"), &auth))
        return false;
    QString mode = QStringLiteral("token");
    if (!r.string(auth, QStringLiteral("mode"), QStringLiteral("gateway.auth.mode"), &mode))
        return false;
    if (mode == QLatin1String("token"))
        g->authMode = AuthMode::Token;
    else if (mode == QLatin1String("password"))
        g->authMode = AuthMode::Password;
    else if (mode == QLatin1String("none"))
        g->authMode = AuthMode::None;
    else
        return r.fail(
            QStringLiteral("gateway.auth.mode"),
            QStringLiteral("must be \"token\", \"password\" or \"none\", not \"%1\"").arg(mode));
    if (g->authMode == AuthMode::None && !Config::isLoopbackBind(g->bind))
        return r.fail(QStringLiteral("gateway.auth.mode"),
                      QStringLiteral("\"none\" is only allowed while gateway.bind is a loopback "
                                     "address (it is %1)")
                          .arg(g->bind));
    for (const char *secretKey : {"password", "token"}) {
        if (auth.contains(QLatin1String(secretKey)))
            return r.fail(QStringLiteral("gateway.auth.") + QLatin1String(secretKey),
                          QStringLiteral("secrets do not belong in the config file; use the "
                                         "keychain or PORTICO_GATEWAY_TOKEN / "
                                         "PORTICO_GATEWAY_PASSWORD"));
    }
    const QJsonValue tokens = auth.value(QStringLiteral("tokens"));
    if (!tokens.isUndefined() && !tokens.isArray())
        return r.fail(QStringLiteral("gateway.auth.tokens"), QStringLiteral("must be an array"));
    const QJsonArray tokenArray = tokens.toArray();
    for (qsizetype i = 0; i < tokenArray.size(); ++i) {
        const QString path = QStringLiteral("gateway.auth.tokens[%1]").arg(i);
        const QJsonObject t = tokenArray.at(i).toObject();
        TokenRecord rec;
        rec.id = t.value(QStringLiteral("id")).toString();
        rec.name = t.value(QStringLiteral("name")).toString();
        rec.sha256Hex = t.value(QStringLiteral("sha256")).toString().toLatin1();
        rec.createdMs = static_cast<qint64>(t.value(QStringLiteral("created")).toDouble());
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
        if (!tokenArray.at(i).isObject() || rec.id.isEmpty() ||
            !hex.match(QString::fromLatin1(rec.sha256Hex)).hasMatch())
            return r.fail(path, QStringLiteral("needs an \"id\", a \"name\" and a \"sha256\" "
                                               "digest of 64 lower-case hex digits"));
        g->tokens << rec;
    }

    if (!r.strings(gw, QStringLiteral("allowedHosts"), QStringLiteral("gateway.allowedHosts"),
                   &g->allowedHosts) ||
        !r.strings(gw, QStringLiteral("allowedOrigins"), QStringLiteral("gateway.allowedOrigins"),
                   &g->allowedOrigins))
        return false;

    QJsonObject http, endpoints, chat;
    if (!r.object(gw, QStringLiteral("http"), QStringLiteral("gateway.http"), &http) ||
        !r.object(http, QStringLiteral("endpoints"), QStringLiteral("gateway.http.endpoints"),
                  &endpoints) ||
        !r.object(endpoints, QStringLiteral("chatCompletions"),
                  QStringLiteral("gateway.http.endpoints.chatCompletions"), &chat) ||
        !r.boolean(chat, QStringLiteral("enabled"),
                   QStringLiteral("gateway.http.endpoints.chatCompletions.enabled"),
                   &g->chatCompletionsEnabled))
        return false;

    QJsonObject limits;
    if (!r.object(gw, QStringLiteral("limits"), QStringLiteral("gateway.limits"), &limits))
        return false;
    const auto lim = [&](const char *key, auto *out, qint64 min, qint64 max) {
        return r.integer(limits, QLatin1String(key),
                         QStringLiteral("gateway.limits.") + QLatin1String(key), out, min, max);
    };
    if (!lim("maxBodyBytes", &g->maxBodyBytes, 1024, 1LL << 32) ||
        !lim("maxHeaderBytes", &g->maxHeaderBytes, 1024, 1 << 20) ||
        !lim("maxConnections", &g->maxConnections, 1, 1 << 20) ||
        !lim("maxConcurrentRequests", &g->maxConcurrentRequests, 1, 1 << 20) ||
        !lim("headerTimeoutMs", &g->headerTimeoutMs, 100, 3'600'000) ||
        !lim("keepAliveTimeoutMs", &g->keepAliveTimeoutMs, 100, 86'400'000) ||
        !lim("keepAliveCommentMs", &g->keepAliveCommentMs, 100, 3'600'000) ||
        !lim("workerThreads", &g->workerThreads, 0, 64))
        return false;

    QJsonObject timeouts;
    if (!r.object(gw, QStringLiteral("timeouts"), QStringLiteral("gateway.timeouts"), &timeouts))
        return false;
    const auto tmo = [&](const char *key, int *out) {
        return r.integer(timeouts, QLatin1String(key),
                         QStringLiteral("gateway.timeouts.") + QLatin1String(key), out, 1,
                         86'400'000);
    };
    return tmo("connectMs", &g->upstreamTimeouts.connectMs) &&
           tmo("firstByteMs", &g->upstreamTimeouts.firstByteMs) &&
           tmo("idleMs", &g->upstreamTimeouts.idleMs);
}

bool readProviders(Reader &r, const QJsonObject &json, QList<ProviderConfig> *out)
{
    QJsonObject providers;
    if (!r.object(json, QStringLiteral("providers"), QStringLiteral("providers"), &providers))
        return false;
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QString path = QStringLiteral("providers.") + it.key();
        if (!validId(it.key()))
            return r.fail(path, QStringLiteral("a provider id uses letters, digits, '.', '_' "
                                               "and '-' (at most 64)"));
        if (!it.value().isObject())
            return r.fail(path, QStringLiteral("must be an object"));
        const QJsonObject p = it.value().toObject();
        ProviderConfig pc;
        pc.id = it.key();
        pc.raw = p;
        if (!r.string(p, QStringLiteral("type"), path + QStringLiteral(".type"), &pc.type))
            return false;
        if (!kProviderTypes.contains(pc.type))
            return r.fail(path + QStringLiteral(".type"),
                          QStringLiteral("must be one of %1").arg(kProviderTypes.join(u", ")));
        for (const char *secretKey : {"apiKey", "api_key", "key"}) {
            if (p.contains(QLatin1String(secretKey)))
                return r.fail(path + QLatin1Char('.') + QLatin1String(secretKey),
                              QStringLiteral("secrets do not belong in the config file; use "
                                             "apiKeyEnv or the keychain"));
        }
        QString base;
        if (!r.string(p, QStringLiteral("baseUrl"), path + QStringLiteral(".baseUrl"), &base))
            return false;
        if (pc.type == QLatin1String("openai") || pc.type == QLatin1String("anthropic")) {
            if (pc.type == QLatin1String("anthropic") && base.isEmpty())
                base = QStringLiteral("https://api.anthropic.com");
            pc.baseUrl = QUrl(base, QUrl::StrictMode);
            if (base.isEmpty() || !pc.baseUrl.isValid() || pc.baseUrl.host().isEmpty() ||
                (pc.baseUrl.scheme() != QLatin1String("http") &&
                 pc.baseUrl.scheme() != QLatin1String("https")))
                return r.fail(path + QStringLiteral(".baseUrl"),
                              QStringLiteral("must be an http:// or https:// URL"));
        }
        if (!r.string(p, QStringLiteral("apiKeyEnv"), path + QStringLiteral(".apiKeyEnv"),
                      &pc.apiKeyEnv) ||
            !r.strings(p, QStringLiteral("models"), path + QStringLiteral(".models"), &pc.models))
            return false;
        out->append(pc);
    }
    return true;
}

bool readAgents(Reader &r, const QJsonObject &json, const Config &config, QList<AgentConfig> *out)
{
    QJsonObject agents;
    if (!r.object(json, QStringLiteral("agents"), QStringLiteral("agents"), &agents))
        return false;
    for (auto it = agents.begin(); it != agents.end(); ++it) {
        const QString path = QStringLiteral("agents.") + it.key();
        if (!validId(it.key()))
            return r.fail(path, QStringLiteral("an agent id uses letters, digits, '.', '_' and "
                                               "'-' (at most 64)"));
        if (!it.value().isObject())
            return r.fail(path, QStringLiteral("must be an object"));
        const QJsonObject a = it.value().toObject();
        AgentConfig ac;
        ac.id = it.key();
        if (!r.string(a, QStringLiteral("provider"), path + QStringLiteral(".provider"),
                      &ac.provider) ||
            !r.string(a, QStringLiteral("model"), path + QStringLiteral(".model"), &ac.model) ||
            !r.string(a, QStringLiteral("systemPrompt"), path + QStringLiteral(".systemPrompt"),
                      &ac.systemPrompt))
            return false;
        if (ac.provider.isEmpty())
            return r.fail(path + QStringLiteral(".provider"), QStringLiteral("is required"));
        if (ac.provider != QLatin1String("diagnostic") && !config.provider(ac.provider))
            return r.fail(path + QStringLiteral(".provider"),
                          QStringLiteral("no provider \"%1\" is configured").arg(ac.provider));
        out->append(ac);
    }
    return true;
}

// "log": {"retentionDays", "keepContent"}: read by the session log, validated here.
bool readLog(Reader &r, const QJsonObject &json)
{
    QJsonObject log;
    int days = 0;
    bool keep = true;
    return r.object(json, QStringLiteral("log"), QStringLiteral("log"), &log) &&
           r.integer(log, QStringLiteral("retentionDays"), QStringLiteral("log.retentionDays"),
                     &days, 0, 36500) &&
           r.boolean(log, QStringLiteral("keepContent"), QStringLiteral("log.keepContent"), &keep);
}

bool readRoutes(Reader &r, const QJsonObject &json, const Config &config, QList<RouteConfig> *out)
{
    const QJsonValue routes = json.value(QStringLiteral("routes"));
    if (routes.isUndefined() || routes.isNull())
        return true;
    if (!routes.isArray())
        return r.fail(QStringLiteral("routes"), QStringLiteral("must be an array"));
    const QJsonArray array = routes.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("routes[%1]").arg(i);
        if (!array.at(i).isObject())
            return r.fail(path, QStringLiteral("must be an object"));
        const QJsonObject o = array.at(i).toObject();
        RouteConfig rc;
        if (!r.string(o, QStringLiteral("match"), path + QStringLiteral(".match"), &rc.match) ||
            !r.string(o, QStringLiteral("agent"), path + QStringLiteral(".agent"), &rc.agent) ||
            !r.string(o, QStringLiteral("provider"), path + QStringLiteral(".provider"),
                      &rc.provider))
            return false;
        if (rc.match.isEmpty())
            return r.fail(path + QStringLiteral(".match"), QStringLiteral("is required"));
        if (rc.agent.isEmpty() == rc.provider.isEmpty())
            return r.fail(path, QStringLiteral("needs exactly one of \"agent\" or \"provider\""));
        if (!rc.agent.isEmpty() && !config.agent(rc.agent) && rc.agent != QLatin1String("main"))
            return r.fail(path + QStringLiteral(".agent"),
                          QStringLiteral("no agent \"%1\" is configured").arg(rc.agent));
        if (!rc.provider.isEmpty() && !config.provider(rc.provider) &&
            rc.provider != QLatin1String("diagnostic"))
            return r.fail(path + QStringLiteral(".provider"),
                          QStringLiteral("no provider \"%1\" is configured").arg(rc.provider));
        out->append(rc);
    }
    return true;
}

} // namespace

bool parseConfig(const QJsonObject &json, Config *out, QString *error)
{
    Reader r;
    Config c;
    c.raw = json;
    const bool ok = readGateway(r, json, &c.gateway) && readProviders(r, json, &c.providers) &&
                    readAgents(r, json, c, &c.agents) && readRoutes(r, json, c, &c.routes) &&
                    readLog(r, json);
    if (!ok) {
        if (error)
            *error = r.error;
        return false;
    }
    *out = c;
    return true;
}

} // namespace portico
