#include "OpenAiProvider.h"

#include "OpenAiCall.h"

namespace portico {

OpenAiProvider::OpenAiProvider(const ProviderConfig &config, const QByteArray &apiKey)
    : m_id(config.id)
    , m_url(config.baseUrl)
    , m_models(config.models)
{
    QString path = m_url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    m_url.setPath(path + QStringLiteral("/chat/completions"));
    if (!apiKey.isEmpty())
        m_authorization = "Bearer " + apiKey;
}

ProviderCall *OpenAiProvider::createCall(const CallContext &context, QObject *parent) const
{
    return new OpenAiCall(context, m_url, m_authorization, parent);
}

} // namespace portico
