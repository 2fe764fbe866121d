#include "Gateway.h"

#include "ChatExchange.h"
#include "GatewayService.h"
#include "HttpServer.h"
#include "ProviderRegistry.h"
#include "TokenVerifier.h"

#include <QHostAddress>

namespace portico {

namespace {

HttpLimits limitsFrom(const GatewayConfig &g)
{
    HttpLimits limits;
    limits.maxHeaderBytes = g.maxHeaderBytes;
    limits.maxBodyBytes = g.maxBodyBytes;
    limits.headerTimeoutMs = g.headerTimeoutMs;
    limits.keepAliveTimeoutMs = g.keepAliveTimeoutMs;
    return limits;
}

QHostAddress bindAddress(const QString &bind)
{
    return bind == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                              : QHostAddress(bind);
}

} // namespace

Gateway::Gateway(QObject *parent)
    : QObject(parent)
    , m_credentials(&Gateway::environmentCredentials)
    , m_service(std::make_unique<GatewayService>())
{}

Gateway::~Gateway()
{
    stop();
}

CredentialCheck Gateway::environmentCredentials(const Config &config)
{
    if (config.gateway.authMode == AuthMode::Password)
        return TokenVerifier::forPassword({}, TokenVerifier::environmentPassword());
    return TokenVerifier(config.gateway.tokens, TokenVerifier::environmentToken());
}

void Gateway::setCredentialCheckFactory(CredentialCheckFactory factory)
{
    m_credentials = std::move(factory);
}

void Gateway::setProviderKeys(const QHash<QString, QByteArray> &keys)
{
    m_providerKeys = keys;
}

void Gateway::setObserver(RequestObserver *observer)
{
    m_observer = observer;
    m_service->setObserver(observer);
}

std::shared_ptr<GatewayState> Gateway::buildState(const Config &config, QString *error) const
{
    const auto factory = [this](const ProviderConfig &pc, QString *why) {
        QByteArray key;
        if (!pc.apiKeyEnv.isEmpty())
            key = qgetenv(pc.apiKeyEnv.toLocal8Bit().constData());
        if (key.isEmpty())
            key = m_providerKeys.value(pc.id);
        return createProvider(pc, key, why);
    };
    return buildGatewayState(config, factory, m_credentials(config), error);
}

std::unique_ptr<HttpServer> Gateway::listen(const GatewayConfig &g, QString *error) const
{
    auto server = std::make_unique<HttpServer>(
        [service = m_service.get()](HttpRequest &&request, HttpResponder *responder) {
            service->handle(std::move(request), responder);
        },
        limitsFrom(g), g.workerThreads, g.maxConnections);
    QString why;
    if (!server->listen(bindAddress(g.bind), g.port, &why)) {
        if (error)
            *error = QStringLiteral("Cannot listen on %1:%2: %3").arg(g.bind).arg(g.port).arg(why);
        return nullptr;
    }
    return server;
}

bool Gateway::start(const Config &config, QString *error)
{
    if (m_server)
        return apply(config, error);
    std::shared_ptr<GatewayState> state = buildState(config, error);
    if (!state)
        return false;
    const GatewayConfig &g = config.gateway;
    std::unique_ptr<HttpServer> server = listen(g, error);
    if (!server)
        return false;
    state->port = server->serverPort();
    m_service->setState(state);
    m_server = std::move(server);
    m_config = config;
    setChatCompletionsEnabled(g.chatCompletionsEnabled);
    emit started(m_server->serverPort());
    return true;
}

bool Gateway::apply(const Config &config, QString *error)
{
    if (!m_server)
        return start(config, error);
    const GatewayConfig &now = m_config.gateway;
    const GatewayConfig &next = config.gateway;
    const bool rebind =
        now.bind != next.bind || (next.port != 0 && now.port != next.port) ||
        now.workerThreads != next.workerThreads || now.maxHeaderBytes != next.maxHeaderBytes ||
        now.maxBodyBytes != next.maxBodyBytes || now.headerTimeoutMs != next.headerTimeoutMs ||
        now.keepAliveTimeoutMs != next.keepAliveTimeoutMs ||
        now.maxConnections != next.maxConnections;
    if (rebind) {
        // Open the new listener first so a port in use leaves the running gateway untouched.
        std::shared_ptr<GatewayState> state = buildState(config, error);
        if (!state)
            return false;
        std::unique_ptr<HttpServer> server = listen(next, error);
        if (!server)
            return false;
        state->port = server->serverPort();
        m_server->stopListening();
        m_service->setState(state);
        m_server = std::move(server); // the old server's connections close with it
    } else {
        std::shared_ptr<GatewayState> state = buildState(config, error);
        if (!state)
            return false;
        state->port = m_server->serverPort();
        m_service->setState(state);
    }
    m_config = config;
    setChatCompletionsEnabled(next.chatCompletionsEnabled);
    return true;
}

void Gateway::stop(const QString &reason)
{
    if (!m_server)
        return;
    m_server->stopListening();
    const QString message = reason.isEmpty() ? QStringLiteral("Portico is shutting down.") : reason;
    m_server->forEachWorker([message] { ChatExchange::stopAllInCurrentThread(message); });
    m_server.reset();
    emit stopped();
}

bool Gateway::isRunning() const
{
    return m_server != nullptr;
}

quint16 Gateway::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

bool Gateway::chatCompletionsEnabled() const
{
    return m_service->chatEnabled();
}

void Gateway::setChatCompletionsEnabled(bool enabled)
{
    if (m_service->chatEnabled() == enabled)
        return;
    m_service->setChatEnabled(enabled);
    m_config.gateway.chatCompletionsEnabled = enabled;
    emit chatCompletionsEnabledChanged(enabled);
}

int Gateway::connectionCount() const
{
    return m_server ? m_server->connectionCount() : 0;
}

} // namespace portico
