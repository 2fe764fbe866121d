// EpollDispatcher's loop signals, awake() and aboutToBlock(): emitted while something is
// connected to them, and the pass hook HttpServer's workers use instead (DeferredDelete).
#include "DeferredDelete.h"
#include "EpollTestSupport.h"

#include <QPointer>

using namespace portico;
using namespace portico::epolltest;

class TestEpollDispatcherLoop : public QObject
{
    Q_OBJECT

private slots:
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

        // DeferredDelete, which HttpServer's workers install, deletes at these two points (through
        // the pass hook here, not the signals).
        QPointer<QObject> doomed = w.run([] {
            DeferredDelete::install();
            auto *object = new QObject;
            QPointer<QObject> guard(object); // taken here: it goes as soon as this handler returned
            DeferredDelete::deleteSoon(object);
            return guard;
        });
        QTRY_VERIFY_WITH_TIMEOUT(doomed.isNull(), 1000);
    }

    void loopSignalsOnlyWhileConnected()
    {
        // The loop emits awake() and aboutToBlock() only while something is connected to one of
        // them, whichever way the connections go.
        std::atomic<int> late{0}, blocks{0};
        Worker w;
        // Without the Worker's own counter of passes.
        QVERIFY(QObject::disconnect(w.dispatcher(), &QAbstractEventDispatcher::awake,
                                    w.dispatcher(), nullptr));
        QObject *listener = w.run([&] {
            auto *d = QAbstractEventDispatcher::instance();
            auto *receiver = new QObject;
            QObject::connect(
                d, &QAbstractEventDispatcher::awake, receiver, [&] { ++late; },
                Qt::DirectConnection);
            QObject::connect(
                d, &QAbstractEventDispatcher::aboutToBlock, receiver, [&] { ++blocks; },
                Qt::DirectConnection);
            return receiver;
        });
        QTRY_VERIFY_WITH_TIMEOUT(blocks >= 1, 1000);
        int before = late;
        w.dispatcher()->wakeUp();
        QTRY_VERIFY_WITH_TIMEOUT(late > before, 1000);

        // Disconnected by name: awake() still has a receiver, aboutToBlock() none.
        w.run([&] {
            QObject::disconnect(QAbstractEventDispatcher::instance(),
                                &QAbstractEventDispatcher::aboutToBlock, listener, nullptr);
        });
        const int blocksThen = blocks;
        before = late;
        w.dispatcher()->wakeUp();
        QTRY_VERIFY_WITH_TIMEOUT(late > before, 1000);
        QCOMPARE(blocks.load(), blocksThen);

        // The receiver destroyed (its connections go all at once): nothing is emitted, and the
        // loop still runs calls.
        w.run([&] { delete listener; });
        before = late;
        for (int i = 0; i < 3; ++i) {
            w.dispatcher()->wakeUp();
            QCOMPARE(w.run([] { return 1; }), 1);
        }
        QCOMPARE(late.load(), before);
        QCOMPARE(blocks.load(), blocksThen);

        // Connected again: emitted again.
        w.run([&] {
            QObject::connect(
                QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock,
                QAbstractEventDispatcher::instance(), [&] { ++blocks; }, Qt::DirectConnection);
        });
        w.dispatcher()->wakeUp();
        QTRY_VERIFY_WITH_TIMEOUT(blocks > blocksThen, 1000);
    }

    void plainObjectsDeletedSoon_data()
    {
        QTest::addColumn<bool>("install");
        QTest::newRow("reaper (the workers)") << true;
        QTest::newRow("no reaper: next turn") << false;
    }

    void plainObjectsDeletedSoon()
    {
        // An object that is no QObject (HttpResponder), handed to deleteSoon(): deleted once,
        // in its thread, after the handler that handed it over; with the reaper before the loop
        // sleeps, without it on the loop's next turn.
        QFETCH(bool, install);
        struct Plain
        {
            std::atomic<int> *deletions;
            std::atomic<bool> *inHandler;
            std::atomic<bool> *inHandlerAtDelete;
            std::atomic<QThread *> *deletedIn;
            ~Plain()
            {
                *inHandlerAtDelete = inHandlerAtDelete->load() || inHandler->load();
                *deletedIn = QThread::currentThread();
                ++*deletions;
            }
        };
        std::atomic<int> deletions{0};
        std::atomic<bool> inHandler{false}, inHandlerAtDelete{false};
        std::atomic<QThread *> deletedIn{nullptr};
        Worker w;
        const int atHandlerEnd = w.run([&] {
            inHandler = true;
            if (install)
                DeferredDelete::install();
            for (int i = 0; i < 3; ++i)
                DeferredDelete::deleteSoon(
                    new Plain{&deletions, &inHandler, &inHandlerAtDelete, &deletedIn});
            QCoreApplication::sendPostedEvents(); // a posted deletion would run here
            inHandler = false;
            return deletions.load();
        });
        QCOMPARE(atHandlerEnd, 0);
        if (!install)
            w.dispatcher()->wakeUp();
        QTRY_COMPARE_WITH_TIMEOUT(deletions.load(), 3, 1000);
        QVERIFY(!inHandlerAtDelete);
        QCOMPARE(deletedIn.load(), &w.thread());
        w.run([] {}); // another turn: nothing deleted twice
        QCOMPARE(deletions.load(), 3);
    }
};

QTEST_GUILESS_MAIN(TestEpollDispatcherLoop)
#include "tst_epolldispatcherloop.moc"
