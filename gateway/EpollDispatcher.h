#pragma once

#include <QAbstractEventDispatcher>

#include <atomic>
#include <map>
#include <unordered_map>
#include <vector>

struct epoll_event;

namespace portico {

// The event dispatcher of the HTTP worker threads (Linux): socket notifiers in an epoll set,
// timers in an ordered map, posted events and wake-ups through an eventfd.
//
// Qt 6.4's UNIX and GLib dispatchers rebuild a pollfd array of every notifier of the thread and
// ppoll() all of them on each pass, and keep timers in a sorted list: a worker holding a hundred
// streams paid for a hundred sockets (in the kernel and in Qt) on every event, and for a list
// walk on every timer restart. Here a pass costs what is ready, and a timer costs O(log n).
//
// Behaviour follows QEventDispatcherUNIX: one pass sends the posted events, waits (unless told
// not to, interrupted, or a zero timer is due), then activates the due timers and the ready
// notifiers, each once. Notifiers are level-triggered. All timer types are kept to the
// millisecond (coarse ones are allowed to be less exact, not required to be). A descriptor epoll
// refuses (a regular file) is reported ready on every pass, as poll() would. A
// DirectSocketNotifier is activated by calling its handler, without an event or a signal.
class EpollDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollDispatcher(QObject *parent = nullptr);
    ~EpollDispatcher() override;

    // False when the kernel refused epoll or eventfd (out of descriptors): use Qt's dispatcher.
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Whether this platform has it; PORTICO_EVENT_DISPATCHER=qt turns it off (for comparisons).
    static bool wanted();

    // Called where awake() and aboutToBlock() are emitted, without a signal emission each
    // (DeferredDelete's reaper: four emissions per request otherwise).
    void setPassHook(void (*hook)()) { m_passHook = hook; }

protected:
    // Note whether anything is connected to awake() or aboutToBlock(): with nothing (a worker
    // thread), the loop does not emit them (an emission nobody receives still costs a call into
    // QMetaObject).
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    void updateLoopSignalsConnected();

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint8 direct = 0;      // bit k: the notifier of kind k (read, write, exception) is a
                                // DirectSocketNotifier, called without an event
        quint32 serial = 0;     // tells a new registration of the descriptor from an old one
        quint32 events = 0;     // what the epoll set holds for it
        bool polled = false;    // epoll refused it: reported ready on every pass
        bool exclusive = false; // added with EPOLLEXCLUSIVE: never modified, removed and added
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalNs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 deadline = 0;
        bool inHandler = false; // not fired again by a nested loop while its handler runs
        std::multimap<qint64, int>::iterator slot;
    };
    struct Ready
    {
        int fd;
        quint32 serial;
        quint32 events;
    };

    void updateWatch(int fd, Watch &watch);
    bool waitForWakeUpOnly(int timeoutMs);
    int activateTimers();
    int activateNotifiers();
    int msUntilNextTimer(qint64 now) const;
    void drainWakeUp();

    void (*m_passHook)() = nullptr;
    std::atomic<bool> m_loopSignalsConnected{false};
    int m_epoll = -1;
    int m_wake = -1;
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_interrupted{false};
    quint32 m_nextSerial = 0;
    std::unordered_map<int, Watch> m_watches;
    int m_polledCount = 0;
    std::unordered_map<int, Timer> m_timers;
    std::multimap<qint64, int> m_deadlines; // deadline (monotonic ns) -> timer id
    std::vector<epoll_event> m_events;
    std::vector<Ready> m_ready;
    std::vector<int> m_due;
};

} // namespace portico
