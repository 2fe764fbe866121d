#include "SessionLog.h"

#include "Config.h"
#include "SessionLogFiles.h"
#include "SessionLogWriter.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QThread>

namespace portico {

Q_LOGGING_CATEGORY(lcSessionLog, "portico.gateway.log")

SessionLog::SessionLog(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_dir(directory.isEmpty() ? Config::dataDir() + QStringLiteral("/logs") : directory)
{}

SessionLog::~SessionLog()
{
    close();
}

bool SessionLog::isOpen() const
{
    const QMutexLocker lock(&m_mutex);
    return m_thread != nullptr;
}

bool SessionLog::open(QString *error)
{
    if (isOpen())
        return true;
    if (!QDir().mkpath(m_dir)) {
        if (error)
            *error = tr("cannot create the log directory %1").arg(m_dir);
        return false;
    }
    // The log holds conversations: keep it to the user.
    QFile::setPermissions(m_dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    SessionLogFiles::TornLine torn;
    const QList<SessionLogFiles::Entry> files = SessionLogFiles::list(m_dir);
    if (!files.isEmpty()) {
        torn = SessionLogFiles::recoverTornLine(files.last().path, m_dir, now);
        m_lastDay = files.last().day;
    }
    SessionLogFiles::removeExpired(m_dir, m_retentionDays.load(), now);

    {
        const QMutexLocker lock(&m_mutex);
        m_tornBytes = torn.bytes;
        m_tornPath = torn.partPath;
        m_stop = false;
        m_retentionDue = false;
        m_failing = false;
        m_thread = QThread::create([this] { run(); });
        m_thread->setObjectName(QStringLiteral("portico-session-log"));
        m_thread->start();
    }
    if (torn.bytes > 0) {
        qCWarning(lcSessionLog) << "set aside a torn last line of" << torn.bytes << "bytes in"
                                << torn.partPath << torn.error;
        emit tornLineRecovered(torn.partPath, torn.bytes);
    }
    return true;
}

void SessionLog::close()
{
    QThread *thread = nullptr;
    {
        const QMutexLocker lock(&m_mutex);
        thread = m_thread;
        if (!thread)
            return;
        m_stop = true;
        m_wake.wakeOne();
    }
    thread->wait();
    delete thread;
    const QMutexLocker lock(&m_mutex);
    m_thread = nullptr;
    m_stop = false;
    m_writtenCond.wakeAll();
}

void SessionLog::append(LogRecord record)
{
    if (!m_keepContent.load(std::memory_order_relaxed))
        record.dropContent();
    const QMutexLocker lock(&m_mutex);
    if (m_queue.size() >= m_maxQueued.load(std::memory_order_relaxed)) {
        if (m_dropped.fetch_add(1) % 1000 == 0)
            qCWarning(lcSessionLog) << "the session log is behind; dropping records";
        return;
    }
    m_queue.append(std::move(record));
    ++m_accepted;
    if (m_idle || (m_lingering && m_queue.size() == LingerBatch)) {
        m_idle = false;
        m_wake.wakeOne();
    }
}

bool SessionLog::waitForWritten(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    const QMutexLocker lock(&m_mutex);
    const quint64 target = m_accepted;
    while (m_done < target) {
        if (!m_thread || !m_writtenCond.wait(&m_mutex, deadline))
            return m_done >= target;
    }
    return true;
}

void SessionLog::setRetentionDays(int days)
{
    m_retentionDays.store(days);
    const QMutexLocker lock(&m_mutex);
    m_retentionDue = true;
    if (m_idle) {
        m_idle = false;
        m_wake.wakeOne();
    }
}

void SessionLog::setMaxFileBytes(qint64 bytes)
{
    m_maxFileBytes.store(std::max<qint64>(bytes, 1));
}

void SessionLog::setKeepContent(bool keep)
{
    m_keepContent.store(keep);
}

void SessionLog::setMaxQueuedRecords(int records)
{
    m_maxQueued.store(std::max(records, 1));
}

void SessionLog::setRedactor(const Redactor &redactor)
{
    const QMutexLocker lock(&m_mutex);
    m_redactor = redactor;
}

Redactor SessionLog::redactor() const
{
    const QMutexLocker lock(&m_mutex);
    return m_redactor;
}

qint64 SessionLog::recoveredTornLine() const
{
    const QMutexLocker lock(&m_mutex);
    return m_tornBytes;
}

QString SessionLog::tornLinePath() const
{
    const QMutexLocker lock(&m_mutex);
    return m_tornPath;
}

QDate SessionLog::dayFor(qint64 timeMs, qint64 nowMs) const
{
    const QDate today = SessionLogFiles::dayOf(nowMs);
    QDate day = timeMs > 0 ? SessionLogFiles::dayOf(timeMs) : today;
    if (day > today.addDays(1))
        day = today; // a record from a clock far ahead
    // Never reopen an older file for a late record: only the newest file is ever appended to.
    if (m_lastDay.isValid() && m_lastDay <= today.addDays(1) && day < m_lastDay)
        day = m_lastDay;
    return day;
}

void SessionLog::writeLines(SessionLogWriter &writer, QDate day, QList<QByteArray> &lines)
{
    QString error;
    const int written = writer.append(day, lines, m_maxFileBytes.load(), &error);
    m_written.fetch_add(written);
    if (written < lines.size()) {
        m_dropped.fetch_add(lines.size() - written);
        if (!std::exchange(m_failing, true)) {
            qCWarning(lcSessionLog) << error;
            emit writeFailed(error);
        }
    } else {
        m_failing = false;
    }
    lines.clear();
}

bool SessionLog::writeBatch(SessionLogWriter &writer, QList<LogRecord> &batch,
                            const Redactor &redactor)
{
    bool rolledOver = false;
    const bool keepContent = m_keepContent.load();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<QByteArray> lines;
    QDate linesDay;
    for (LogRecord &record : batch) {
        record.readCompletion(); // a relayed answer's message and usage, read here off its text
        const QDate day = dayFor(record.time, now);
        if (!lines.isEmpty() && day != linesDay)
            writeLines(writer, linesDay, lines);
        if (m_lastDay.isValid() && day > m_lastDay)
            rolledOver = true;
        m_lastDay = day;
        linesDay = day;
        // Compact JSON escapes every control character: the line has no '\n' but its last.
        // Redacting the finished text costs a fraction of walking the JSON values.
        lines.append(redactor.redactJsonText(record.toJsonLine(keepContent)));
    }
    if (!lines.isEmpty())
        writeLines(writer, linesDay, lines);
    return rolledOver;
}

void SessionLog::run()
{
    SessionLogWriter writer(m_dir);
    // The queue and this list trade places each round, so appenders fill a list that already has
    // room: a queue grown from nothing each round moved every record several times.
    QList<LogRecord> batch;
    QMutexLocker lock(&m_mutex);
    for (;;) {
        while (m_queue.isEmpty() && !m_stop && !m_retentionDue) {
            // Sleep until there is work; wake at the next UTC midnight for the retention.
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            const qint64 midnight =
                SessionLogFiles::dayStartMs(SessionLogFiles::dayOf(now).addDays(1));
            m_idle = true;
            if (!m_wake.wait(&m_mutex, QDeadlineTimer(midnight - now + 1000)))
                m_retentionDue = true;
            m_idle = false;
        }
        // Linger a moment before writing so that records arriving together share one write
        // (and one wake-up of this thread): under load that is hundreds of records a write
        // rather than one. Appenders do not wake the thread while it lingers.
        if (!m_stop && m_queue.size() < LingerBatch) {
            m_lingering = true;
            m_wake.wait(&m_mutex, QDeadlineTimer(LingerMs));
            m_lingering = false;
        }
        batch.swap(m_queue);
        const bool retention = std::exchange(m_retentionDue, false);
        const bool stop = m_stop;
        const Redactor redactor = m_redactor;
        lock.unlock();

        const bool rolledOver = writeBatch(writer, batch, redactor);
        if (retention || rolledOver) {
            const int removed = SessionLogFiles::removeExpired(m_dir, m_retentionDays.load(),
                                                               QDateTime::currentMSecsSinceEpoch());
            if (removed > 0)
                qCInfo(lcSessionLog) << "retention removed" << removed << "files";
        }

        const qsizetype written = batch.size();
        batch.clear(); // keeps its capacity, unless a burst made it large
        if (batch.capacity() > MaxKeptCapacity)
            batch = QList<LogRecord>();
        lock.relock();
        m_done += written;
        m_writtenCond.wakeAll();
        if (stop && m_queue.isEmpty())
            break;
    }
    lock.unlock();
    writer.close();
}

} // namespace portico
