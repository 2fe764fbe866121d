#include "DeadlineTimer.h"

#include <chrono>

namespace portico {

qint64 DeadlineTimer::now()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void DeadlineTimer::arm(qint64 deadline, QObject *receiver)
{
    if (deadline == None)
        return; // an armed timer finds no deadline when it fires, and stops
    if (m_timer.isActive() && m_due <= deadline)
        return; // it fires first and re-arms for the time left
    const qint64 current = now();
    const qint64 wait =
        qBound(qint64(0), deadline - current, qint64(std::numeric_limits<int>::max()));
    m_timer.start(int(wait), Qt::CoarseTimer, receiver);
    m_due = current + wait;
}

void DeadlineTimer::settle(qint64 deadline, qint64 timeoutMs, QObject *receiver)
{
    if (m_timer.isActive() && m_due <= deadline && m_due >= deadline - slack(timeoutMs))
        return;
    m_timer.stop();
    arm(deadline, receiver);
}

bool DeadlineTimer::expired(qint64 deadline, QObject *receiver)
{
    m_timer.stop();
    if (deadline == None)
        return false;
    if (deadline > now()) {
        arm(deadline, receiver);
        return false;
    }
    return true;
}

} // namespace portico
