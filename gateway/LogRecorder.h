#pragma once

#include "LogRecord.h"
#include "RequestObserver.h"

#include <QThreadPool>

#include <atomic>

namespace portico {

class SessionLog;

// Records every chat request in the session log. A RequestObserver: requestFinished() only
// queues the summary (the worker thread returns at once); a thread of its own assembles the
// response from the streamed chunks, reads the usage and appends the LogRecord to the
// SessionLog (which redacts and writes it on its own thread). Requests the gateway refused on
// the chat endpoint (auth, validation, routing) are recorded too, without a session.
//
// It asks for content (wantsContent) even when the log keeps only metadata: the token usage is
// in the chunks. The SessionLog drops the content before writing when it is set not to keep it.
// The SessionLog must outlive this object; the gateway must not outlive it.
class LogRecorder : public RequestObserver
{
public:
    static constexpr int MaxPending = 20'000; // summaries waiting; more are dropped and counted

    explicit LogRecorder(SessionLog *log);
    ~LogRecorder() override; // records what is queued

    bool wantsContent() const override { return true; }
    void requestFinished(const RequestSummary &summary) override;
    void requestRejected(const QByteArray &method, const QByteArray &path, int status,
                         const QString &message, const QString &peer) override;

    // Blocks until every summary reported before the call reached the SessionLog. For shutdown
    // and tests (then SessionLog::waitForWritten()). False on timeout.
    bool waitForIdle(int timeoutMs = 30'000);
    quint64 droppedSummaries() const { return m_dropped.load(); }

    // The record for a finished request: metadata, the request's messages and the assembled
    // assistant message (content, reasoning, tool calls), usage from the chunks or completion.
    static LogRecord toRecord(const RequestSummary &summary);

private:
    void enqueue(std::function<LogRecord()> make);

    SessionLog *m_log;
    QThreadPool m_pool;
    std::atomic<int> m_pending{0};
    std::atomic<quint64> m_dropped{0};
};

} // namespace portico
