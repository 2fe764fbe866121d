#pragma once

#include "ProviderCall.h"
#include "SseParser.h"

namespace portico {

class OpenAiCall : public ProviderCall, private UpstreamReply::Listener
{
    Q_OBJECT
public:
    OpenAiCall(const CallContext &context, const QUrl &url, const QByteArray &authorization,
               QObject *parent);
    ~OpenAiCall() override;

    void start() override;
    void abort() override;

private:
    void upstreamHeadersReceived() override;
    void upstreamDataReceived(const QByteArray &data) override;
    void upstreamFinished() override;
    void upstreamFailed(UpstreamReply::Error error, const QString &message) override;
    ApiError httpError() const;
    void fail(const ApiError &error);

    CallContext m_context;
    QUrl m_url;
    QByteArray m_authorization;
    UpstreamReply *m_reply = nullptr;
    bool m_ok = false;
    bool m_done = false;
    QByteArray m_body; // a non-streamed body, or an error body
    SseParser m_sse;
    QList<SseEvent> m_events;
};

} // namespace portico
