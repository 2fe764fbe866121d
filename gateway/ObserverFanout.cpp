#include "ObserverFanout.h"

#include <algorithm>

namespace portico {

ObserverFanout::ObserverFanout(const QList<RequestObserver *> &observers)
{
    for (RequestObserver *observer : observers)
        add(observer);
}

void ObserverFanout::add(RequestObserver *observer)
{
    if (observer && observer != this && !m_observers.contains(observer))
        m_observers.append(observer);
}

bool ObserverFanout::wantsContent() const
{
    return std::any_of(m_observers.cbegin(), m_observers.cend(),
                       [](const RequestObserver *o) { return o->wantsContent(); });
}

bool ObserverFanout::wantsLiveChunks() const
{
    return std::any_of(m_observers.cbegin(), m_observers.cend(),
                       [](const RequestObserver *o) { return o->wantsLiveChunks(); });
}

void ObserverFanout::requestStarted(const RequestInfo &info)
{
    for (RequestObserver *observer : m_observers)
        observer->requestStarted(info);
}

void ObserverFanout::requestChunk(const QString &requestId, const QByteArray &chunkJson)
{
    for (RequestObserver *observer : m_observers) {
        if (observer->wantsLiveChunks())
            observer->requestChunk(requestId, chunkJson);
    }
}

void ObserverFanout::requestFinished(const RequestSummary &summary)
{
    for (RequestObserver *observer : m_observers)
        observer->requestFinished(summary);
}

void ObserverFanout::requestRejected(const QByteArray &method, const QByteArray &path, int status,
                                     const QString &message, const QString &peer)
{
    for (RequestObserver *observer : m_observers)
        observer->requestRejected(method, path, status, message, peer);
}

} // namespace portico
