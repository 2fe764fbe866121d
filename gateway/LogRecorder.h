#pragma once

#include "LogRecord.h"
#include "RequestObserver.h"

namespace portico {

class SessionLog;

// Records every chat request in the session log. A RequestObserver: requestFinished() turns
// the summary into a LogRecord (metadata, the request's messages, the response a stream was
// assembled into as it went, usage) and appends it to the SessionLog, which redacts, serialises
// and writes it on its own thread. Requests the gateway refused on the chat endpoint (auth,
// validation, routing) are recorded too, without a session.
//
// It asks for content (wantsContent) even when the log keeps only metadata: the token usage is
// in the chunks. The SessionLog drops the content before writing when it is set not to keep it.
// The SessionLog must outlive this object; the gateway must not outlive it.
class LogRecorder : public RequestObserver
{
public:
    explicit LogRecorder(SessionLog *log);

    bool wantsContent() const override { return true; }
    void requestFinished(const RequestSummary &summary) override;
    void requestRejected(const QByteArray &method, const QByteArray &path, int status,
                         const QString &message, const QString &peer) override;

    // The record for a finished request: metadata, the request's messages and the assembled
    // assistant message (content, reasoning, tool calls) with usage from the chunks, or the
    // relayed completion for LogRecord::readCompletion() to read.
    static LogRecord toRecord(const RequestSummary &summary);

private:
    SessionLog *m_log;
};

} // namespace portico
