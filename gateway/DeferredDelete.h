#pragma once

#include <type_traits>

class QObject;

namespace portico {

// deleteLater() without an event: deleteLater() posts an event, and a posted event wakes the
// thread's event loop through its eventfd (a write and a read, and one more loop iteration), on
// every request. In a thread that installed the reaper, deleteSoon() queues the object instead,
// and the queue is emptied when the event loop next wakes or is about to sleep
// (QAbstractEventDispatcher::awake and aboutToBlock), outside any handler, as deleteLater()
// would. Install it only in threads whose event loop
// never runs nested (the HTTP worker threads); elsewhere deleteSoon() is deleteLater().
namespace DeferredDelete {

// Installs the reaper in the calling thread (which must have an event dispatcher).
void install();
// Deletes what is queued and runs what runSoon() queued (also as the thread is about to end).
void flush();
void deleteSoon(QObject *object);
// The same for an object that is no QObject (the per-request HttpResponder: a QObject costs about
// 400 instructions made and destroyed, and a QPointer to watch it in the queue more). The queue
// owns it: nothing else may delete it. Without the reaper it goes with a deleteLater()
// (of a QObject that holds it).
void deleteSoon(void *object, void (*deleter)(void *));
template<typename T>
requires(!std::is_base_of_v<QObject, T>) void deleteSoon(T *object)
{
    deleteSoon(static_cast<void *>(object), [](void *p) { delete static_cast<T *>(p); });
}
// Calls `fn` at the same point, once per call: work a handler wants batched per turn of the loop
// (the stderr request lines: one write(2) for all the requests a turn finished). Returns false,
// and calls nothing, where the reaper is not installed: the caller does the work at once.
bool runSoon(void (*fn)());

} // namespace DeferredDelete
} // namespace portico
