#pragma once

#include <QBasicTimer>

#include <limits>

namespace portico {

// One coarse single-shot timer for a deadline that keeps moving. Pushing the deadline later
// costs nothing: the timer fires at the earlier time and is re-armed for what is left, so a
// stream that reads a thousand times a second never restarts it. An earlier deadline restarts it.
// Starting and stopping a timer costs more than the rest of a kept-alive request's bookkeeping
// (the dispatcher's timer list, a timer id): the HTTP connections and the upstream pool use this.
class DeadlineTimer
{
public:
    static constexpr qint64 None = std::numeric_limits<qint64>::max();
    static qint64 now(); // monotonic milliseconds

    int timerId() const { return m_timer.timerId(); }
    void arm(qint64 deadline, QObject *receiver);
    void stop() { m_timer.stop(); }
    // For a deadline that may come up to slack(timeout) early (an idle connection closed a little
    // before its time): an armed timer due within that window is kept, anything else is
    // restarted for `deadline`, so that an idle process wakes once, not once early and again to
    // re-arm. expired(deadline - slack(timeout), ...) is its test.
    void settle(qint64 deadline, qint64 timeoutMs, QObject *receiver);
    // 1/64 of the timeout, at most a second.
    static qint64 slack(qint64 timeoutMs) { return qMin<qint64>(timeoutMs / 64, 1000); }
    // For one of its timer events: true when `deadline` has passed. Otherwise the timer is
    // re-armed for the time left (or stays stopped for None).
    bool expired(qint64 deadline, QObject *receiver);

private:
    QBasicTimer m_timer;
    qint64 m_due = 0; // when m_timer fires
};

} // namespace portico
