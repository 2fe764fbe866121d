#pragma once

#include "RequestObserver.h"
#include "RequestSnapshot.h"
#include "SessionSnapshot.h"
#include "StreamSlice.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>
#include <memory>
#include <mutex>

namespace portico {

// The live sessions and the requests in them, for the UI. A RequestObserver: the gateway's
// worker threads report to it concurrently, each call holding a mutex for microseconds (no JSON
// is parsed on the hot path, chunks are kept as the shared byte arrays they came in).
//
// The object lives in the GUI thread. Worker calls only mark what changed and post at most one
// queued "kick" per flush; a single-shot timer then flushes at most once per flushInterval(),
// emitting coarse signals the UI pulls snapshots on. Nothing runs while nothing changes.
// It must outlive the gateway it observes.
class SessionRegistry : public QObject, public RequestObserver
{
    Q_OBJECT
public:
    static constexpr int DefaultFlushIntervalMs = 200;
    static constexpr int DefaultFinishedPerSession = 20;
    static constexpr int DefaultMaxSessions = 500;
    static constexpr qint64 DefaultMaxChunkBytesPerRequest = 8LL * 1024 * 1024;
    static constexpr qint64 DefaultFinishedChunkBudget = 64LL * 1024 * 1024;

    explicit SessionRegistry(QObject *parent = nullptr);
    ~SessionRegistry() override;

    // RequestObserver, from any thread.
    bool wantsLiveChunks() const override { return true; }
    void requestStarted(const RequestInfo &info) override;
    void requestChunk(const QString &requestId, const QByteArray &chunkJson) override;
    void requestFinished(const RequestSummary &summary) override;

    // Snapshots, from any thread. Sessions: most recently active first. Requests: newest first.
    QList<SessionSnapshot> sessions() const;
    QList<RequestSnapshot> requests(const QString &sessionKey) const;
    RequestSnapshot request(const QString &requestId, bool *found = nullptr) const;
    // The output of a request from chunk `from` on (the view keeps what it had and asks for more).
    StreamSlice streamSince(const QString &requestId, int from) const;
    int liveStreamCount() const;

    // Cancels a live request: its exchange's stop() runs in its worker thread (the client gets an
    // error event, the upstream call is aborted). False if it is not live (any more).
    bool stopRequest(const QString &requestId, const QString &reason = QString());

    // Forgets the finished requests and the sessions without a live request (GUI thread).
    void clearFinished();

    void setFlushInterval(int ms) { m_flushIntervalMs = ms; }
    int flushInterval() const { return m_flushIntervalMs; }
    void setFinishedPerSession(int count);
    void setMaxSessions(int count);
    void setMaxChunkBytesPerRequest(qint64 bytes);
    void setFinishedChunkBudget(qint64 bytes);
    // Flushes pending changes now (GUI thread; tests, or before taking a fresh look).
    void flush();
    // Whether a flush is due (false when idle: no timer runs).
    bool isFlushScheduled() const { return m_flushTimer.isActive(); }

signals:
    void sessionsChanged();
    void requestsChanged(const QString &sessionKey);
    void liveTextChanged(const QString &requestId);
    void liveStreamCountChanged(int count);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Request;
    struct Session;

    void kick();
    // Under the lock: records that something changed; true if a kick must be posted.
    bool markLocked(Session *session, Request *request, bool text);
    void postKick();
    void finishLocked(Request *request, const RequestSummary &summary, qint64 nowMs,
                      qint64 promptTokens, qint64 completionTokens);
    void trimLocked(Session *session);
    void evictSessionsLocked();
    void dropChunksLocked(Request *request);
    static RequestSnapshot snapshotOf(const Request &request);

    mutable std::mutex m_mutex;
    QHash<QString, std::shared_ptr<Session>> m_sessions;
    QHash<QString, std::shared_ptr<Request>> m_requests; // every request kept, by id
    std::deque<QString> m_finishedOrder; // finished requests with chunks, oldest first
    qint64 m_finishedChunkBytes = 0;
    int m_live = 0;
    bool m_kickPosted = false;
    bool m_sessionsDirty = false;
    QStringList m_dirtySessions; // sessions whose requests changed
    QStringList m_dirtyText;     // requests whose output grew
    int m_finishedPerSession = DefaultFinishedPerSession;
    int m_maxSessions = DefaultMaxSessions;
    qint64 m_maxChunkBytes = DefaultMaxChunkBytesPerRequest;
    qint64 m_finishedBudget = DefaultFinishedChunkBudget;

    // GUI thread only.
    QBasicTimer m_flushTimer;
    QElapsedTimer m_sinceFlush;
    int m_flushIntervalMs = DefaultFlushIntervalMs;
    int m_reportedLive = 0;
};

} // namespace portico
