// EpollDispatcher, run as HttpServer runs it: the event dispatcher of a QThread, with real
// socketpairs, files and posted events (its timers: tst_epolldispatchertimers; its loop signals:
// tst_epolldispatcherloop). Objects are created and used in the worker; its handlers report
// through atomics, and other state is read back with BlockingQueuedConnection. Each test declares
// what the worker's handlers write to before the worker, which outlives it.
#include "DirectSocketNotifier.h"
#include "EpollTestSupport.h"

#include <memory>

using namespace portico;
using namespace portico::epolltest;
using namespace std::chrono_literals;

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

    void directNotifierCalledWithoutSignal_data()
    {
        QTest::addColumn<bool>("epoll");
        QTest::newRow("EpollDispatcher") << true;
        QTest::newRow("Qt's dispatcher") << false;
    }
    void directNotifierCalledWithoutSignal()
    {
        // A DirectSocketNotifier's handler runs once per readiness under either dispatcher; under
        // EpollDispatcher it is called directly (the activated() signal is not emitted), under
        // Qt's through that signal. Disabled, it is not called; deleted by its own handler, the
        // loop goes on.
        QFETCH(bool, epoll);
        SocketPair sp;
        std::atomic<int> calls{0}, signals_{0};
        std::atomic<bool> deleteInHandler{false};
        std::unique_ptr<Worker> epollWorker;
        std::unique_ptr<QThread> qtThread;
        QObject *context = nullptr;
        if (epoll) {
            epollWorker = std::make_unique<Worker>();
            context = epollWorker->context();
        } else {
            qtThread = std::make_unique<QThread>();
            context = new QObject;
            context->moveToThread(qtThread.get());
            QObject::connect(qtThread.get(), &QThread::finished, context, &QObject::deleteLater);
            qtThread->start();
        }
        const auto run = [context](auto f) {
            QMetaObject::invokeMethod(context, f, Qt::BlockingQueuedConnection);
        };
        struct Context
        {
            SocketPair *sp;
            std::atomic<int> *calls;
            std::atomic<bool> *deleteInHandler;
            DirectSocketNotifier *notifier = nullptr;
        } ctx{&sp, &calls, &deleteInHandler};
        run([&] {
            ctx.notifier = new DirectSocketNotifier(
                sp.fd[0], QSocketNotifier::Read,
                [](void *c) {
                    auto *x = static_cast<Context *>(c);
                    x->sp->drain();
                    ++*x->calls;
                    if (x->deleteInHandler->load()) {
                        delete x->notifier;
                        x->notifier = nullptr;
                    }
                },
                &ctx, context);
            QObject::connect(ctx.notifier, &QSocketNotifier::activated, context,
                             [&signals_] { ++signals_; });
        });
        QVERIFY(sp.send());
        QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 1, 2000);
        QTest::qWait(30);
        QCOMPARE(calls.load(), 1);                // drained: level-triggered, no more
        QCOMPARE(signals_.load(), epoll ? 0 : 1); // the direct call under EpollDispatcher

        run([&] { ctx.notifier->setEnabled(false); });
        QVERIFY(sp.send());
        QTest::qWait(30);
        QCOMPARE(calls.load(), 1);
        deleteInHandler = true;
        run([&] { ctx.notifier->setEnabled(true); });
        QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 2, 2000);
        std::atomic<bool> alive{false};
        run([&] { alive = ctx.notifier == nullptr; }); // the loop still runs handlers
        QVERIFY(alive);
        if (qtThread) {
            qtThread->quit();
            qtThread->wait();
        }
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
