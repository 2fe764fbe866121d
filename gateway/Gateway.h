#pragma once

#include "Config.h"
#include "GatewayState.h"
#include "RequestObserver.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

namespace portico {

class GatewayService;
class HttpServer;

// The gateway as the rest of the application sees it: start it with a configuration, apply a
// changed one without a restart, toggle the chat-completions endpoint, stop it cleanly. The
// HTTP server runs in its own threads; this object only steers it.
class Gateway : public QObject
{
    Q_OBJECT
public:
    using CredentialCheckFactory = std::function<CredentialCheck(const Config &config)>;

    explicit Gateway(QObject *parent = nullptr);
    ~Gateway() override;

    // How client credentials are checked for a given configuration. The default accepts the
    // configured tokens (by digest) and PORTICO_GATEWAY_TOKEN in token mode, and
    // PORTICO_GATEWAY_PASSWORD in password mode.
    void setCredentialCheckFactory(CredentialCheckFactory factory);
    // Provider API keys from the keychain, by provider id. apiKeyEnv still overrides.
    void setProviderKeys(const QHash<QString, QByteArray> &keys);
    // Must be set before start(); must outlive the gateway.
    void setObserver(RequestObserver *observer);

    bool start(const Config &config, QString *error);
    // Applies a changed configuration; re-listens if the address or port changed (keeping the
    // old listener if the new one cannot be opened).
    bool apply(const Config &config, QString *error);
    // Stops listening, ends live streams with an error event, aborts upstream calls.
    void stop(const QString &reason = {});

    bool isRunning() const;
    quint16 port() const;
    const Config &config() const { return m_config; }
    bool chatCompletionsEnabled() const;
    void setChatCompletionsEnabled(bool enabled);
    int connectionCount() const;

    // The default check: configured token digests plus the environment variables.
    static CredentialCheck environmentCredentials(const Config &config);

signals:
    void chatCompletionsEnabledChanged(bool enabled);
    void started(quint16 port);
    void stopped();

private:
    std::shared_ptr<GatewayState> buildState(const Config &config, QString *error) const;
    // A server for `g`, listening; null (and `error` set) when the address cannot be opened.
    std::unique_ptr<HttpServer> listen(const GatewayConfig &g, QString *error) const;

    Config m_config;
    CredentialCheckFactory m_credentials;
    QHash<QString, QByteArray> m_providerKeys;
    RequestObserver *m_observer = nullptr;
    std::unique_ptr<GatewayService> m_service;
    std::unique_ptr<HttpServer> m_server;
};

} // namespace portico
