#include "DeferredDelete.h"

#include <QtGlobal>
#ifdef Q_OS_LINUX
#include "EpollDispatcher.h"
#endif

#include <QAbstractEventDispatcher>
#include <QObject>
#include <QPointer>

#include <vector>

namespace portico::DeferredDelete {

namespace {

struct Reaper
{
    bool installed = false;
    std::vector<QPointer<QObject>> queue;
    std::vector<std::pair<void *, void (*)(void *)>> plain; // deleteSoon(void *, deleter)
    std::vector<void (*)()> calls;
};

thread_local Reaper t_reaper;

// Objects queued beyond this many go through deleteLater(): a loop that never wakes must not
// collect them forever.
constexpr size_t MaxQueued = 4096;

// Takes a plain object through deleteLater() where the reaper does not run.
class PlainHolder : public QObject
{
public:
    PlainHolder(void *object, void (*deleter)(void *))
        : m_object(object)
        , m_deleter(deleter)
    {}
    ~PlainHolder() override { m_deleter(m_object); }

private:
    void *m_object;
    void (*m_deleter)(void *);
};

} // namespace

void install()
{
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (!dispatcher || t_reaper.installed)
        return;
    t_reaper.installed = true;
#ifdef Q_OS_LINUX
    if (auto *epoll = qobject_cast<EpollDispatcher *>(dispatcher)) {
        epoll->setPassHook(flush); // the same two points, without signals
        return;
    }
#endif
    // awake: at the top of each pass of the loop, before the events of the pass are handled.
    // aboutToBlock: before the thread sleeps, so that what a posted event's handler queued (it
    // runs after awake) does not wait for the next wake-up.
    QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, dispatcher, flush,
                     Qt::DirectConnection);
    QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, dispatcher, flush,
                     Qt::DirectConnection);
}

void flush()
{
    if (!t_reaper.calls.empty()) {
        std::vector<void (*)()> calls;
        calls.swap(t_reaper.calls);
        for (void (*fn)() : calls)
            fn();
        if (t_reaper.calls.empty()) {
            calls.clear();
            t_reaper.calls.swap(calls); // keep the capacity
        }
    }
    if (!t_reaper.plain.empty()) {
        std::vector<std::pair<void *, void (*)(void *)>> batch;
        batch.swap(t_reaper.plain);
        for (const auto &[object, deleter] : batch)
            deleter(object);
        if (t_reaper.plain.empty()) {
            batch.clear();
            t_reaper.plain.swap(batch);
        }
    }
    if (t_reaper.queue.empty())
        return;
    // Deleting may queue more (children's destructors): take the batch first.
    std::vector<QPointer<QObject>> batch;
    batch.swap(t_reaper.queue);
    for (const QPointer<QObject> &object : batch)
        delete object.data();
    if (t_reaper.queue.empty()) {
        batch.clear();
        t_reaper.queue.swap(batch); // keep the capacity
    }
}

void deleteSoon(QObject *object)
{
    if (!object)
        return;
    if (!t_reaper.installed || t_reaper.queue.size() >= MaxQueued) {
        object->deleteLater();
        return;
    }
    t_reaper.queue.emplace_back(object);
}

void deleteSoon(void *object, void (*deleter)(void *))
{
    if (!object)
        return;
    if (!t_reaper.installed || t_reaper.plain.size() >= MaxQueued) {
        // deleteLater() of a holder, not a queued call: a posted call would run in any
        // sendPostedEvents() of a handler, deleteLater()'s event only where it is safe.
        (new PlainHolder(object, deleter))->deleteLater();
        return;
    }
    t_reaper.plain.emplace_back(object, deleter);
}

bool runSoon(void (*fn)())
{
    if (!t_reaper.installed || !fn)
        return false;
    t_reaper.calls.push_back(fn);
    return true;
}

} // namespace portico::DeferredDelete
