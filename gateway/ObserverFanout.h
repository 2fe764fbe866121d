#pragma once

#include "RequestObserver.h"

#include <QList>

namespace portico {

// One RequestObserver that forwards every call to several (the gateway takes one): e.g. the
// stderr request log, the session registry and the session log recorder. Content is captured
// when any of them wants it, live chunks go to those that want them. Add observers before the
// gateway starts; they must outlive it. Thread-safe once set up (it only reads its list).
class ObserverFanout : public RequestObserver
{
public:
    ObserverFanout() = default;
    explicit ObserverFanout(const QList<RequestObserver *> &observers);

    void add(RequestObserver *observer);
    const QList<RequestObserver *> &observers() const { return m_observers; }

    bool wantsContent() const override;
    bool wantsLiveChunks() const override;
    void requestStarted(const RequestInfo &info) override;
    void requestChunk(const QString &requestId, const QByteArray &chunkJson) override;
    void requestFinished(const RequestSummary &summary) override;
    void requestRejected(const QByteArray &method, const QByteArray &path, int status,
                         const QString &message, const QString &peer) override;

private:
    QList<RequestObserver *> m_observers;
};

} // namespace portico
