#pragma once

#include "Config.h"
#include "Provider.h"

namespace portico {

// `type: "openai"`: relays to <baseUrl>/chat/completions of any OpenAI-compatible upstream,
// faithfully: the client's bytes go up with only `model` rewritten, the upstream's bytes come
// back untouched (streamed events are re-framed one by one, never re-encoded).
class OpenAiProvider : public Provider
{
public:
    OpenAiProvider(const ProviderConfig &config, const QByteArray &apiKey);

    QString id() const override { return m_id; }
    QString type() const override { return QStringLiteral("openai"); }
    QStringList models() const override { return m_models; }
    ProviderCall *createCall(const CallContext &context, QObject *parent) const override;
    bool needsBody() const override { return false; } // OpenAiCall sends rawBody when it is set

private:
    QString m_id;
    QUrl m_url;
    QByteArray m_authorization;
    QStringList m_models;
};

} // namespace portico
