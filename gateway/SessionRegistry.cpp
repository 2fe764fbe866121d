#include "SessionRegistry.h"

#include "SessionRegistryData.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimerEvent>

#include <algorithm>

namespace portico {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A `"usage": {` object in the JSON? Cheap: most chunks have no usage, or `"usage":null`.
bool hasUsageObject(const QByteArray &json)
{
    qsizetype at = json.lastIndexOf("\"usage\"");
    if (at < 0)
        return false;
    at += 7;
    while (at < json.size() && (json.at(at) == ' ' || json.at(at) == ':' || json.at(at) == '\t' ||
                                json.at(at) == '\n' || json.at(at) == '\r'))
        ++at;
    return at < json.size() && json.at(at) == '{';
}

bool readUsage(const QByteArray &json, qint64 *prompt, qint64 *completion)
{
    if (!hasUsageObject(json))
        return false;
    const QJsonObject usage =
        QJsonDocument::fromJson(json).object().value(QStringLiteral("usage")).toObject();
    if (usage.isEmpty())
        return false;
    *prompt = usage.value(QStringLiteral("prompt_tokens")).toInteger(-1);
    *completion = usage.value(QStringLiteral("completion_tokens")).toInteger(-1);
    return true;
}

} // namespace

SessionRegistry::SessionRegistry(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RequestSnapshot>();
    qRegisterMetaType<SessionSnapshot>();
}

SessionRegistry::~SessionRegistry() = default;

void SessionRegistry::setFinishedPerSession(int count)
{
    std::lock_guard lock(m_mutex);
    m_finishedPerSession = std::max(count, 0);
}

void SessionRegistry::setMaxSessions(int count)
{
    std::lock_guard lock(m_mutex);
    m_maxSessions = std::max(count, 1);
}

void SessionRegistry::setMaxChunkBytesPerRequest(qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    m_maxChunkBytes = std::max<qint64>(bytes, 0);
}

void SessionRegistry::setFinishedChunkBudget(qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    m_finishedBudget = std::max<qint64>(bytes, 0);
}

bool SessionRegistry::markLocked(Session *session, Request *request, bool text)
{
    if (session && !session->dirty) {
        session->dirty = true;
        m_dirtySessions.append(session->s.key);
    }
    if (text && request && !request->textDirty) {
        request->textDirty = true;
        m_dirtyText.append(request->s.requestId);
    }
    return !std::exchange(m_kickPosted, true);
}

void SessionRegistry::postKick()
{
    QMetaObject::invokeMethod(this, &SessionRegistry::kick, Qt::QueuedConnection);
}

void SessionRegistry::requestStarted(const RequestInfo &info)
{
    auto request = std::make_shared<Request>();
    RequestSnapshot &r = request->s;
    r.requestId = info.requestId;
    r.sessionKey = info.sessionKey;
    r.agent = info.agentId;
    r.provider = info.providerId;
    r.model = info.upstreamModel;
    r.requestedModel = info.requestedModel;
    r.stream = info.stream;
    r.startedMs = info.startedMs > 0 ? info.startedMs : nowMs();
    request->exchange = info.exchange;

    bool kick = false;
    {
        std::lock_guard lock(m_mutex);
        std::shared_ptr<Session> &session = m_sessions[info.sessionKey];
        if (!session) {
            session = std::make_shared<Session>();
            session->s.key = info.sessionKey;
            session->s.firstActivityMs = r.startedMs;
        }
        SessionSnapshot &s = session->s;
        s.agent = info.agentId.isEmpty() ? info.providerId : info.agentId;
        if (!info.clientName.isEmpty())
            s.clientName = info.clientName;
        if (!info.user.isEmpty())
            s.user = info.user;
        s.model = info.upstreamModel;
        s.lastActivityMs = std::max(s.lastActivityMs, r.startedMs);
        ++s.requestCount;
        ++s.liveCount;
        session->order.append(r.requestId);
        m_requests.insert(r.requestId, request);
        ++m_live;
        m_sessionsDirty = true;
        kick = markLocked(session.get(), request.get(), false);
    }
    if (kick)
        postKick();
}

void SessionRegistry::requestChunk(const QString &requestId, const QByteArray &chunkJson)
{
    const qint64 now = nowMs();
    qint64 prompt = -1;
    qint64 completion = -1;
    const bool usage = readUsage(chunkJson, &prompt, &completion);
    bool kick = false;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_requests.constFind(requestId);
        if (it == m_requests.constEnd())
            return;
        Request *request = it->get();
        RequestSnapshot &r = request->s;
        if (r.chunks++ == 0) {
            r.ttftMs = now - r.startedMs;
            if (r.state == RequestSnapshot::State::Waiting)
                r.state = RequestSnapshot::State::Streaming;
        }
        r.bytes += chunkJson.size();
        r.lastChunkMs = now;
        if (usage) {
            r.promptTokens = prompt;
            r.completionTokens = completion;
        }
        if (request->chunkBytes + chunkJson.size() <= m_maxChunkBytes) {
            request->chunks.append(chunkJson);
            request->chunkBytes += chunkJson.size();
        } else {
            request->truncated = true;
        }
        Session *session = m_sessions.value(r.sessionKey).get();
        kick = markLocked(session, request, true);
    }
    if (kick)
        postKick();
}

void SessionRegistry::finishLocked(Request *request, const RequestSummary &summary, qint64 now,
                                   qint64 promptTokens, qint64 completionTokens)
{
    using State = RequestSnapshot::State;
    RequestSnapshot &r = request->s;
    if (summary.stopped)
        r.state = State::Stopped;
    else if (summary.clientGone)
        r.state = State::ClientGone;
    else if (summary.status >= 200 && summary.status < 300 && summary.error.isEmpty())
        r.state = State::Succeeded;
    else
        r.state = State::Failed;
    r.endedMs = std::max(now, r.startedMs);
    if (summary.ttftMs >= 0)
        r.ttftMs = summary.ttftMs;
    if (summary.bytesOut > 0)
        r.bytes = summary.bytesOut;
    r.status = summary.status;
    r.error = summary.error;
    if (promptTokens >= 0 || completionTokens >= 0) {
        r.promptTokens = promptTokens;
        r.completionTokens = completionTokens;
    }
    request->exchange = nullptr;
    if (!summary.completionJson.isEmpty() && request->chunks.isEmpty()) {
        request->completionJson = summary.completionJson;
        request->chunkBytes += summary.completionJson.size();
    }
}

void SessionRegistry::requestFinished(const RequestSummary &summary)
{
    const qint64 now = nowMs();
    qint64 prompt = -1;
    qint64 completion = -1;
    if (!summary.completionJson.isEmpty())
        readUsage(summary.completionJson, &prompt, &completion);
    bool kick = false;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_requests.constFind(summary.info.requestId);
        if (it == m_requests.constEnd())
            return;
        const std::shared_ptr<Request> request = *it;
        if (!request->s.isLive())
            return;
        finishLocked(request.get(), summary, now, prompt, completion);
        --m_live;
        const std::shared_ptr<Session> session = m_sessions.value(request->s.sessionKey);
        if (session) {
            SessionSnapshot &s = session->s;
            --s.liveCount;
            ++session->finished;
            s.lastActivityMs = std::max(s.lastActivityMs, request->s.endedMs);
            s.tokensIn += std::max<qint64>(request->s.promptTokens, 0);
            s.tokensOut += std::max<qint64>(request->s.completionTokens, 0);
        }
        if (request->chunkBytes > 0) {
            m_finishedOrder.push_back(request->s.requestId);
            m_finishedChunkBytes += request->chunkBytes;
            while (m_finishedChunkBytes > m_finishedBudget && !m_finishedOrder.empty()) {
                const QString oldest = m_finishedOrder.front();
                m_finishedOrder.pop_front();
                if (Request *old = m_requests.value(oldest).get())
                    dropChunksLocked(old);
            }
        }
        if (session)
            trimLocked(session.get());
        m_sessionsDirty = true;
        kick = markLocked(session.get(), request.get(), true);
    }
    if (kick)
        postKick();
}

void SessionRegistry::dropChunksLocked(Request *request)
{
    if (request->chunkBytes == 0)
        return;
    m_finishedChunkBytes -= request->chunkBytes;
    request->chunkBytes = 0;
    request->chunks.clear();
    request->completionJson.clear();
    request->truncated = true;
}

void SessionRegistry::trimLocked(Session *session)
{
    for (qsizetype i = 0; session->finished > m_finishedPerSession && i < session->order.size();) {
        const auto it = m_requests.find(session->order.at(i));
        if (it != m_requests.end() && (*it)->s.isLive()) {
            ++i;
            continue;
        }
        if (it != m_requests.end()) {
            if (!(*it)->s.isLive())
                dropChunksLocked(it->get());
            m_requests.erase(it);
        }
        session->order.removeAt(i);
        --session->finished;
    }
}

void SessionRegistry::evictSessionsLocked()
{
    if (m_sessions.size() <= m_maxSessions)
        return;
    QList<Session *> idle;
    for (const auto &session : std::as_const(m_sessions)) {
        if (session->s.liveCount == 0)
            idle.append(session.get());
    }
    std::sort(idle.begin(), idle.end(), [](const Session *a, const Session *b) {
        return a->s.lastActivityMs < b->s.lastActivityMs;
    });
    const qsizetype excess = std::min<qsizetype>(m_sessions.size() - m_maxSessions, idle.size());
    for (qsizetype i = 0; i < excess; ++i) {
        const QString key = idle.at(i)->s.key;
        for (const QString &id : std::as_const(idle.at(i)->order)) {
            if (Request *request = m_requests.value(id).get())
                dropChunksLocked(request);
            m_requests.remove(id);
        }
        m_dirtySessions.append(key);
        m_sessions.remove(key);
        m_sessionsDirty = true;
    }
}

void SessionRegistry::kick()
{
    if (m_flushTimer.isActive())
        return;
    const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : m_flushIntervalMs;
    m_flushTimer.start(int(std::max<qint64>(0, m_flushIntervalMs - since)), Qt::CoarseTimer, this);
}

void SessionRegistry::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_flushTimer.timerId())
        flush();
    else
        QObject::timerEvent(event);
}

void SessionRegistry::flush()
{
    m_flushTimer.stop();
    m_sinceFlush.start();
    bool sessionsDirty = false;
    QStringList sessions;
    QStringList texts;
    int live = 0;
    {
        std::lock_guard lock(m_mutex);
        evictSessionsLocked();
        sessionsDirty = std::exchange(m_sessionsDirty, false);
        sessions = std::exchange(m_dirtySessions, {});
        texts = std::exchange(m_dirtyText, {});
        for (const QString &key : std::as_const(sessions)) {
            if (Session *session = m_sessions.value(key).get())
                session->dirty = false;
        }
        for (const QString &id : std::as_const(texts)) {
            if (Request *request = m_requests.value(id).get())
                request->textDirty = false;
        }
        live = m_live;
        m_kickPosted = false;
    }
    if (sessionsDirty)
        emit sessionsChanged();
    for (const QString &key : std::as_const(sessions))
        emit requestsChanged(key);
    for (const QString &id : std::as_const(texts))
        emit liveTextChanged(id);
    if (live != m_reportedLive) {
        m_reportedLive = live;
        emit liveStreamCountChanged(live);
    }
}

} // namespace portico
