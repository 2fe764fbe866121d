#pragma once

#include "Config.h"
#include "Provider.h"

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace portico {

// Checks a presented credential (token or password); returns the client's name (e.g. the
// token's name) when it is accepted. Must be thread-safe and must not block.
using CredentialCheck = std::function<std::optional<QString>(QByteArrayView presented)>;

// Everything a request needs, built once per configuration change and then shared, read-only,
// by every worker thread. A change builds a new state and swaps it in atomically.
struct GatewayState
{
    Config config;
    QHash<QString, std::shared_ptr<const Provider>> providers; // always has "diagnostic"
    CredentialCheck checkCredential;                           // empty in auth mode "none"
    QByteArray modelsJson;                                     // the body of GET /v1/models
    QSet<QByteArray> allowedHosts;                             // lower-cased "host" or "host:port"
    QSet<QByteArray> allowedOrigins; // exact origins, e.g. "https://app.example"
    quint16 port = 0;                // the port actually listened on, for the Host check
    // Unique to each state buildGatewayState() makes (0: a state made otherwise): what a
    // connection's CredentialMemo was verified against.
    quint64 serial = 0;

    const Provider *provider(const QString &id) const
    {
        const auto it = providers.constFind(id);
        return it == providers.constEnd() ? nullptr : it->get();
    }
};

using ProviderFactory =
    std::function<std::shared_ptr<const Provider>(const ProviderConfig &config, QString *error)>;

// Builds a state from a configuration. Providers are made by `factory`; a provider that cannot
// be built fails the whole build with the factory's error.
std::shared_ptr<GatewayState> buildGatewayState(const Config &config,
                                                const ProviderFactory &factory,
                                                CredentialCheck check, QString *error);

} // namespace portico
