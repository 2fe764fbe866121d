#include "SessionRegistry.h"

#include "SessionRegistryData.h"

#include <algorithm>

// The read side of SessionRegistry: snapshots for the UI, stop and clear.

namespace portico {

void SessionRegistry::clearFinished()
{
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_sessions.begin(); it != m_sessions.end();) {
            Session *session = it->get();
            session->finished = 0;
            session->order.removeIf([this](const QString &id) {
                const auto r = m_requests.find(id);
                if (r != m_requests.end() && (*r)->s.isLive())
                    return false;
                if (r != m_requests.end())
                    m_requests.erase(r);
                return true;
            });
            if (!session->dirty) {
                session->dirty = true;
                m_dirtySessions.append(session->s.key);
            }
            if (session->s.liveCount == 0)
                it = m_sessions.erase(it);
            else
                ++it;
        }
        m_finishedOrder.clear();
        m_finishedChunkBytes = 0;
        m_sessionsDirty = true;
    }
    flush();
}

RequestSnapshot SessionRegistry::snapshotOf(const Request &request)
{
    return request.s;
}

QList<SessionSnapshot> SessionRegistry::sessions() const
{
    QList<SessionSnapshot> out;
    {
        std::lock_guard lock(m_mutex);
        out.reserve(m_sessions.size());
        for (const auto &session : m_sessions)
            out.append(session->s);
    }
    std::sort(out.begin(), out.end(), [](const SessionSnapshot &a, const SessionSnapshot &b) {
        return a.lastActivityMs > b.lastActivityMs;
    });
    return out;
}

QList<RequestSnapshot> SessionRegistry::requests(const QString &sessionKey) const
{
    QList<RequestSnapshot> out;
    std::lock_guard lock(m_mutex);
    const Session *session = m_sessions.value(sessionKey).get();
    if (!session)
        return out;
    out.reserve(session->order.size());
    for (qsizetype i = session->order.size() - 1; i >= 0; --i) {
        if (const Request *request = m_requests.value(session->order.at(i)).get())
            out.append(snapshotOf(*request));
    }
    return out;
}

RequestSnapshot SessionRegistry::request(const QString &requestId, bool *found) const
{
    std::lock_guard lock(m_mutex);
    const Request *request = m_requests.value(requestId).get();
    if (found)
        *found = request != nullptr;
    return request ? snapshotOf(*request) : RequestSnapshot();
}

StreamSlice SessionRegistry::streamSince(const QString &requestId, int from) const
{
    StreamSlice slice;
    std::lock_guard lock(m_mutex);
    const Request *request = m_requests.value(requestId).get();
    if (!request)
        return slice;
    slice.found = true;
    slice.request = snapshotOf(*request);
    slice.from = std::max(from, 0);
    if (slice.from < request->chunks.size())
        slice.chunks = request->chunks.mid(slice.from);
    slice.completionJson = request->completionJson;
    slice.truncated = request->truncated;
    return slice;
}

int SessionRegistry::liveStreamCount() const
{
    std::lock_guard lock(m_mutex);
    return m_live;
}

bool SessionRegistry::stopRequest(const QString &requestId, const QString &reason)
{
    bool kick = false;
    {
        std::lock_guard lock(m_mutex);
        Request *request = m_requests.value(requestId).get();
        if (!request || !request->s.isLive() || !request->exchange)
            return false;
        // The exchange reports requestFinished() (which takes this lock) before it is destroyed,
        // so while we hold the lock and the request is live, the exchange is alive; an event
        // posted to it now is discarded if it is destroyed before running it.
        if (!QMetaObject::invokeMethod(request->exchange, "stop", Qt::QueuedConnection,
                                       Q_ARG(QString, reason)))
            return false;
        request->s.state = RequestSnapshot::State::Stopping;
        kick = markLocked(m_sessions.value(request->s.sessionKey).get(), request, false);
    }
    if (kick)
        postKick();
    return true;
}

} // namespace portico
