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
    Worker worker(true);
    std::atomic<bool> inHandler{false};
    std::atomic<bool> aliveAtEnd{false};
    Watch watch;
    worker.run([&] {
        inHandler = true;
        auto *object = new QObject;
        watch.watch(object, &inHandler);
        const QPointer<QObject> guard(object);
        DeferredDelete::deleteSoon(object);
        // Neither delivering posted events nor the rest of the handler deletes it.
        QCoreApplication::sendPostedEvents();
        aliveAtEnd = !guard.isNull();
        inHandler = false;
    });
    QVERIFY(aliveAtEnd);
    // The next turn of the loop deletes it. (The UNIX dispatcher, the headless app's, runs posted
    // events after awake(): it only turns again once something wakes it, here the next call.)
    worker.run([] {});
    QCOMPARE(watch.destroyed.load(), 1);
    QVERIFY(!watch.destroyedInHandler);
    QCOMPARE(watch.destroyedIn.load(), worker.thread());
}

void TestDeferredDelete::deletedBeforeTheLoopSleeps_data()
{
    QTest::addColumn<QString>("source");
    // A real timer (1 ms): a 0 ms single shot is a posted event in Qt 6.
    QTest::newRow("timer") << QStringLiteral("timer");
    QTest::newRow("socket notifier") << QStringLiteral("socket"); // the gateway's case
}

void TestDeferredDelete::deletedBeforeTheLoopSleeps()
{
    // Timers and socket notifiers are handled after the dispatcher's wait, so the loop turns
    // (and reaps) at once, with nothing else to wake it: a finished request's objects do not wait
    // for the next one.
    QFETCH(QString, source);
    Worker worker(true);
    std::atomic<bool> inHandler{false};
    std::atomic<bool> aliveAtEnd{false};
    std::atomic<bool> handled{false};
    Watch watch;
    const auto handler = [&] {
        inHandler = true;
        auto *object = new QObject;
        watch.watch(object, &inHandler);
        const QPointer<QObject> guard(object);
        DeferredDelete::deleteSoon(object);
        aliveAtEnd = !guard.isNull();
        inHandler = false;
        handled = true;
    };

    int fds[2] = {-1, -1};
    QSocketNotifier *notifier = nullptr;
    if (source == QLatin1String("timer")) {
        worker.run([&] { QTimer::singleShot(1, worker.context(), handler); });
    } else {
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
        worker.run([&] {
            notifier = new QSocketNotifier(fds[0], QSocketNotifier::Read, worker.context());
            QObject::connect(notifier, &QSocketNotifier::activated, worker.context(), [&] {
                char byte;
                if (::read(fds[0], &byte, 1) == 1)
                    handler();
            });
        });
        QCOMPARE(::write(fds[1], "x", 1), ssize_t(1));
    }
    QTRY_VERIFY(handled.load());
    QVERIFY(aliveAtEnd);
    QTRY_COMPARE(watch.destroyed.load(), 1); // nothing posted to the worker meanwhile
    QVERIFY(!watch.destroyedInHandler);

    if (notifier)
        worker.run([&] { delete notifier; });
    for (const int fd : fds) {
        if (fd >= 0)
            ::close(fd);
    }
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
    Worker worker(true);
    std::atomic<bool> inHandler{false};
    std::atomic<bool> aliveAtEnd{false};
    std::atomic<bool> handled{false};
    std::atomic<bool> goneInNextHandler{false};
    std::atomic<bool> nextHandled{false};
    Watch watch;
    QPointer<QObject> guard; // touched in the worker only

    // Deletes an object soon, then posts the next handler, which looks whether it is gone.
    const auto handler = [&] {
        inHandler = true;
        auto *object = new QObject;
        watch.watch(object, &inHandler);
        guard = object;
        DeferredDelete::deleteSoon(object);
        QMetaObject::invokeMethod(
            worker.context(),
            [&] {
                goneInNextHandler = guard.isNull();
                nextHandled = true;
            },
            Qt::QueuedConnection);
        aliveAtEnd = !guard.isNull();
        inHandler = false;
        handled = true;
    };

    int fds[2] = {-1, -1};
    QSocketNotifier *notifier = nullptr;
    if (source == QLatin1String("event")) {
        worker.run(handler);
    } else if (source == QLatin1String("timer")) {
        worker.run([&] { QTimer::singleShot(1, worker.context(), handler); });
    } else {
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
        worker.run([&] {
            notifier = new QSocketNotifier(fds[0], QSocketNotifier::Read, worker.context());
            QObject::connect(notifier, &QSocketNotifier::activated, worker.context(), [&] {
                char byte;
                if (::read(fds[0], &byte, 1) == 1)
                    handler();
            });
        });
        QCOMPARE(::write(fds[1], "x", 1), ssize_t(1));
    }

    QTRY_VERIFY(nextHandled.load());
    QVERIFY(handled);
    QVERIFY(aliveAtEnd);
    QVERIFY(goneInNextHandler);
    QCOMPARE(watch.destroyed.load(), 1);
    QVERIFY(!watch.destroyedInHandler);
    QCOMPARE(watch.destroyedIn.load(), worker.thread());

    if (notifier)
        worker.run([&] { delete notifier; });
    for (const int fd : fds) {
        if (fd >= 0)
            ::close(fd);
    }
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
    Worker worker(true);
    std::atomic<bool> inHandler{false};
    Watch parentWatch;
    Watch childWatch;
    worker.run([&] {
        inHandler = true;
        auto *parent = new QObject;
        auto *child = new QObject(parent);
        parentWatch.watch(parent, &inHandler);
        childWatch.watch(child, &inHandler);
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
        inHandler = false;
    });
    // A second delete of the child would crash here or count twice.
    worker.run([] {}); // the next turn of the loop
    QTRY_COMPARE(parentWatch.destroyed.load(), 1);
    QTRY_COMPARE(childWatch.destroyed.load(), 1);
    worker.run([] {});
    QCOMPARE(parentWatch.destroyed.load(), 1);
    QCOMPARE(childWatch.destroyed.load(), 1);
}

void TestDeferredDelete::manyObjectsInOneHandler()
{
    // More than the reaper queues (the rest go through deleteLater()): all go, after the handler.
    constexpr int Count = 5000;
    Worker worker(true);
    std::atomic<bool> inHandler{false};
    std::atomic<int> aliveAtEnd{0};
    Watch watch;
    worker.run([&] {
        inHandler = true;
        QList<QPointer<QObject>> guards;
        for (int i = 0; i < Count; ++i) {
            auto *object = new QObject;
            watch.watch(object, &inHandler);
            guards.append(object);
            DeferredDelete::deleteSoon(object);
        }
        for (const QPointer<QObject> &guard : guards)
            aliveAtEnd += guard.isNull() ? 0 : 1;
        inHandler = false;
    });
    QCOMPARE(aliveAtEnd.load(), Count);
    worker.run([] {}); // the next turn of the loop
    QTRY_COMPARE(watch.destroyed.load(), Count);
    QVERIFY(!watch.destroyedInHandler);
}

void TestDeferredDelete::flushDeletesWhatIsQueued()
{
    Worker worker(true);
    std::atomic<bool> inHandler{false};
    std::atomic<int> aliveAfterFlush{-1};
    std::atomic<bool> laterAliveAfterFlush{false};
    Watch watch;
    Watch later;
    worker.run([&] {
        inHandler = true;
        DeferredDelete::flush(); // nothing queued: nothing happens
        DeferredDelete::deleteSoon(nullptr);
        QList<QPointer<QObject>> guards;
        for (int i = 0; i < 3; ++i) {
            auto *object = new QObject;
            watch.watch(object, &inHandler);
            guards.append(object);
            DeferredDelete::deleteSoon(object);
        }
        // An object whose destruction queues another: that one waits for the next turn.
        auto *next = new QObject;
        later.watch(next, &inHandler);
        const QPointer<QObject> nextGuard(next);
        QObject::connect(guards.first().data(), &QObject::destroyed,
                         [next] { DeferredDelete::deleteSoon(next); });

        DeferredDelete::flush();
        int alive = 0;
        for (const QPointer<QObject> &guard : guards)
            alive += guard.isNull() ? 0 : 1;
        aliveAfterFlush = alive;
        laterAliveAfterFlush = !nextGuard.isNull();
        inHandler = false;
    });
    QCOMPARE(aliveAfterFlush.load(), 0);
    QCOMPARE(watch.destroyed.load(), 3);
    QVERIFY(laterAliveAfterFlush);
    worker.run([] {}); // the next turn of the loop
    QTRY_COMPARE(later.destroyed.load(), 1);
    QVERIFY(!later.destroyedInHandler);
}

void TestDeferredDelete::withoutInstallItIsDeleteLater()
{
    Worker worker(false);
    std::atomic<bool> inHandler{false};
    std::atomic<bool> aliveAtEnd{false};
    std::atomic<bool> aliveAfterFlush{false};
    Watch watch;
    worker.run([&] {
        inHandler = true;
        auto *object = new QObject;
        watch.watch(object, &inHandler);
        const QPointer<QObject> guard(object);
        DeferredDelete::deleteSoon(object);
        DeferredDelete::flush(); // nothing of this thread's is queued with the reaper
        aliveAfterFlush = !guard.isNull();
        QCoreApplication::sendPostedEvents(); // a deleteLater() waits for the loop, too
        aliveAtEnd = !guard.isNull();
        inHandler = false;
    });
    QVERIFY(aliveAfterFlush);
    QVERIFY(aliveAtEnd);
    // deleteLater() posts an event: the loop wakes for it, nothing else needs to happen.
    QTRY_COMPARE(watch.destroyed.load(), 1);
    QVERIFY(!watch.destroyedInHandler);
    QCOMPARE(watch.destroyedIn.load(), worker.thread());
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

QTEST_GUILESS_MAIN(TestDeferredDelete)
#include "tst_deferreddelete.moc"
