#include "EpollDispatcher.h"

#include "DirectSocketNotifier.h"

#include <QCoreApplication>
#include <QMetaMethod>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QtDebug>

#include <cerrno>
#include <climits>
#include <ctime>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace portico {

namespace {

constexpr qint64 NsPerMs = 1000 * 1000;
constexpr int MaxEventsPerPass = 256;

qint64 monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 * NsPerMs + ts.tv_nsec;
}

quint64 packKey(int fd, quint32 serial)
{
    return (quint64(serial) << 32) | quint32(fd);
}

} // namespace

EpollDispatcher::EpollDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll >= 0 && m_wake >= 0) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = packKey(m_wake, 0);
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev) != 0) {
            close(m_wake);
            m_wake = -1;
        }
    }
    m_events.resize(MaxEventsPerPass);
}

EpollDispatcher::~EpollDispatcher()
{
    if (m_wake >= 0)
        close(m_wake);
    if (m_epoll >= 0)
        close(m_epoll);
}

void EpollDispatcher::connectNotify(const QMetaMethod &)
{
    updateLoopSignalsConnected();
}

void EpollDispatcher::disconnectNotify(const QMetaMethod &)
{
    updateLoopSignalsConnected();
}

// Qt calls the two above after the connection was made or removed (and with an invalid method
// when a receiver's connections went all at once): asking again covers every case.
void EpollDispatcher::updateLoopSignalsConnected()
{
    m_loopSignalsConnected.store(
        isSignalConnected(QMetaMethod::fromSignal(&QAbstractEventDispatcher::awake)) ||
            isSignalConnected(QMetaMethod::fromSignal(&QAbstractEventDispatcher::aboutToBlock)),
        std::memory_order_relaxed);
}

bool EpollDispatcher::wanted()
{
    return qEnvironmentVariable("PORTICO_EVENT_DISPATCHER") != QLatin1String("qt");
}

// ---- posted events and the loop ----------------------------------------------------------------

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    const bool emitLoopSignals = m_loopSignalsConnected.load(std::memory_order_relaxed);
    if (emitLoopSignals)
        emit awake();
    if (m_passHook)
        m_passHook();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait =
        (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load(std::memory_order_relaxed);
    if (canWait) {
        if (emitLoopSignals)
            emit aboutToBlock();
        if (m_passHook)
            m_passHook();
    }
    if (m_interrupted.load(std::memory_order_relaxed))
        return false;

    int timeoutMs = 0;
    if (canWait && (m_polledCount == 0 || !includeNotifiers))
        timeoutMs = includeTimers ? msUntilNextTimer(monotonicNs()) : -1;

    int handled = 0;
    if (!includeNotifiers) {
        // The sockets must not wake us: wait on the wake-up descriptor alone.
        if (waitForWakeUpOnly(timeoutMs))
            ++handled;
    } else {
        int n = epoll_wait(m_epoll, m_events.data(), int(m_events.size()), timeoutMs);
        if (n < 0 && errno != EINTR)
            qWarning("EpollDispatcher: epoll_wait failed: %s", strerror(errno));
        m_ready.clear();
        for (int i = 0; i < n; ++i) {
            const quint64 key = m_events[size_t(i)].data.u64;
            const int fd = int(quint32(key));
            if (fd == m_wake) {
                drainWakeUp();
                ++handled;
                continue;
            }
            m_ready.push_back({fd, quint32(key >> 32), m_events[size_t(i)].events});
        }
        if (m_polledCount > 0) {
            for (const auto &[fd, watch] : m_watches) {
                if (watch.polled)
                    m_ready.push_back({fd, watch.serial, watch.events});
            }
        }
    }
    if (includeTimers)
        handled += activateTimers();
    if (includeNotifiers)
        handled += activateNotifiers();
    return handled > 0;
}

bool EpollDispatcher::waitForWakeUpOnly(int timeoutMs)
{
    pollfd pfd{m_wake, POLLIN, 0};
    if (poll(&pfd, 1, timeoutMs) > 0 && (pfd.revents & POLLIN)) {
        drainWakeUp();
        return true;
    }
    return false;
}

void EpollDispatcher::drainWakeUp()
{
    quint64 count = 0;
    while (read(m_wake, &count, sizeof count) < 0 && errno == EINTR) {
    }
    // After the read: a wakeUp() racing with it writes again; one that saw the flag still set
    // posted its event before this pass sends the posted events.
    m_wakePending.store(false, std::memory_order_release);
}

void EpollDispatcher::wakeUp()
{
    bool expected = false;
    if (!m_wakePending.compare_exchange_strong(expected, true, std::memory_order_acq_rel))
        return;
    const quint64 one = 1;
    while (write(m_wake, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

// ---- socket notifiers --------------------------------------------------------------------------

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0 || fd == m_wake)
        return;
    auto [it, inserted] = m_watches.try_emplace(fd);
    Watch &watch = it->second;
    if (inserted)
        watch.serial = ++m_nextSerial;
    const int kind = notifier->type() == QSocketNotifier::Read    ? 0
                     : notifier->type() == QSocketNotifier::Write ? 1
                                                                  : 2;
    QSocketNotifier **slot = kind == 0 ? &watch.read : kind == 1 ? &watch.write : &watch.exception;
    if (*slot && *slot != notifier) {
        // Most likely the descriptor was closed under a notifier still registered and its number
        // reused: closing removed it from the epoll set, so the entry starts again as new.
        qWarning("EpollDispatcher: a second socket notifier of the same type for socket %d", fd);
        if (watch.polled) {
            watch.polled = false;
            --m_polledCount;
        }
        watch.serial = ++m_nextSerial;
        watch.events = 0;
    }
    *slot = notifier;
    if (auto *direct = dynamic_cast<DirectSocketNotifier *>(notifier)) {
        watch.direct |= quint8(1u << kind);
        const bool exclusive = direct->wakeUp() == DirectSocketNotifier::WakeUp::OneWaiter;
        if (exclusive != watch.exclusive && watch.events != 0 && !watch.polled) {
            epoll_event ev{};
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev);
            watch.events = 0;
        }
        watch.exclusive = exclusive;
    } else {
        watch.direct &= quint8(~(1u << kind));
    }
    updateWatch(fd, watch);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = it->second;
    // Only the notifier that holds the slot: after a descriptor is closed and its number reused,
    // the old notifier's late unregistration must not remove the new one.
    for (QSocketNotifier **slot : {&watch.read, &watch.write, &watch.exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    updateWatch(fd, watch);
    if (!watch.read && !watch.write && !watch.exception) {
        if (watch.polled)
            --m_polledCount;
        m_watches.erase(it);
    }
}

void EpollDispatcher::updateWatch(int fd, Watch &watch)
{
    quint32 wanted = 0;
    if (watch.read)
        wanted |= EPOLLIN;
    if (watch.write)
        wanted |= EPOLLOUT;
    if (watch.exception)
        wanted |= EPOLLPRI;
    if (wanted == watch.events)
        return;
    if (watch.polled) {
        watch.events = wanted;
        return;
    }
    epoll_event ev{};
    ev.events = wanted;
    ev.data.u64 = packKey(fd, watch.serial);
    int rc = 0;
    if (watch.exclusive && wanted != 0) {
        // EPOLLEXCLUSIVE (one of the threads waiting on the descriptor is woken, not all) is
        // only taken by EPOLL_CTL_ADD: a change is a removal and an addition.
        if (watch.events != 0)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev);
        ev.events = wanted | EPOLLEXCLUSIVE;
        rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        if (rc != 0 && errno == EINVAL) { // a kernel before 4.5: every waiter is woken
            ev.events = wanted;
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        }
    } else if (wanted == 0) {
        // Fails with EBADF when the descriptor is already closed, which removed it from the set.
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev);
    } else if (watch.events == 0) {
        rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        if (rc != 0 && errno == EEXIST) // an earlier descriptor of this number, never removed
            rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
    } else {
        rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
        if (rc != 0 && errno == ENOENT) // closed and reopened under the same number
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    }
    if (rc != 0) {
        if (errno == EPERM) {
            // A regular file or a directory: always ready, as poll() reports it.
            watch.polled = true;
            ++m_polledCount;
        } else {
            qWarning("EpollDispatcher: cannot watch socket %d: %s", fd, strerror(errno));
        }
    }
    watch.events = wanted;
}

int EpollDispatcher::activateNotifiers()
{
    if (m_ready.empty())
        return 0;
    // A handler may run a nested loop, which fills m_ready again: work on a list of our own.
    std::vector<Ready> ready;
    ready.swap(m_ready);
    int activated = 0;
    for (const Ready &r : ready) {
        // What each kind of readiness wakes, as in QEventDispatcherUNIX; a hang-up or error
        // with no notifier of its kind goes to whichever is there, or a level-triggered set
        // would report it forever.
        const bool failed = r.events & (EPOLLERR | EPOLLHUP);
        for (int kind = 0; kind < 3; ++kind) {
            // Looked up again before each: the previous handler may have changed the set.
            const auto it = m_watches.find(r.fd);
            if (it == m_watches.end() || it->second.serial != r.serial)
                break;
            const Watch &watch = it->second;
            QSocketNotifier *notifier = nullptr;
            switch (kind) {
            case 0:
                if ((r.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && watch.read)
                    notifier = watch.read;
                break;
            case 1:
                if (((r.events & (EPOLLOUT | EPOLLERR)) ||
                     (failed && !watch.read && !watch.exception)) &&
                    watch.write)
                    notifier = watch.write;
                break;
            case 2:
                if (((r.events & EPOLLPRI) || (failed && !watch.read && !watch.write)) &&
                    watch.exception)
                    notifier = watch.exception;
                break;
            }
            if (!notifier)
                continue;
            ++activated;
            if (watch.direct & (1u << kind)) {
                static_cast<DirectSocketNotifier *>(notifier)->activate();
                continue;
            }
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(notifier, &event);
        }
    }
    ready.clear();
    if (m_ready.empty())
        m_ready.swap(ready); // keep the capacity
    return activated;
}

// ---- timers ------------------------------------------------------------------------------------

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                    QObject *object)
{
    if (timerId <= 0 || interval < 0 || !object)
        return;
    unregisterTimer(timerId);
    Timer timer;
    timer.object = object;
    timer.intervalNs = interval * NsPerMs;
    timer.type = timerType;
    timer.deadline = monotonicNs() + timer.intervalNs;
    timer.slot = m_deadlines.emplace(timer.deadline, timerId);
    m_timers.emplace(timerId, timer);
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase(it->second.slot);
    m_timers.erase(it);
    return true;
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_deadlines.erase(it->second.slot);
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            list.append(
                TimerInfo(id, int(qMin<qint64>(timer.intervalNs / NsPerMs, INT_MAX)), timer.type));
    }
    return list;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const qint64 left = it->second.deadline - monotonicNs();
    return left <= 0 ? 0 : int(qMin<qint64>((left + NsPerMs - 1) / NsPerMs, INT_MAX));
}

int EpollDispatcher::msUntilNextTimer(qint64 now) const
{
    // A timer whose handler runs (a nested loop) is not fired again, so it must not cut the
    // wait short either: the first deadline of a timer that can fire.
    auto it = m_deadlines.begin();
    while (it != m_deadlines.end() && m_timers.at(it->second).inHandler)
        ++it;
    if (it == m_deadlines.end())
        return -1;
    const qint64 left = it->first - now;
    if (left <= 0)
        return 0;
    // Rounded up: waking before the deadline would only cost another pass.
    return int(qMin<qint64>((left + NsPerMs - 1) / NsPerMs, INT_MAX));
}

int EpollDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const qint64 now = monotonicNs();
    if (m_deadlines.begin()->first > now)
        return 0;
    // Each due timer fires once in this pass: the handlers may start, stop or restart timers
    // (and run nested loops), so the due ones are taken first and looked up again one by one.
    std::vector<int> due;
    due.swap(m_due);
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int fired = 0;
    for (const int id : due) {
        const auto it = m_timers.find(id);
        if (it == m_timers.end())
            continue;
        Timer &timer = it->second;
        if (timer.inHandler || timer.deadline > now)
            continue;
        // The next deadline keeps the period; after a stall it starts again from now.
        qint64 next = timer.deadline + timer.intervalNs;
        if (next <= now)
            next = now + timer.intervalNs;
        m_deadlines.erase(timer.slot);
        timer.deadline = next;
        timer.slot = m_deadlines.emplace(next, id);
        timer.inHandler = true;
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        const auto after = m_timers.find(id);
        if (after != m_timers.end())
            after->second.inHandler = false;
    }
    due.clear();
    if (m_due.empty())
        m_due.swap(due);
    return fired;
}

} // namespace portico
