#pragma once

#include "AnthropicSettings.h"
#include "Config.h"
#include "Provider.h"

#include <memory>

namespace portico {

// A `type: "anthropic"` provider: OpenAI chat completions served by the Anthropic Messages API.
class AnthropicProvider : public Provider
{
public:
    AnthropicProvider(const QString &id, const QStringList &models,
                      const AnthropicSettings &settings);

    QString id() const override { return m_id; }
    QString type() const override { return QStringLiteral("anthropic"); }
    QStringList models() const override { return m_models; }
    ProviderCall *createCall(const CallContext &context, QObject *parent) const override;

    const AnthropicSettings &settings() const { return m_settings; }

private:
    const QString m_id;
    const QStringList m_models;
    const AnthropicSettings m_settings;
};

// Builds the provider from its config entry. Type-specific keys (in config.raw):
// "anthropicVersion" (default "2023-06-01") and "defaultMaxTokens" (default 4096). Returns null
// and sets `error` to "providers.<id>.<key>: <problem>" when the entry or the key is unusable.
std::shared_ptr<Provider> createAnthropicProvider(const ProviderConfig &config,
                                                  const QByteArray &apiKey, QString *error);

} // namespace portico
