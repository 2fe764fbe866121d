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
    std::vector<void (*)()> calls;
};

thread_local Reaper t_reaper;

// Objects queued beyond this many go through deleteLater(): a loop that never wakes must not
// collect them forever.
constexpr size_t MaxQueued = 4096;

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

bool runSoon(void (*fn)())
{
    if (!t_reaper.installed || !fn)
        return false;
    t_reaper.calls.push_back(fn);
    return true;
}

} // namespace portico::DeferredDelete
