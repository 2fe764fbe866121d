#pragma once

#include "LogRecord.h"
#include "Redactor.h"

#include <QDate>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QWaitCondition>

#include <atomic>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace portico {

class SessionLogWriter;

// The persistent session log: append-only JSON Lines under a directory, one record per line,
// rotated by UTC day and size (see SessionLogFiles), old files removed after a retention period.
//
// The disk work runs on a thread this object owns. append() is thread-safe and never touches the
// disk: it queues the record and wakes the writer, which redacts, serialises and writes whole
// lines. The writer sleeps while the queue is empty (it wakes once a day, at UTC midnight, to
// apply the retention). Settings can be changed at any time from any thread.
//
// The object itself lives in the thread that created it (so it can be deleted there); signals
// from the writer thread reach receivers through queued connections.
class SessionLog : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultRetentionDays = 14;
    static constexpr qint64 DefaultMaxFileBytes = 64LL * 1024 * 1024;
    static constexpr int DefaultMaxQueuedRecords = 10'000; // a few seconds of backlog
    // The writer waits up to LingerMs after the first record of a batch for more (fewer
    // writes and wake-ups under load); LingerBatch records end the wait early.
    static constexpr int LingerMs = 5;
    static constexpr int LingerBatch = 256;
    // The most records the writer keeps room for between rounds (see run()).
    static constexpr qsizetype MaxKeptCapacity = 4096;

    // An empty `directory` means Config::dataDir() + "/logs".
    explicit SessionLog(const QString &directory = QString(), QObject *parent = nullptr);
    ~SessionLog() override; // writes what is queued, then stops the thread

    // Creates the directory, sets a torn last line aside (tornLineRecovered), applies the
    // retention and starts the writer. Records appended before open() wait in the queue.
    bool open(QString *error = nullptr);
    // Writes what is queued and stops the writer. The log can be opened again.
    void close();
    bool isOpen() const;
    QString directory() const { return m_dir; }

    // Thread-safe; never blocks on disk. When the queue holds maxQueuedRecords the record is
    // dropped and counted (droppedRecords) rather than growing without bound.
    void append(LogRecord record);
    // Blocks until every record appended before the call is written (or dropped). For shutdown
    // and tests. False on timeout.
    bool waitForWritten(int timeoutMs = 30'000);

    void setRetentionDays(int days); // <= 0: keep forever; applied at once
    int retentionDays() const { return m_retentionDays.load(); }
    void setMaxFileBytes(qint64 bytes);
    qint64 maxFileBytes() const { return m_maxFileBytes.load(); }
    void setKeepContent(bool keep); // false: requestMessages and response are not written
    bool keepContent() const { return m_keepContent.load(); }
    void setMaxQueuedRecords(int records);
    // The secrets to redact (gateway tokens, password, provider keys) on top of the generic
    // patterns. Applies to records written from now on.
    void setRedactor(const Redactor &redactor);
    Redactor redactor() const;

    // The torn bytes set aside by the last open(): 0 if the last line was whole.
    qint64 recoveredTornLine() const;
    QString tornLinePath() const;
    quint64 writtenRecords() const { return m_written.load(); }
    quint64 droppedRecords() const { return m_dropped.load(); }

signals:
    void tornLineRecovered(const QString &partPath, qint64 bytes);
    // Emitted from the writer thread when writing starts failing (once until it works again).
    void writeFailed(const QString &message);

private:
    void run();
    // Writes a batch; true if it moved on to a new day.
    bool writeBatch(SessionLogWriter &writer, QList<LogRecord> &batch, const Redactor &redactor);
    void writeLines(SessionLogWriter &writer, QDate day, QList<QByteArray> &lines);
    QDate dayFor(qint64 timeMs, qint64 nowMs) const;

    const QString m_dir;
    QThread *m_thread = nullptr;

    mutable QMutex m_mutex; // guards the members below, up to the writer thread's own
    QWaitCondition m_wake;
    QWaitCondition m_writtenCond;
    QList<LogRecord> m_queue;
    Redactor m_redactor;
    quint64 m_accepted = 0; // records queued so far
    quint64 m_done = 0;     // of those, written or failed
    bool m_stop = false;
    bool m_idle = false;      // the writer sleeps until a record arrives
    bool m_lingering = false; // the writer waits a moment for more records before writing
    bool m_retentionDue = false;
    qint64 m_tornBytes = 0;
    QString m_tornPath;

    // The writer thread's own (and open()'s, before the thread starts).
    QDate m_lastDay;
    bool m_failing = false;

    std::atomic<int> m_retentionDays{DefaultRetentionDays};
    std::atomic<qint64> m_maxFileBytes{DefaultMaxFileBytes};
    std::atomic<bool> m_keepContent{true};
    std::atomic<int> m_maxQueued{DefaultMaxQueuedRecords};
    std::atomic<quint64> m_written{0};
    std::atomic<quint64> m_dropped{0};
};

} // namespace portico
