#include "CliProvider.h"

#include "CliCall.h"
#include "Config.h"

namespace portico {

CliProvider::CliProvider(const CliOptions &options)
    : m_options(options)
{}

QStringList CliProvider::models() const
{
    if (m_options.resolveProgram().isEmpty())
        return {};
    if (!m_options.models.isEmpty())
        return m_options.models;
    return {m_options.preset.isEmpty() ? m_options.providerId : m_options.preset};
}

ProviderCall *CliProvider::createCall(const CallContext &context, QObject *parent) const
{
    return new CliCall(m_options, context, parent);
}

std::shared_ptr<Provider> createCliProvider(const ProviderConfig &config, QString *error)
{
    CliOptions options;
    if (!CliOptions::fromConfig(config, &options, error))
        return nullptr;
    return std::make_shared<CliProvider>(options);
}

} // namespace portico
