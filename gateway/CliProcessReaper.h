#pragma once

#include <QObject>

class QProcess;
class QTimer;

namespace portico {

// Ends what is left of a CLI call: the child runs as the leader of its own process group
// (setsid in CliCall), so one signal reaches it and everything it spawned. reap() sends SIGTERM
// to the group at once and SIGKILL 2 s later if anything is still there, then deletes the
// QProcess (never blocking on it) and itself. If the thread it lives in finishes first, the
// group is killed at once.
//
// Every group a call starts is tracked until it is gone; killAll() (also run at exit) sends
// SIGKILL to all of them, so Portico quitting leaves no agent behind.
class CliProcessReaper : public QObject
{
    Q_OBJECT
public:
    static constexpr int kGraceMs = 2000;

    // Takes ownership of `process` (its signals to others are disconnected). `group` is the
    // process group id (the child's pid), 0 if it never started.
    static void reap(QProcess *process, qint64 group, int graceMs = kGraceMs);

    static void track(qint64 group);
    static void killAll();

private:
    CliProcessReaper(QProcess *process, qint64 group);
    void check();
    void killNow();
    void done();

    QProcess *m_process;
    qint64 m_group;
    QTimer *m_poll;
    bool m_exited = false;
    bool m_killed = false;
    bool m_done = false;
};

} // namespace portico
