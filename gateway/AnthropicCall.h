#pragma once

#include "AnthropicSettings.h"
#include "AnthropicStreamTranslator.h"
#include "ProviderCall.h"

#include <QPointer>

namespace portico {

// One Messages API call. A streaming client gets the upstream's events as chunks while they
// arrive; a non-streaming client gets one completion() from a non-streaming upstream call.
// HTTP errors, `error` events and connection failures end it with failed().
class AnthropicCall : public ProviderCall
{
    Q_OBJECT
public:
    AnthropicCall(const AnthropicSettings &settings, const CallContext &context,
                  QObject *parent = nullptr);
    ~AnthropicCall() override;

    void start() override;
    void abort() override;

private:
    void onHeadersReceived();
    void onDataReceived(const QByteArray &data);
    void onFinished();
    void onFailed(UpstreamReply::Error error, const QString &message);

    bool emitChunks(const QList<QByteArray> &chunks); // false: the call ended meanwhile
    void checkStreamState();
    void succeed();
    void fail(const ApiError &error);
    void releaseReply();

    AnthropicSettings m_settings;
    CallContext m_context;
    AnthropicStreamTranslator m_stream;
    QPointer<UpstreamReply> m_reply;
    QByteArray m_body;     // a non-streaming answer or an error body
    bool m_httpOk = false; // 2xx: the body is the answer
    bool m_ended = false;  // succeeded(), failed() or abort() happened
    bool m_started = false;
};

} // namespace portico
