#include "ProviderRegistry.h"

#include "AnthropicProvider.h"
#include "CliProvider.h"
#include "DiagnosticProvider.h"
#include "OpenAiProvider.h"

namespace portico {

std::shared_ptr<const Provider> createProvider(const ProviderConfig &config,
                                               const QByteArray &apiKey, QString *error)
{
    if (config.type == QLatin1String("openai"))
        return std::make_shared<OpenAiProvider>(config, apiKey);
    if (config.type == QLatin1String("anthropic"))
        return createAnthropicProvider(config, apiKey, error);
    if (config.type == QLatin1String("cli"))
        return createCliProvider(config, error);
    if (config.type == QLatin1String("diagnostic"))
        return std::make_shared<DiagnosticProvider>(config.id);
    if (error)
        *error = QStringLiteral("providers.%1.type: \"%2\" is not supported by this build")
                     .arg(config.id, config.type);
    return nullptr;
}

} // namespace portico
