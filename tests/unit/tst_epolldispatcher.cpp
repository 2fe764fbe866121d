// EpollDispatcher, run as HttpServer runs it: the event dispatcher of a QThread, with real
// timers, socketpairs, files and posted events. Objects are created and used in the worker; its
// handlers report through atomics, and other state is read back with BlockingQueuedConnection.
// Each test declares what the worker's handlers write to before the worker, which outlives it.
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

using namespace portico;
using namespace std::chrono_literals;

namespace {

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
std::function<void(QSocketNotifier *)> countOnce(std::atomic<int> &count)
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

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void postedEventsAndQueuedCalls()
    {
        std::atomic<bool> ran{false};
        std::atomic<int> received{0};
        Worker w;
        QVERIFY(w.dispatcher()->isValid());
        QVERIFY(w.run([] { return QAbstractEventDispatcher::instance(); }) == w.dispatcher());

        // wakeUp() from here gets the worker out of epoll_wait (no timer: an endless wait).
        QTest::qSleep(20);
        const int before = w.awakes;
        w.dispatcher()->wakeUp();
        QTRY_VERIFY_WITH_TIMEOUT(w.awakes > before, 1000);

        QTest::qSleep(20);
        w.post([&ran] { ran = true; });
        QTRY_VERIFY_WITH_TIMEOUT(ran, 1000);

        // Posted events and queued calls interleaved: all arrive, in the order they were posted.
        auto *probe = w.run([&] { return new Probe(received, w.context()); });
        constexpr int Count = 1000;
        for (int i = 0; i < Count; ++i) {
            if (i % 2)
                QCoreApplication::postEvent(probe, new QEvent(QEvent::Type(QEvent::User + i)));
            else
                QMetaObject::invokeMethod(probe, [probe, i] { probe->record(i); });
        }
        QTRY_COMPARE_WITH_TIMEOUT(received.load(), Count, 2000);
        std::vector<int> expected(Count);
        std::iota(expected.begin(), expected.end(), 0);
        QVERIFY(w.run([probe] { return probe->seen; }) == expected);
    }

    void singleShotTimer_data()
    {
        QTest::addColumn<Qt::TimerType>("type");
        QTest::newRow("coarse") << Qt::CoarseTimer;
        QTest::newRow("precise") << Qt::PreciseTimer;
    }

    void singleShotTimer()
    {
        QFETCH(Qt::TimerType, type);
        std::atomic<int> fired{0};
        std::atomic<qint64> elapsedMs{-1};
        QElapsedTimer clock; // started before the timer, read in the worker when it fires
        clock.start();
        Worker w;
        QTimer *timer = w.timer(
            30, true,
            [&](QTimer *) {
                elapsedMs = clock.elapsed();
                ++fired;
            },
            type);
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 1, 1000);
        QVERIFY2(elapsedMs >= 29 && elapsedMs < 500, QByteArray::number(elapsedMs.load()));
        QTest::qWait(80);
        QCOMPARE(fired.load(), 1);
        QVERIFY(!w.run([timer] { return timer->isActive(); }));
        QVERIFY(w.run([&] { return w.dispatcher()->registeredTimers(timer).isEmpty(); }));
    }

    void repeatingTimer()
    {
        std::atomic<int> fired{0};
        Worker w;
        QTimer *timer = w.timer(20, false, [&](QTimer *) { ++fired; });
        QTest::qWait(200);
        const int n = w.run([&] {
            timer->stop();
            return fired.load();
        });
        QVERIFY2(n >= 6 && n <= 13, QByteArray::number(n)); // 10 expected
    }

    void zeroTimer()
    {
        std::atomic<int> zero{0}, later{0}, calls{0};
        Worker w;
        w.timer(0, false, [&](QTimer *) { ++zero; });
        w.timer(30, true, [&](QTimer *) { ++later; });
        for (int i = 0; i < 20; ++i)
            w.post([&calls] { ++calls; });
        // The zero timer never lets the loop sleep, yet posted calls and other timers get through.
        QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 20, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(later.load(), 1, 1000);
        QVERIFY2(zero > 20, QByteArray::number(zero.load()));
    }

    void stopAndRestartInHandler()
    {
        std::atomic<int> stopped{0}, restarted{0};
        std::vector<qint64> times; // worker only, read after it stopped
        QElapsedTimer clock;
        clock.start();
        Worker w;
        w.timer(10, false, [&](QTimer *t) {
            ++stopped;
            t->stop();
        });
        // Restarted with a longer interval from its handler, twice, then stopped.
        w.timer(10, false, [&](QTimer *t) {
            times.push_back(clock.elapsed());
            if (++restarted < 3)
                t->start(25);
            else
                t->stop();
        });
        QTRY_COMPARE_WITH_TIMEOUT(restarted.load(), 3, 1000);
        QTest::qWait(60);
        QCOMPARE(stopped.load(), 1);
        QCOMPARE(restarted.load(), 3);
        const auto seen = w.run([&] { return times; });
        QCOMPARE(seen.size(), size_t(3));
        QVERIFY2(seen[2] - seen[1] >= 24, QByteArray::number(seen[2] - seen[1]));
    }

    void timerKilledInSamePass_data()
    {
        QTest::addColumn<bool>("deleteIt");
        QTest::newRow("stopped") << false;
        QTest::newRow("deleted") << true;
    }

    void timerKilledInSamePass()
    {
        QFETCH(bool, deleteIt);
        std::atomic<int> fired{0};
        Worker w;
        w.run([&] {
            auto *a = new QTimer(w.context());
            auto *b = new QTimer(w.context());
            // Whichever fires first stops itself and kills the other.
            const auto arm = [&fired, deleteIt](QTimer *self, QTimer *other) {
                QObject::connect(self, &QTimer::timeout, self,
                                 [&fired, deleteIt, self, other = QPointer<QTimer>(other)] {
                                     ++fired;
                                     self->stop();
                                     if (deleteIt)
                                         delete other.data();
                                     else if (other)
                                         other->stop();
                                 });
            };
            arm(a, b);
            arm(b, a);
            a->start(5);
            b->start(5);
            QThread::msleep(20); // both overdue when the loop next looks: due in the same pass
        });
        QTest::qWait(60);
        QCOMPARE(fired.load(), 1);
    }

    void killTimerAndDeleteUnregister()
    {
        std::atomic<int> ticksA{0}, ticksB{0};
        int idA = 0, idB = 0;
        Worker w;
        Probe *a = w.run([&] { return new Probe(ticksA, w.context()); });
        Probe *b = w.run([&] { return new Probe(ticksB, w.context()); });
        w.run([&] {
            idA = a->startTimer(5ms);
            idB = b->startTimer(5ms);
        });
        QTRY_VERIFY_WITH_TIMEOUT(ticksA >= 2 && ticksB >= 2, 1000);

        QVERIFY(w.run([&] {
            a->killTimer(idA);
            delete b;
            return w.dispatcher()->remainingTime(idA) == -1 &&
                   w.dispatcher()->remainingTime(idB) == -1 &&
                   w.dispatcher()->registeredTimers(a).isEmpty();
        }));
        const int afterA = ticksA, afterB = ticksB;
        QTest::qWait(50);
        QCOMPARE(ticksA.load(), afterA);
        QCOMPARE(ticksB.load(), afterB);
    }

    void remainingTimeAndRegisteredTimers()
    {
        using TimerInfo = QAbstractEventDispatcher::TimerInfo;
        struct Seen
        {
            int id = 0, remaining = -2, unknown = -2;
            QList<TimerInfo> timers, otherTimers;
        };
        Worker w;
        const Seen s = w.run([&] {
            auto *object = new QObject(w.context());
            auto *other = new QObject(w.context());
            Seen seen;
            seen.id = object->startTimer(200ms, Qt::PreciseTimer);
            object->startTimer(50ms, Qt::CoarseTimer);
            other->startTimer(10ms);
            seen.timers = w.dispatcher()->registeredTimers(object);
            seen.otherTimers = w.dispatcher()->registeredTimers(other);
            seen.remaining = w.dispatcher()->remainingTime(seen.id);
            seen.unknown = w.dispatcher()->remainingTime(seen.id + 1000);
            return seen;
        });
        QCOMPARE(s.timers.size(), 2);
        QCOMPARE(s.otherTimers.size(), 1);
        const TimerInfo &precise = s.timers[0].timerId == s.id ? s.timers[0] : s.timers[1];
        const TimerInfo &coarse = s.timers[0].timerId == s.id ? s.timers[1] : s.timers[0];
        QCOMPARE(precise.timerId, s.id);
        QCOMPARE(precise.interval, 200);
        QCOMPARE(precise.timerType, Qt::PreciseTimer);
        QCOMPARE(coarse.interval, 50);
        QCOMPARE(coarse.timerType, Qt::CoarseTimer);
        QVERIFY2(s.remaining > 150 && s.remaining <= 200, QByteArray::number(s.remaining));
        QCOMPARE(s.unknown, -1);
        QTest::qWait(60);
        const int later = w.run([&] { return w.dispatcher()->remainingTime(s.id); });
        QVERIFY2(later >= 0 && later <= 145, QByteArray::number(later));
    }

    void readNotifierLevelTriggeredAndSetEnabled()
    {
        SocketPair sp;
        std::atomic<int> activations{0}, bytes{0};
        std::atomic<bool> drain{false};
        Worker w;
        QSocketNotifier *n = w.notifier(sp.fd[0], QSocketNotifier::Read, [&](QSocketNotifier *) {
            ++activations;
            if (drain)
                bytes += sp.drain();
        });
        QTest::qWait(30);
        QCOMPARE(activations.load(), 0); // nothing to read
        QVERIFY(sp.send());
        QTRY_VERIFY_WITH_TIMEOUT(activations >= 5, 1000); // again and again while unread
        // Off, it stays quiet though readable; on again, it fires again.
        w.run([n] { n->setEnabled(false); });
        const int disabledAt = activations;
        QTest::qWait(50);
        QCOMPARE(activations.load(), disabledAt);
        w.run([n] { n->setEnabled(true); });
        QTRY_VERIFY_WITH_TIMEOUT(activations > disabledAt, 1000);
        drain = true;
        QTRY_COMPARE_WITH_TIMEOUT(bytes.load(), 1, 1000);
        const int settled = activations;
        QTest::qWait(50);
        QCOMPARE(activations.load(), settled);
    }

    void writeNotifierAndReadOnSameDescriptor()
    {
        SocketPair sp;
        std::atomic<int> reads{0}, writes{0}, bytes{0};
        Worker w;
        QSocketNotifier *r = w.notifier(sp.fd[0], QSocketNotifier::Read, [&](QSocketNotifier *) {
            ++reads;
            bytes += sp.drain();
        });
        QSocketNotifier *wr = w.notifier(sp.fd[0], QSocketNotifier::Write, countOnce(writes));
        QTRY_COMPARE_WITH_TIMEOUT(writes.load(), 1, 1000);
        QCOMPARE(reads.load(), 0);
        QVERIFY(sp.send());
        QTRY_COMPARE_WITH_TIMEOUT(bytes.load(), 1, 1000);
        QCOMPARE(reads.load(), 1);

        w.run([wr] { wr->setEnabled(true); }); // write again, the read one still there
        QTRY_COMPARE_WITH_TIMEOUT(writes.load(), 2, 1000);
        w.run([r] { r->setEnabled(false); }); // read off, write off: data must wait
        QVERIFY(sp.send());
        QTest::qWait(30);
        QCOMPARE(reads.load(), 1);
        w.run([r] { r->setEnabled(true); });
        QTRY_COMPARE_WITH_TIMEOUT(bytes.load(), 2, 1000);
        QCOMPARE(reads.load(), 2);
        QCOMPARE(writes.load(), 2);
    }

    void notifierDeletedInSamePass_data()
    {
        QTest::addColumn<bool>("sameDescriptor");
        QTest::newRow("two descriptors") << false;
        QTest::newRow("read and write on one") << true;
    }

    void notifierDeletedInSamePass()
    {
        QFETCH(bool, sameDescriptor);
        SocketPair a, b;
        std::atomic<int> fired{0};
        Worker w;
        w.run([&] {
            auto *first = new QSocketNotifier(a.fd[0], QSocketNotifier::Read, w.context());
            auto *second = new QSocketNotifier(
                sameDescriptor ? a.fd[0] : b.fd[0],
                sameDescriptor ? QSocketNotifier::Write : QSocketNotifier::Read, w.context());
            // Whichever fires first turns itself off and deletes the other.
            const auto arm = [&fired](QSocketNotifier *self, QSocketNotifier *other) {
                QObject::connect(self, &QSocketNotifier::activated, self,
                                 [&fired, self, other = QPointer<QSocketNotifier>(other)] {
                                     ++fired;
                                     self->setEnabled(false);
                                     delete other.data();
                                 });
            };
            arm(first, second);
            arm(second, first);
            // Both ready before the loop next waits: reported in the same pass.
            a.send();
            b.send();
        });
        QTest::qWait(60);
        QCOMPARE(fired.load(), 1);
    }

    void descriptorReuse_data()
    {
        QTest::addColumn<bool>("oldDeletedAfterReuse");
        QTest::newRow("old notifier deleted, then number reused") << false;
        QTest::newRow("number reused, then old notifier deleted") << true;
    }

    // Notifier A on descriptor X; X closed with A still alive; a new socket gets number X and
    // notifier B. B must work, whenever A goes.
    void descriptorReuse()
    {
        QFETCH(bool, oldDeletedAfterReuse);
        SocketPair old;
        const int x = old.fd[0];
        std::atomic<int> oldFired{0}, newFired{0};
        Worker w;
        QSocketNotifier *a =
            w.notifier(x, QSocketNotifier::Read, [&](QSocketNotifier *) { ++oldFired; });
        old.closeEnd(0);
        if (!oldDeletedAfterReuse)
            w.run([a] { delete a; });

        SocketPair reused; // number X for one end, as the next socket gets it
        QVERIFY(reused.fd[0] >= 0);
        if (reused.fd[0] != x) { // X was not the lowest free number: move it there
            QCOMPARE(::dup2(reused.fd[0], x), x);
            reused.closeEnd(0);
            reused.fd[0] = x;
        }
        w.notifier(x, QSocketNotifier::Read, countOnce(newFired));
        if (oldDeletedAfterReuse)
            w.run([a] { delete a; });
        QVERIFY(reused.send());
        QTRY_COMPARE_WITH_TIMEOUT(newFired.load(), 1, 1000);
    }

    void peerHangUpWakesRead()
    {
        SocketPair sp;
        std::atomic<int> activations{0};
        std::atomic<bool> endOfFile{false};
        Worker w;
        w.notifier(sp.fd[0], QSocketNotifier::Read, [&](QSocketNotifier *self) {
            ++activations;
            if (sp.drain() == -1) {
                endOfFile = true;
                self->setEnabled(false);
            }
        });
        QTest::qWait(20);
        QCOMPARE(activations.load(), 0);
        sp.closeEnd(1);
        QTRY_VERIFY_WITH_TIMEOUT(endOfFile, 1000);
        QCOMPARE(activations.load(), 1);
    }

    void peerHangUpWithoutReadNotifier_data()
    {
        QTest::addColumn<QSocketNotifier::Type>("type");
        QTest::newRow("write") << QSocketNotifier::Write;
        QTest::newRow("exception") << QSocketNotifier::Exception;
    }

    // A hang-up is reported whatever the set asks for: it must reach the notifier there is (which
    // turns itself off), or the level-triggered set would wake the loop for nothing, for ever.
    void peerHangUpWithoutReadNotifier()
    {
        QFETCH(QSocketNotifier::Type, type);
        SocketPair sp;
        sp.closeEnd(1);
        std::atomic<int> activations{0};
        Worker w;
        w.notifier(sp.fd[0], type, countOnce(activations));
        QTRY_COMPARE_WITH_TIMEOUT(activations.load(), 1, 1000);
        const int before = w.awakes;
        QTest::qWait(100);
        QCOMPARE(activations.load(), 1);
        QVERIFY2(w.awakes - before < 20, QByteArray::number(w.awakes - before));
    }

    void regularFileIsReady()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        QVERIFY(file.write("data") == 4 && file.flush());
        const int fd = ::open(QFile::encodeName(file.fileName()).constData(), O_RDONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        std::atomic<int> activations{0};
        Worker w;
        QSocketNotifier *n = w.notifier(fd, QSocketNotifier::Read, countOnce(activations));
        QTRY_COMPARE_WITH_TIMEOUT(activations.load(), 1, 1000);
        // Once off, the loop sleeps again instead of polling the file.
        const int before = w.awakes;
        QTest::qWait(100);
        QVERIFY2(w.awakes - before < 20, QByteArray::number(w.awakes - before));
        w.run([n] { delete n; });
        ::close(fd);
    }

    void nestedEventLoop()
    {
        NestedRun r; // before the worker: its timer writes to it until the worker ends
        Worker w;
        r.start(w);
        QTRY_VERIFY_WITH_TIMEOUT(r.fired >= 3, 2000);
        QCOMPARE(r.maxDepth.load(), 1); // the outer timer never re-entered while its handler ran
        QVERIFY(r.postedInside);        // the nested loop sent the posted call
        QVERIFY2(r.insideMs >= 19, QByteArray::number(r.insideMs.load()));
    }

    // While its handler runs, a due timer cannot fire: it must not make the nested loop's waits
    // zero (QEventDispatcherUNIX skips such timers when it computes the wait).
    void nestedLoopDoesNotSpinOnBusyTimer()
    {
        NestedRun r; // before the worker: its timer writes to it until the worker ends
        Worker w;
        r.start(w);
        QTRY_VERIFY_WITH_TIMEOUT(r.fired >= 3, 2000);
        QVERIFY2(r.awakesInside >= 0 && r.awakesInside < 20,
                 QByteArray::number(r.awakesInside.load()));
    }

    void quitEndsBlockedThread_data()
    {
        QTest::addColumn<bool>("farTimer");
        QTest::newRow("no timer") << false;
        QTest::newRow("timer in 10 s") << true;
    }

    void quitEndsBlockedThread()
    {
        QFETCH(bool, farTimer);
        Worker w;
        if (farTimer)
            w.timer(10000, true, [](QTimer *) {});
        w.run([] {});
        QTest::qSleep(30); // asleep in epoll_wait
        QElapsedTimer clock;
        clock.start();
        w.thread().quit();
        QVERIFY(w.thread().wait(1000));
        QVERIFY2(clock.elapsed() < 1000, QByteArray::number(clock.elapsed()));
    }

    void exitFromHandler_data()
    {
        QTest::addColumn<bool>("fromNotifier");
        QTest::newRow("timer") << false;
        QTest::newRow("socket notifier") << true;
    }

    void exitFromHandler()
    {
        QFETCH(bool, fromNotifier);
        SocketPair sp;
        Worker w;
        const int rc = w.run([&] {
            QEventLoop loop;
            QSocketNotifier notifier(sp.fd[0], QSocketNotifier::Read);
            QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] { loop.exit(7); });
            notifier.setEnabled(fromNotifier);
            if (fromNotifier)
                sp.send();
            else
                QTimer::singleShot(10, &loop, [&] { loop.exit(7); });
            QTimer::singleShot(2000, &loop, [&] { loop.exit(-1); }); // the test's bound
            return loop.exec();
        });
        QCOMPARE(rc, 7);
    }

    void deleteLater()
    {
        Worker w;
        QPointer<QObject> inWorker = w.run([] { return new QObject; });
        QPointer<QObject> fromHere = w.run([] { return new QObject; });
        w.run([&] { inWorker->deleteLater(); });
        fromHere->deleteLater(); // posted to the worker from this thread
        QTRY_VERIFY_WITH_TIMEOUT(inWorker.isNull(), 1000);
        QTRY_VERIFY_WITH_TIMEOUT(fromHere.isNull(), 1000);
    }

    void awakeAndAboutToBlock()
    {
        std::atomic<int> awake{0}, aboutToBlock{0};
        Worker w;
        w.run([&] {
            auto *d = QAbstractEventDispatcher::instance();
            QObject::connect(
                d, &QAbstractEventDispatcher::awake, d, [&] { ++awake; }, Qt::DirectConnection);
            QObject::connect(
                d, &QAbstractEventDispatcher::aboutToBlock, d, [&] { ++aboutToBlock; },
                Qt::DirectConnection);
        });
        QTRY_VERIFY_WITH_TIMEOUT(aboutToBlock >= 1,
                                 1000); // the pass that ran the call goes to sleep
        const int awakeBefore = awake, blockBefore = aboutToBlock;
        w.dispatcher()->wakeUp();
        QTRY_VERIFY_WITH_TIMEOUT(awake > awakeBefore && aboutToBlock > blockBefore, 1000);

        // DeferredDelete, which HttpServer's workers install, deletes on these signals.
        QPointer<QObject> doomed = w.run([] {
            DeferredDelete::install();
            auto *object = new QObject;
            QPointer<QObject> guard(object); // taken here: it goes as soon as this handler returned
            DeferredDelete::deleteSoon(object);
            return guard;
        });
        QTRY_VERIFY_WITH_TIMEOUT(doomed.isNull(), 1000);
    }

    void excludeSocketNotifiers_data()
    {
        QTest::addColumn<bool>("regularFile");
        QTest::newRow("socket") << false;
        QTest::newRow("regular file") << true; // always ready, yet excluded: no reason not to sleep
    }

    // ExcludeSocketNotifiers | WaitForMoreEvents with a ready notifier: the loop sleeps (no
    // activation, no spinning) until the wake-up of a call posted 50 ms later. As with Qt's UNIX
    // dispatcher, a pass that sent posted events may still sleep: the call goes in the next pass.
    void excludeSocketNotifiers()
    {
        QFETCH(bool, regularFile);
        SocketPair sp;
        QVERIFY(sp.send());
        QTemporaryFile file;
        QVERIFY(file.open());
        const int fd = regularFile ? int(file.handle()) : sp.fd[0];
        std::atomic<bool> started{false}, posted{false}, done{false};
        std::atomic<int> passes{0}, firedExcluded{-1}, firedAfter{-1};
        std::atomic<qint64> waitedMs{-1};
        Worker w;
        w.post([&] {
            int fired = 0;
            QSocketNotifier notifier(fd, QSocketNotifier::Read);
            QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&] { ++fired; });
            QEventLoop loop;
            QTimer guard; // bounds each wait if the wake-up were lost
            guard.start(1000);
            QElapsedTimer clock;
            clock.start();
            started = true;
            // The first pass may return at once, for the wake-up of this very call.
            while (clock.elapsed() < 40 && passes < 50) {
                loop.processEvents(QEventLoop::ExcludeSocketNotifiers |
                                   QEventLoop::WaitForMoreEvents);
                ++passes;
            }
            waitedMs = clock.elapsed();
            firedExcluded = fired;
            loop.processEvents(QEventLoop::AllEvents); // sends the call, activates the notifier
            firedAfter = fired;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(started, 1000);
        QTest::qSleep(50);
        w.post([&posted] { posted = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QVERIFY2(passes <= 3, QByteArray::number(passes.load()));
        QVERIFY2(waitedMs >= 40 && waitedMs < 500, QByteArray::number(waitedMs.load()));
        QCOMPARE(firedExcluded.load(), 0);
        QVERIFY(posted);
        QVERIFY(firedAfter >= 1);
    }
};

QTEST_GUILESS_MAIN(TestEpollDispatcher)
#include "tst_epolldispatcher.moc"
