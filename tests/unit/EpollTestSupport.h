#pragma once

// The fixtures of the EpollDispatcher tests (tst_epolldispatcher, tst_epolldispatchertimers): a
// QThread that runs on an EpollDispatcher, a socket pair, and a few recording objects.
#include "DeferredDelete.h"
#include "EpollDispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <numeric>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace portico::epolltest {

// A thread whose event loop runs on an EpollDispatcher; counts the dispatcher's passes.
class Worker
{
public:
    Worker()
    {
        m_thread.setEventDispatcher(m_dispatcher);
        QObject::connect(
            m_dispatcher, &QAbstractEventDispatcher::awake, m_dispatcher, [this] { ++awakes; },
            Qt::DirectConnection);
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
    }
    ~Worker()
    {
        m_thread.quit();
        // Bounded: a quit() that a handler's own processEvents() loop swallowed would hang here.
        if (!m_thread.wait(5000))
            qFatal("tst_epolldispatcher: the worker thread did not end");
    }
    QThread &thread() { return m_thread; }
    EpollDispatcher *dispatcher() const { return m_dispatcher; }
    QObject *context() const { return m_context; } // lives in the worker; parent of test objects

    // Runs `f` in the worker as a posted-event handler, returns its result once it returned.
    template<typename F> auto run(F f)
    {
        using R = std::invoke_result_t<F &>;
        if constexpr (std::is_void_v<R>) {
            QMetaObject::invokeMethod(m_context, std::move(f), Qt::BlockingQueuedConnection);
        } else {
            R result{};
            QMetaObject::invokeMethod(m_context, std::move(f), Qt::BlockingQueuedConnection,
                                      &result);
            return result;
        }
    }
    template<typename F> void post(F f)
    {
        QMetaObject::invokeMethod(m_context, std::move(f), Qt::QueuedConnection);
    }
    // A notifier in the worker; `onActivated` runs on each activation.
    QSocketNotifier *notifier(int fd, QSocketNotifier::Type type,
                              std::function<void(QSocketNotifier *)> onActivated)
    {
        return run([=, this] {
            auto *n = new QSocketNotifier(fd, type, m_context);
            QObject::connect(n, &QSocketNotifier::activated, n,
                             [n, onActivated] { onActivated(n); });
            return n;
        });
    }
    // A started timer in the worker; `onTimeout` runs on each timeout.
    QTimer *timer(int ms, bool singleShot, std::function<void(QTimer *)> onTimeout,
                  Qt::TimerType type = Qt::CoarseTimer)
    {
        return run([=, this] {
            auto *t = new QTimer(m_context);
            t->setSingleShot(singleShot);
            t->setTimerType(type);
            QObject::connect(t, &QTimer::timeout, t, [t, onTimeout] { onTimeout(t); });
            t->start(ms);
            return t;
        });
    }

    std::atomic<int> awakes{0};

private:
    QThread m_thread;
    EpollDispatcher *m_dispatcher = new EpollDispatcher; // owned by the thread once set
    QObject *m_context = new QObject;
};

struct SocketPair
{
    int fd[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd); }
    ~SocketPair()
    {
        closeEnd(0);
        closeEnd(1);
    }
    void closeEnd(int i)
    {
        if (fd[i] >= 0)
            ::close(fd[i]);
        fd[i] = -1;
    }
    bool send(int i = 1) const { return ::send(fd[i], "x", 1, MSG_NOSIGNAL) == 1; }
    // Reads what is there; -1 when the peer hung up (read returned 0).
    int drain(int i = 0) const
    {
        char buf[256];
        int total = 0;
        for (;;) {
            const ssize_t n = ::read(fd[i], buf, sizeof buf);
            if (n == 0)
                return -1;
            if (n < 0)
                return total;
            total += int(n);
        }
    }
};

// Counts its timer events, and its custom events and record() calls, which it also records (the
// numbers, in the worker). The counter outlives it.
class Probe : public QObject
{
public:
    Probe(std::atomic<int> &counter, QObject *parent)
        : QObject(parent)
        , m_counter(counter)
    {}
    void record(int n)
    {
        seen.push_back(n);
        ++m_counter;
    }
    std::vector<int> seen;

protected:
    void timerEvent(QTimerEvent *) override { ++m_counter; }
    void customEvent(QEvent *event) override { record(event->type() - QEvent::User); }

private:
    std::atomic<int> &m_counter;
};

// A notifier handler: counts, and turns the notifier off (or a level-triggered one fires again).
inline std::function<void(QSocketNotifier *)> countOnce(std::atomic<int> &count)
{
    return [&count](QSocketNotifier *self) {
        ++count;
        self->setEnabled(false);
    };
}

// An outer 5 ms timer whose first handler runs a nested loop until a 20 ms single shot quits it.
struct NestedRun
{
    std::atomic<int> fired{0}, depth{0}, maxDepth{0}, awakesInside{-1};
    std::atomic<bool> postedInside{false};
    std::atomic<qint64> insideMs{-1};

    void start(Worker &w)
    {
        w.timer(5, false, [this, &w](QTimer *) {
            ++fired;
            const int d = ++depth;
            if (d > maxDepth)
                maxDepth = d;
            if (fired == 1) {
                QEventLoop loop;
                bool posted = false;
                QMetaObject::invokeMethod(w.context(), [&posted] { posted = true; });
                QTimer::singleShot(20, &loop, &QEventLoop::quit);
                QElapsedTimer clock;
                clock.start();
                const int before = w.awakes;
                loop.exec();
                awakesInside = w.awakes - before;
                insideMs = clock.elapsed();
                postedInside = posted;
            }
            --depth;
        });
    }
};

} // namespace portico::epolltest
