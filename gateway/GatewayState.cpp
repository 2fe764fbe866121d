#include "GatewayState.h"

#include "DiagnosticProvider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>

namespace portico {

namespace {

QByteArray buildModelsJson(const Config &config,
                           const QHash<QString, std::shared_ptr<const Provider>> &providers)
{
    QJsonArray data;
    QSet<QString> seen;
    const auto add = [&](const QString &id, const QString &owner) {
        if (seen.contains(id))
            return;
        seen.insert(id);
        data.append(QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), 0},
                                {QStringLiteral("owned_by"), owner}});
    };
    if (!config.agent(QStringLiteral("main")))
        add(QStringLiteral("agent:main"), QStringLiteral("portico"));
    for (const AgentConfig &agent : config.agents)
        add(QStringLiteral("agent:") + agent.id, QStringLiteral("portico"));
    QStringList ids = providers.keys();
    ids.sort();
    for (const QString &id : ids) {
        for (const QString &model : providers.value(id)->models())
            add(model, id);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                     {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

std::shared_ptr<GatewayState> buildGatewayState(const Config &config,
                                                const ProviderFactory &factory,
                                                CredentialCheck check, QString *error)
{
    auto state = std::make_shared<GatewayState>();
    static std::atomic<quint64> lastSerial{0};
    state->serial = ++lastSerial;
    state->config = config;
    state->checkCredential =
        config.gateway.authMode == AuthMode::None ? CredentialCheck() : std::move(check);
    for (const ProviderConfig &pc : config.providers) {
        QString why;
        std::shared_ptr<const Provider> provider = factory(pc, &why);
        if (!provider) {
            if (error)
                *error = why.isEmpty()
                             ? QStringLiteral("providers.%1: cannot be created").arg(pc.id)
                             : why;
            return nullptr;
        }
        state->providers.insert(pc.id, std::move(provider));
    }
    if (!state->providers.contains(QStringLiteral("diagnostic")))
        state->providers.insert(QStringLiteral("diagnostic"),
                                std::make_shared<DiagnosticProvider>(QStringLiteral("diagnostic")));
    for (const QString &host : config.gateway.allowedHosts)
        state->allowedHosts.insert(host.toLower().toUtf8());
    for (const QString &origin : config.gateway.allowedOrigins)
        state->allowedOrigins.insert(origin.toUtf8());
    state->modelsJson = buildModelsJson(config, state->providers);
    return state;
}

} // namespace portico
