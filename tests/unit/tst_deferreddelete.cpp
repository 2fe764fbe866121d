// DeferredDelete: deleteSoon() in a thread that installed the reaper (as HttpServer's workers do)
// deletes after the event handler that asked, at the next turn of the loop, once; elsewhere it is
// deleteLater(). Objects are observed from the test thread through atomics written in the worker
// (its handlers run with BlockingQueuedConnection, which orders them with the test thread).
#include "DeferredDelete.h"

#include <QAbstractEventDispatcher>
#include <QPointer>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>

#include <sys/socket.h>
#include <unistd.h>

using namespace portico;

namespace {

// A thread running an event loop, with or without the reaper, and a way to run code in it as an
// event handler.
class Worker
{
public:
    explicit Worker(bool installReaper)
    {
        m_context->moveToThread(&m_thread);
        if (installReaper) // exactly as HttpServer wires its workers
            QObject::connect(&m_thread, &QThread::started, m_context, &DeferredDelete::install);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
    }
    ~Worker()
    {
        m_thread.quit();
        m_thread.wait();
    }
    QThread *thread() { return &m_thread; }
    QObject *context() const { return m_context; }
    // Runs `handler` in the worker as a posted-event handler and returns once it returned.
    void run(const std::function<void()> &handler)
    {
        QMetaObject::invokeMethod(m_context, handler, Qt::BlockingQueuedConnection);
    }
    // One more turn of the loop, for what waits for it. (The UNIX dispatcher, the headless app's,
    // runs posted events after awake(): it only turns again once something wakes it, as this does.)
    void nextTurn()
    {
        run([] {});
    }

private:
    QThread m_thread;
    QObject *m_context = new QObject;
};

// Records, from the thread that deletes it, that an object went and how.
struct Watch
{
    std::atomic<int> destroyed{0};
    std::atomic<bool> destroyedInHandler{false};
    std::atomic<QThread *> destroyedIn{nullptr};

    // `inHandler`: set by the test's handlers while they run, in the worker thread.
    void watch(QObject *object, const std::atomic<bool> *inHandler)
    {
        QObject::connect(object, &QObject::destroyed, [this, inHandler] {
            destroyedInHandler = destroyedInHandler || inHandler->load();
            destroyedIn = QThread::currentThread();
            ++destroyed;
        });
    }
};

// A worker and what the test's handlers in it report to the test thread.
struct Probe
{
    Worker worker;
    std::atomic<bool> inHandler{false};  // while a test's handler runs
    std::atomic<bool> aliveAtEnd{false}; // deleteOneSoon()'s object outlived its handler
    std::atomic<bool> handled{false};    // deleteOneSoon() ran
    Watch watch;

    explicit Probe(bool installReaper)
        : worker(installReaper)
    {}

    // In the worker: a new object, watched, handed to deleteSoon(). The guard is taken first, so
    // that a deleteSoon() deleting at once shows as null rather than as a dangling pointer.
    QPointer<QObject> deleteSoonNew()
    {
        auto *object = new QObject;
        watch.watch(object, &inHandler);
        QPointer<QObject> guard(object);
        DeferredDelete::deleteSoon(object);
        return guard;
    }
    // A handler's body: one object handed to deleteSoon(), then `rest` while it is queued.
    void deleteOneSoon(const std::function<void(const QPointer<QObject> &)> &rest = {})
    {
        inHandler = true;
        const QPointer<QObject> guard = deleteSoonNew();
        if (rest)
            rest(guard);
        aliveAtEnd = !guard.isNull();
        inHandler = false;
        handled = true;
    }
};

// The watched object went once, after the handler that queued it, in the worker.
void verifyDeletedOnceAfterTheHandler(Probe &probe)
{
    QCOMPARE(probe.watch.destroyed.load(), 1);
    QVERIFY(!probe.watch.destroyedInHandler);
    QCOMPARE(probe.watch.destroyedIn.load(), probe.worker.thread());
}

int countAlive(const QList<QPointer<QObject>> &guards)
{
    int alive = 0;
    for (const QPointer<QObject> &guard : guards)
        alive += guard.isNull() ? 0 : 1;
    return alive;
}

// Runs a handler once in the worker, from one of the sources a loop serves: "event" (a posted
// event, before the constructor returns), "timer" (a real 1 ms timer: a 0 ms single shot is a
// posted event in Qt 6) or "socket" (a socket notifier, the gateway's case). Keeps what it set up
// until it goes.
class Trigger
{
public:
    Trigger(Worker &worker, const QString &source, std::function<void()> handler)
        : m_worker(worker)
        , m_handler(std::move(handler))
    {
        if (source == QLatin1String("event")) {
            worker.run(m_handler);
        } else if (source == QLatin1String("timer")) {
            worker.run([this] { QTimer::singleShot(1, m_worker.context(), m_handler); });
        } else {
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, m_fds) != 0)
                return;
            worker.run([this] {
                m_notifier =
                    new QSocketNotifier(m_fds[0], QSocketNotifier::Read, m_worker.context());
                QObject::connect(m_notifier, &QSocketNotifier::activated, m_worker.context(),
                                 [this] {
                                     char byte;
                                     if (::read(m_fds[0], &byte, 1) == 1)
                                         m_handler();
                                 });
            });
            if (::write(m_fds[1], "x", 1) != 1)
                return;
        }
        m_started = true;
    }
    ~Trigger()
    {
        if (m_notifier)
            m_worker.run([this] { delete m_notifier; });
        for (const int fd : m_fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    bool isStarted() const { return m_started; }

private:
    Worker &m_worker;
    const std::function<void()> m_handler;
    int m_fds[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr; // lives in the worker
    bool m_started = false;
};

} // namespace

class TestDeferredDelete : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void deletedAfterTheHandlerReturns();
    void deletedBeforeTheLoopSleeps_data();
    void deletedBeforeTheLoopSleeps();
    void deletedBeforeTheNextHandler_data();
    void deletedBeforeTheNextHandler();
    void notDeletedTwice_data();
    void notDeletedTwice();
    void manyObjectsInOneHandler();
    void flushDeletesWhatIsQueued();
    void withoutInstallItIsDeleteLater();
    void mainThreadIsDeleteLater();
    void runSoonRunsAfterTheHandler_data();
    void runSoonRunsAfterTheHandler();
    void runSoonWithoutInstallIsRefused();
};

void TestDeferredDelete::initTestCase()
{
    // The reaper runs on QAbstractEventDispatcher::awake, which the glib and the UNIX dispatchers
    // emit at different points of a loop iteration: ctest runs this file with each.
    Worker worker(false);
    QString dispatcher;
    worker.run([&] {
        dispatcher =
            QString::fromLatin1(QAbstractEventDispatcher::instance()->metaObject()->className());
    });
    qInfo("worker event dispatcher: %s", qPrintable(dispatcher));
}

void TestDeferredDelete::deletedAfterTheHandlerReturns()
{
    Probe probe(true);
    // Neither delivering posted events nor the rest of the handler deletes it.
    probe.worker.run(
        [&] { probe.deleteOneSoon([](const auto &) { QCoreApplication::sendPostedEvents(); }); });
    QVERIFY(probe.aliveAtEnd);
    probe.worker.nextTurn(); // deletes it
    verifyDeletedOnceAfterTheHandler(probe);
}

void TestDeferredDelete::deletedBeforeTheLoopSleeps_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("timer") << QStringLiteral("timer");
    QTest::newRow("socket notifier") << QStringLiteral("socket"); // the gateway's case
}

void TestDeferredDelete::deletedBeforeTheLoopSleeps()
{
    // Timers and socket notifiers are handled after the dispatcher's wait, so the loop turns
    // (and reaps) at once, with nothing else to wake it: a finished request's objects do not wait
    // for the next one.
    QFETCH(QString, source);
    Probe probe(true);
    const Trigger trigger(probe.worker, source, [&] { probe.deleteOneSoon(); });
    QVERIFY(trigger.isStarted());
    QTRY_VERIFY(probe.handled.load());
    QVERIFY(probe.aliveAtEnd);
    QTRY_COMPARE(probe.watch.destroyed.load(), 1); // nothing posted to the worker meanwhile
    verifyDeletedOnceAfterTheHandler(probe);
}

void TestDeferredDelete::deletedBeforeTheNextHandler_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("posted event") << QStringLiteral("event");
    QTest::newRow("timer") << QStringLiteral("timer");
    QTest::newRow("socket notifier") << QStringLiteral("socket"); // the gateway's case
}

void TestDeferredDelete::deletedBeforeTheNextHandler()
{
    QFETCH(QString, source);
    Probe probe(true);
    std::atomic<bool> goneInNextHandler{false};
    std::atomic<bool> nextHandled{false};
    // Deletes an object soon, then posts the next handler, which looks whether it is gone.
    const Trigger trigger(probe.worker, source, [&] {
        probe.deleteOneSoon([&](const QPointer<QObject> &guard) {
            const auto next = [&, guard] {
                goneInNextHandler = guard.isNull();
                nextHandled = true;
            };
            QMetaObject::invokeMethod(probe.worker.context(), next, Qt::QueuedConnection);
        });
    });
    QVERIFY(trigger.isStarted());

    QTRY_VERIFY(nextHandled.load());
    QVERIFY(probe.handled);
    QVERIFY(probe.aliveAtEnd);
    QVERIFY(goneInNextHandler);
    verifyDeletedOnceAfterTheHandler(probe);
}

void TestDeferredDelete::notDeletedTwice_data()
{
    QTest::addColumn<QString>("order");
    // The child is queued, then its parent is deleted by hand within the same handler.
    QTest::newRow("child queued, parent deleted") << QStringLiteral("child, delete parent");
    // Both queued: deleting the parent takes the child with it before the child's turn.
    QTest::newRow("parent queued first") << QStringLiteral("parent, child");
    QTest::newRow("child queued first") << QStringLiteral("child, parent");
    // Queued, then deleted by its owner after all.
    QTest::newRow("deleted by hand") << QStringLiteral("child, delete child");
    QTest::newRow("queued twice") << QStringLiteral("child, child");
}

void TestDeferredDelete::notDeletedTwice()
{
    QFETCH(QString, order);
    Probe probe(true);
    Watch &parentWatch = probe.watch;
    Watch childWatch;
    probe.worker.run([&] {
        probe.inHandler = true;
        auto *parent = new QObject;
        auto *child = new QObject(parent);
        parentWatch.watch(parent, &probe.inHandler);
        childWatch.watch(child, &probe.inHandler);
        for (const QString &step : order.split(QStringLiteral(", "))) {
            if (step == QLatin1String("parent"))
                DeferredDelete::deleteSoon(parent);
            else if (step == QLatin1String("child"))
                DeferredDelete::deleteSoon(child);
            else if (step == QLatin1String("delete parent"))
                delete parent;
            else if (step == QLatin1String("delete child"))
                delete child;
        }
        if (!order.contains(QLatin1String("parent")))
            DeferredDelete::deleteSoon(parent); // not to leak it
        probe.inHandler = false;
    });
    // A second delete of the child would crash here or count twice.
    probe.worker.nextTurn();
    QTRY_COMPARE(parentWatch.destroyed.load(), 1);
    QTRY_COMPARE(childWatch.destroyed.load(), 1);
    probe.worker.nextTurn();
    QCOMPARE(parentWatch.destroyed.load(), 1);
    QCOMPARE(childWatch.destroyed.load(), 1);
}

void TestDeferredDelete::manyObjectsInOneHandler()
{
    // More than the reaper queues (the rest go through deleteLater()): all go, after the handler.
    constexpr int Count = 5000;
    Probe probe(true);
    std::atomic<int> aliveAtEnd{0};
    probe.worker.run([&] {
        probe.inHandler = true;
        QList<QPointer<QObject>> guards;
        for (int i = 0; i < Count; ++i)
            guards.append(probe.deleteSoonNew());
        aliveAtEnd = countAlive(guards);
        probe.inHandler = false;
    });
    QCOMPARE(aliveAtEnd.load(), Count);
    probe.worker.nextTurn();
    QTRY_COMPARE(probe.watch.destroyed.load(), Count);
    QVERIFY(!probe.watch.destroyedInHandler);
}

void TestDeferredDelete::flushDeletesWhatIsQueued()
{
    Probe probe(true);
    std::atomic<int> aliveAfterFlush{-1};
    std::atomic<bool> laterAliveAfterFlush{false};
    Watch later;
    probe.worker.run([&] {
        probe.inHandler = true;
        DeferredDelete::flush(); // nothing queued: nothing happens
        DeferredDelete::deleteSoon(nullptr);
        QList<QPointer<QObject>> guards;
        for (int i = 0; i < 3; ++i)
            guards.append(probe.deleteSoonNew());
        // An object whose destruction queues another: that one waits for the next turn.
        auto *next = new QObject;
        later.watch(next, &probe.inHandler);
        const QPointer<QObject> nextGuard(next);
        QObject::connect(guards.first().data(), &QObject::destroyed,
                         [next] { DeferredDelete::deleteSoon(next); });

        DeferredDelete::flush();
        aliveAfterFlush = countAlive(guards);
        laterAliveAfterFlush = !nextGuard.isNull();
        probe.inHandler = false;
    });
    QCOMPARE(aliveAfterFlush.load(), 0);
    QCOMPARE(probe.watch.destroyed.load(), 3);
    QVERIFY(laterAliveAfterFlush);
    probe.worker.nextTurn();
    QTRY_COMPARE(later.destroyed.load(), 1);
    QVERIFY(!later.destroyedInHandler);
}

void TestDeferredDelete::withoutInstallItIsDeleteLater()
{
    Probe probe(false);
    std::atomic<bool> aliveAfterFlush{false};
    probe.worker.run([&] {
        probe.deleteOneSoon([&](const QPointer<QObject> &guard) {
            DeferredDelete::flush(); // nothing of this thread's is queued with the reaper
            aliveAfterFlush = !guard.isNull();
            QCoreApplication::sendPostedEvents(); // a deleteLater() waits for the loop, too
        });
    });
    QVERIFY(aliveAfterFlush);
    QVERIFY(probe.aliveAtEnd);
    // deleteLater() posts an event: the loop wakes for it, nothing else needs to happen.
    QTRY_COMPARE(probe.watch.destroyed.load(), 1);
    verifyDeletedOnceAfterTheHandler(probe);
}

void TestDeferredDelete::mainThreadIsDeleteLater()
{
    // No reaper here: the object waits for the deferred-delete event deleteLater() posts.
    auto *object = new QObject;
    const QPointer<QObject> guard(object);
    DeferredDelete::deleteSoon(object);
    DeferredDelete::flush();
    QVERIFY(!guard.isNull());
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(guard.isNull());
}

namespace {
std::atomic<int> g_runs{0};
std::atomic<bool> g_runInHandler{false};
std::atomic<bool> g_inHandler{false};
void countRun()
{
    g_runInHandler = g_runInHandler || g_inHandler;
    ++g_runs;
}
} // namespace

void TestDeferredDelete::runSoonRunsAfterTheHandler_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("posted event") << QStringLiteral("event");
    QTest::newRow("timer") << QStringLiteral("timer");
    QTest::newRow("socket notifier") << QStringLiteral("socket"); // the gateway's case
}

void TestDeferredDelete::runSoonRunsAfterTheHandler()
{
    // Once per call, after the handler that asked, without anything else waking the loop (the
    // stderr request lines must not wait for the next request).
    QFETCH(QString, source);
    g_runs = 0;
    g_runInHandler = false;
    Probe probe(true);
    std::atomic<bool> accepted{false};
    const Trigger trigger(probe.worker, source, [&] {
        g_inHandler = true;
        accepted = DeferredDelete::runSoon(countRun) && DeferredDelete::runSoon(countRun);
        g_inHandler = false;
        probe.handled = true;
    });
    QVERIFY(trigger.isStarted());
    QTRY_VERIFY(probe.handled.load());
    QVERIFY(accepted);
    QTRY_COMPARE(g_runs.load(), 2);
    QVERIFY(!g_runInHandler);
    probe.worker.nextTurn();
    QCOMPARE(g_runs.load(), 2);
}

void TestDeferredDelete::runSoonWithoutInstallIsRefused()
{
    g_runs = 0;
    Worker worker(false);
    bool accepted = true;
    worker.run([&] { accepted = DeferredDelete::runSoon(countRun); });
    QVERIFY(!accepted);
    QVERIFY(!DeferredDelete::runSoon(countRun)); // the test's own thread
    worker.nextTurn();
    QCOMPARE(g_runs.load(), 0);
}

QTEST_GUILESS_MAIN(TestDeferredDelete)
#include "tst_deferreddelete.moc"
