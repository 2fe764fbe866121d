// EpollDispatcher's timers, run as HttpServer runs it: the event dispatcher of a QThread,
// with real QTimers and timer events, and nested loops inside a timer's handler.
#include "EpollTestSupport.h"

using namespace portico;
using namespace portico::epolltest;
using namespace std::chrono_literals;

class TestEpollDispatcherTimers : public QObject
{
    Q_OBJECT

private slots:
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
};

QTEST_GUILESS_MAIN(TestEpollDispatcherTimers)
#include "tst_epolldispatchertimers.moc"
