#pragma once

#include <QBasicTimer>

#include <limits>

namespace portico {

// One coarse single-shot timer for a deadline that keeps moving. Pushing the deadline later
// costs nothing: the timer fires at the earlier time and is re-armed for what is left, so a
// stream that reads a thousand times a second never restarts it. An earlier deadline restarts it.
class UpstreamDeadlineTimer
{
public:
    static constexpr qint64 None = std::numeric_limits<qint64>::max();
    static qint64 now(); // monotonic milliseconds

    int timerId() const { return m_timer.timerId(); }
    void arm(qint64 deadline, QObject *receiver);
    void stop() { m_timer.stop(); }
    // For one of its timer events: true when `deadline` has passed. Otherwise the timer is
    // re-armed for the time left (or stays stopped for None).
    bool expired(qint64 deadline, QObject *receiver);

private:
    QBasicTimer m_timer;
    qint64 m_due = 0; // when m_timer fires
};

} // namespace portico
