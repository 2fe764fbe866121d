#include "CliProcessReaper.h"

#include <QMutex>
#include <QProcess>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstdlib>

#include <sys/types.h>

namespace portico {

namespace {

constexpr int kPollMs = 50;

struct Registry
{
    QMutex mutex;
    QSet<qint64> groups;
};

Registry &registry()
{
    static Registry *r = [] {
        auto *created = new Registry; // never destroyed: used by the atexit handler
        std::atexit([] { CliProcessReaper::killAll(); });
        return created;
    }();
    return *r;
}

void signalGroup(qint64 group, int signal)
{
    if (group <= 0)
        return;
    ::kill(-pid_t(group), signal);
    ::kill(pid_t(group), signal); // in case it had not called setsid() yet
}

bool groupExists(qint64 group)
{
    if (group <= 0)
        return false;
    return ::kill(-pid_t(group), 0) == 0 || errno == EPERM;
}

void untrack(qint64 group)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    r.groups.remove(group);
}

} // namespace

void CliProcessReaper::track(qint64 group)
{
    if (group <= 0)
        return;
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    r.groups.insert(group);
}

void CliProcessReaper::killAll()
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    for (const qint64 group : std::as_const(r.groups))
        signalGroup(group, SIGKILL);
}

void CliProcessReaper::reap(QProcess *process, qint64 group, int graceMs)
{
    auto *reaper = new CliProcessReaper(process, group);
    if (!process && group <= 0) {
        reaper->done();
        return;
    }
    signalGroup(group, SIGTERM);
    QTimer::singleShot(graceMs, reaper, [reaper] {
        reaper->killNow();
        reaper->check();
    });
    reaper->m_poll->start(kPollMs);
    reaper->check();
}

CliProcessReaper::CliProcessReaper(QProcess *process, qint64 group)
    : m_process(process)
    , m_group(group)
    , m_poll(new QTimer(this))
{
    connect(m_poll, &QTimer::timeout, this, &CliProcessReaper::check);
    if (m_process) {
        m_process->disconnect();
        m_process->setParent(this);
        m_exited = m_process->state() == QProcess::NotRunning;
        connect(m_process, &QProcess::finished, this, [this] {
            m_exited = true;
            check();
        });
        // Qt's own signal after a failed start; the process never ran.
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart) {
                m_exited = true;
                check();
            }
        });
    } else {
        m_exited = true;
    }
    if (QThread *thread = QThread::currentThread()) {
        connect(
            thread, &QThread::finished, this,
            [this] {
                killNow();
                done();
            },
            Qt::DirectConnection);
    }
}

void CliProcessReaper::killNow()
{
    if (m_done)
        return;
    signalGroup(m_group, SIGKILL);
    m_killed = true;
}

void CliProcessReaper::check()
{
    if (m_done || !m_exited)
        return;
    // Members that only linger as zombies count as alive until something reaps them, so once
    // SIGKILL went out there is nothing left to wait for.
    if (m_killed || !groupExists(m_group))
        done();
}

void CliProcessReaper::done()
{
    if (m_done)
        return;
    m_done = true;
    m_poll->stop();
    untrack(m_group);
    deleteLater();
}

} // namespace portico
