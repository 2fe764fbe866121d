#pragma once

#include "ApiError.h"
#include "GatewayState.h"
#include "HttpTypes.h"

#include <optional>

namespace portico {

struct Resolution
{
    QString agentId; // empty when a route or a provider's model list picked the provider
    QString providerId;
    QString upstreamModel;
    QString systemPrompt;
    QString sessionKey;
};

// Picks agent, provider and upstream model for a request, and its session key.
namespace AgentResolver {

// Model prefixes that name an agent: agent:<id>, portico:<id>, portico/<id>, openclaw:<id>,
// openclaw/<id>. Returns the id, or an empty string when the model has no such prefix.
QString agentFromModel(const QString &model);
bool globMatch(QStringView pattern, QStringView text);
std::optional<Resolution> resolve(const QString &model, const QString &user,
                                  const HeaderList &headers, const GatewayState &state,
                                  ApiError *error);

} // namespace AgentResolver
} // namespace portico
