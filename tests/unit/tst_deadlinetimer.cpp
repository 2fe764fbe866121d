// DeadlineTimer: the lazy single-shot timer of the HTTP connections and the upstream pool. What
// matters is when the receiver is woken: a deadline pushed later must not restart the timer, a
// deadline settled within the slack must not wake the thread early, and an expiry must not be
// missed. Observed through the receiver's real timer events in a running event loop.
#include "DeadlineTimer.h"

#include <QObject>
#include <QTest>
#include <QTimerEvent>

#include <functional>

using namespace portico;

namespace {

// Counts its timer events and asks the timer, as HttpConnection::timerEvent does, whether the
// deadline it holds passed.
class Receiver : public QObject
{
public:
    DeadlineTimer timer;
    qint64 deadline = DeadlineTimer::None;
    qint64 slack = 0;
    int wakeUps = 0;
    int expiries = 0;
    qint64 firstWakeAt = 0;
    qint64 expiredAt = 0;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        if (event->timerId() != timer.timerId())
            return;
        if (++wakeUps == 1)
            firstWakeAt = DeadlineTimer::now();
        if (timer.expired(deadline == DeadlineTimer::None ? deadline : deadline - slack, this)) {
            ++expiries;
            expiredAt = DeadlineTimer::now();
        }
    }
};

} // namespace

class TestDeadlineTimer : public QObject
{
    Q_OBJECT

private slots:
    void laterDeadlineIsNotARestart();
    void settleKeepsATimerDueWithinTheSlack();
    void settleRestartsATimerDueEarlier();
    void earlierDeadlineRestarts();
    void slackIsBounded();
};

void TestDeadlineTimer::laterDeadlineIsNotARestart()
{
    // Pushed later while armed: it fires at the first time, finds time left, re-arms, and
    // expires once at the last deadline.
    Receiver r;
    const qint64 start = DeadlineTimer::now();
    r.deadline = start + 60;
    r.timer.arm(r.deadline, &r);
    r.deadline = start + 160;
    r.timer.arm(r.deadline, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.expiries, 1, 5000);
    // Woken first at the first time (a restart would first wake near the last one).
    QVERIFY2(r.firstWakeAt < start + 130, QByteArray::number(r.firstWakeAt - start).constData());
    QVERIFY(r.wakeUps >= 2);
    QVERIFY2(r.expiredAt >= start + 160, QByteArray::number(r.expiredAt - start).constData());
}

void TestDeadlineTimer::settleKeepsATimerDueWithinTheSlack()
{
    // A kept-alive connection's timer, settled again for each request: due within the slack of
    // the new deadline, it is kept (no restart), and the expiry wakes the receiver once.
    Receiver r;
    const qint64 timeout = 640; // slack 10 ms
    QCOMPARE(DeadlineTimer::slack(timeout), 10);
    r.slack = DeadlineTimer::slack(timeout);
    const qint64 start = DeadlineTimer::now();
    r.deadline = start + timeout;
    r.timer.settle(r.deadline, timeout, &r);
    r.deadline += 5; // the next request, 5 ms later
    r.timer.settle(r.deadline, timeout, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.expiries, 1, 5000);
    QVERIFY(r.expiredAt >= r.deadline - r.slack);
}

void TestDeadlineTimer::settleRestartsATimerDueEarlier()
{
    // Due earlier than the slack allows (a connect deadline still set as the connection goes to
    // the pool): restarted, so the idle process wakes once, at the pool's deadline.
    Receiver r;
    const qint64 start = DeadlineTimer::now();
    r.deadline = start + 30;
    r.timer.arm(r.deadline, &r);
    const qint64 timeout = 200;
    r.slack = DeadlineTimer::slack(timeout);
    r.deadline = start + timeout;
    r.timer.settle(r.deadline, timeout, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.expiries, 1, 5000);
    // Not woken at the old time (a coarse timer may fire up to 5% early and re-arm: the first
    // wake-up is what shows the restart).
    QVERIFY2(r.firstWakeAt >= start + 150, QByteArray::number(r.firstWakeAt - start).constData());
    QVERIFY2(r.expiredAt >= r.deadline - r.slack,
             QByteArray::number(r.expiredAt - start).constData());
}

void TestDeadlineTimer::earlierDeadlineRestarts()
{
    // A header timeout shorter than the keep-alive one: it fires at its own time.
    Receiver r;
    const qint64 start = DeadlineTimer::now();
    r.timer.settle(start + 120'000, 120'000, &r);
    r.deadline = start + 50;
    r.timer.settle(r.deadline, 50, &r);
    QTRY_COMPARE_WITH_TIMEOUT(r.expiries, 1, 2000);
    QVERIFY(DeadlineTimer::now() - start < 1000);
}

void TestDeadlineTimer::slackIsBounded()
{
    QCOMPARE(DeadlineTimer::slack(0), 0);
    QCOMPARE(DeadlineTimer::slack(63), 0);
    QCOMPARE(DeadlineTimer::slack(30'000), 468);
    QCOMPARE(DeadlineTimer::slack(120'000), 1000);
}

QTEST_GUILESS_MAIN(TestDeadlineTimer)
#include "tst_deadlinetimer.moc"
