#pragma once

#include "UpstreamClient.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace portico {

enum class AuthMode { Token, Password, None };

// A named client token. The secret itself lives in the keychain; the config holds its digest.
struct TokenRecord
{
    QString id;
    QString name;
    QByteArray sha256Hex;
    qint64 createdMs = 0;
};

struct GatewayConfig
{
    QString bind = QStringLiteral("127.0.0.1");
    quint16 port = 18789;
    AuthMode authMode = AuthMode::Token;
    QStringList allowedHosts;
    QStringList allowedOrigins;
    bool chatCompletionsEnabled = false;

    // gateway.limits
    qint64 maxBodyBytes = 20LL * 1024 * 1024;
    int maxHeaderBytes = 64 * 1024;
    int maxConnections = 8192;
    int maxConcurrentRequests = 4096;
    int headerTimeoutMs = 15'000;     // a request's head and body must arrive within this
    int keepAliveTimeoutMs = 120'000; // an idle client connection is closed after this
    int keepAliveCommentMs = 15'000;  // ": keep-alive" while a stream's upstream is silent
    int workerThreads = 0;            // 0: four per core (4 to 16)

    UpstreamTimeouts upstreamTimeouts; // gateway.timeouts
    QList<TokenRecord> tokens;         // gateway.auth.tokens
};

struct ProviderConfig
{
    QString id;
    QString type; // "openai", "anthropic", "cli", "diagnostic"
    QUrl baseUrl;
    QString apiKeyEnv;
    QStringList models;
    QJsonObject raw; // the whole entry, for type-specific keys
};

struct AgentConfig
{
    QString id;
    QString provider;
    QString model;
    QString systemPrompt;
};

struct RouteConfig
{
    QString match; // a glob on the requested model
    QString agent;
    QString provider;
};

struct Config
{
    GatewayConfig gateway;
    QList<ProviderConfig> providers; // sorted by id
    QList<AgentConfig> agents;       // sorted by id
    QList<RouteConfig> routes;       // in file order
    QJsonObject raw;                 // the file as read; unknown keys survive a save

    const ProviderConfig *provider(const QString &id) const;
    const AgentConfig *agent(const QString &id) const;

    // Parses and validates. On failure returns false and sets `error` to "<key path>: <problem>".
    static bool fromJson(const QJsonObject &json, Config *out, QString *error);
    // Reads a file; a missing file yields the defaults. Errors name the file and key path.
    static bool load(const QString &path, Config *out, QString *error);
    QJsonObject toJson() const;
    // Writes atomically (QSaveFile). Never contains a secret.
    bool save(const QString &path, QString *error) const;

    static QString defaultPath(); // <config location>/portico/portico.json
    static QString dataDir();     // <data location>/portico
    static bool isLoopbackBind(const QString &bind);
};

} // namespace portico
