#include "Config.h"

#include "ConfigParser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace portico {

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

} // namespace

const ProviderConfig *Config::provider(const QString &id) const
{
    const auto it = std::find_if(providers.cbegin(), providers.cend(),
                                 [&](const ProviderConfig &p) { return p.id == id; });
    return it == providers.cend() ? nullptr : &*it;
}

const AgentConfig *Config::agent(const QString &id) const
{
    const auto it = std::find_if(agents.cbegin(), agents.cend(),
                                 [&](const AgentConfig &a) { return a.id == id; });
    return it == agents.cend() ? nullptr : &*it;
}

bool Config::fromJson(const QJsonObject &json, Config *out, QString *error)
{
    return parseConfig(json, out, error);
}

bool Config::load(const QString &path, Config *out, QString *error)
{
    QFile file(path);
    if (!file.exists())
        return fromJson({}, out, error);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot be read: ") + file.errorString();
        return false;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("%1: not valid JSON at offset %2: %3")
                         .arg(path)
                         .arg(parseError.offset)
                         .arg(parseError.errorString());
        return false;
    }
    if (!doc.isObject()) {
        if (error)
            *error = path + QStringLiteral(": the top level must be an object");
        return false;
    }
    QString why;
    if (!fromJson(doc.object(), out, &why)) {
        if (error)
            *error = path + QStringLiteral(": ") + why;
        return false;
    }
    return true;
}

QJsonObject Config::toJson() const
{
    QJsonObject json = raw;
    QJsonObject gw = json.value(QStringLiteral("gateway")).toObject();
    gw[QStringLiteral("bind")] = gateway.bind;
    gw[QStringLiteral("port")] = gateway.port;
    QJsonObject auth = gw.value(QStringLiteral("auth")).toObject();
    auth[QStringLiteral("mode")] = gateway.authMode == AuthMode::Token ? QStringLiteral("token")
                                   : gateway.authMode == AuthMode::Password
                                       ? QStringLiteral("password")
                                       : QStringLiteral("none");
    QJsonArray tokens;
    for (const TokenRecord &t : gateway.tokens) {
        tokens.append(QJsonObject{{QStringLiteral("id"), t.id},
                                  {QStringLiteral("name"), t.name},
                                  {QStringLiteral("sha256"), QString::fromLatin1(t.sha256Hex)},
                                  {QStringLiteral("created"), static_cast<double>(t.createdMs)}});
    }
    if (tokens.isEmpty())
        auth.remove(QStringLiteral("tokens"));
    else
        auth[QStringLiteral("tokens")] = tokens;
    gw[QStringLiteral("auth")] = auth;
    gw[QStringLiteral("allowedHosts")] = toArray(gateway.allowedHosts);
    gw[QStringLiteral("allowedOrigins")] = toArray(gateway.allowedOrigins);
    QJsonObject http = gw.value(QStringLiteral("http")).toObject();
    QJsonObject endpoints = http.value(QStringLiteral("endpoints")).toObject();
    QJsonObject chat = endpoints.value(QStringLiteral("chatCompletions")).toObject();
    chat[QStringLiteral("enabled")] = gateway.chatCompletionsEnabled;
    endpoints[QStringLiteral("chatCompletions")] = chat;
    http[QStringLiteral("endpoints")] = endpoints;
    gw[QStringLiteral("http")] = http;
    json[QStringLiteral("gateway")] = gw;

    QJsonObject providerObj;
    for (const ProviderConfig &p : providers) {
        QJsonObject o = p.raw;
        o[QStringLiteral("type")] = p.type;
        if (!p.baseUrl.isEmpty())
            o[QStringLiteral("baseUrl")] = p.baseUrl.toString();
        if (!p.apiKeyEnv.isEmpty())
            o[QStringLiteral("apiKeyEnv")] = p.apiKeyEnv;
        else
            o.remove(QStringLiteral("apiKeyEnv"));
        o[QStringLiteral("models")] = toArray(p.models);
        providerObj[p.id] = o;
    }
    json[QStringLiteral("providers")] = providerObj;

    QJsonObject agentObj;
    for (const AgentConfig &a : agents) {
        agentObj[a.id] = QJsonObject{{QStringLiteral("provider"), a.provider},
                                     {QStringLiteral("model"), a.model},
                                     {QStringLiteral("systemPrompt"), a.systemPrompt}};
    }
    json[QStringLiteral("agents")] = agentObj;

    QJsonArray routeArray;
    for (const RouteConfig &r : routes) {
        QJsonObject o{{QStringLiteral("match"), r.match}};
        if (!r.agent.isEmpty())
            o[QStringLiteral("agent")] = r.agent;
        else
            o[QStringLiteral("provider")] = r.provider;
        routeArray.append(o);
    }
    json[QStringLiteral("routes")] = routeArray;
    return json;
}

bool Config::save(const QString &path, QString *error) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot be written: ") + file.errorString();
        return false;
    }
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = path + QStringLiteral(": cannot be written: ") + file.errorString();
        return false;
    }
    return true;
}

QString Config::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/portico/portico.json");
}

QString Config::dataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/portico");
}

bool Config::isLoopbackBind(const QString &bind)
{
    return bind == QLatin1String("localhost") || QHostAddress(bind).isLoopback();
}

} // namespace portico
