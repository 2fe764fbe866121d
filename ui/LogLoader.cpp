#include "LogLoader.h"

#include <QElapsedTimer>
#include <QThread>

namespace portico {

LogLoader::LogLoader(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<LogViewRow>();
}

LogLoader::~LogLoader()
{
    for (const Job &job : std::as_const(m_jobs))
        job.reader->cancel();
    for (const Job &job : std::as_const(m_jobs)) {
        job.thread->wait();
        delete job.thread;
    }
}

void LogLoader::cancel()
{
    for (const Job &job : std::as_const(m_jobs))
        job.reader->cancel();
    if (m_loading) {
        ++m_generation; // drops whatever it still delivers
        m_loading = false;
        emit finished(true, 0);
    }
}

void LogLoader::start(const QString &directory, const LogFilter &filter)
{
    cancel();
    const int generation = ++m_generation;
    auto reader = std::make_shared<LogReader>(directory, filter);
    m_reader = reader;
    m_loading = true;
    QThread *thread = QThread::create([this, reader, generation] { run(reader, generation); });
    thread->setObjectName(QStringLiteral("portico-log-loader"));
    connect(thread, &QThread::finished, this, [this, thread] { onThreadFinished(thread); });
    m_jobs.append({thread, reader});
    emit started();
    thread->start(QThread::LowPriority);
}

void LogLoader::onThreadFinished(QThread *thread)
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs.at(i).thread == thread) {
            m_jobs.removeAt(i);
            thread->deleteLater();
            return;
        }
    }
}

void LogLoader::deliver(int generation, QList<LogViewRow> rows, qint64 scanned, qint64 total)
{
    QMetaObject::invokeMethod(
        this,
        [this, generation, rows = std::move(rows), scanned, total] {
            if (generation != m_generation)
                return;
            if (!rows.isEmpty())
                emit rowsLoaded(rows);
            emit progress(scanned, total);
        },
        Qt::QueuedConnection);
}

void LogLoader::run(const std::shared_ptr<LogReader> &reader, int generation)
{
    // Runs in its own thread; `this` outlives it (the destructor waits).
    QList<LogViewRow> batch;
    QElapsedTimer clock;
    clock.start();
    bool first = true;
    LogRecord record;
    LogLocation where;
    while (reader->next(&record, nullptr, &where)) {
        batch.append(LogViewRow::from(record, where));
        const bool due = first ? batch.size() >= FirstBatchRows
                               : batch.size() >= MaxBatchRows || clock.elapsed() >= BatchIntervalMs;
        if (due) {
            deliver(generation, std::exchange(batch, {}), reader->bytesScanned(),
                    reader->bytesTotal());
            first = false;
            clock.restart();
        }
    }
    deliver(generation, std::move(batch), reader->bytesScanned(), reader->bytesTotal());
    const bool canceled = reader->isCanceled();
    const int unreadable = reader->unreadableLines();
    QMetaObject::invokeMethod(
        this,
        [this, generation, canceled, unreadable] {
            if (generation != m_generation)
                return;
            m_loading = false;
            emit finished(canceled, unreadable);
        },
        Qt::QueuedConnection);
}

QByteArray LogLoader::readLine(const LogLocation &where) const
{
    return m_reader ? m_reader->readLine(where) : QByteArray();
}

bool LogLoader::readRecord(const LogLocation &where, LogRecord *out, QByteArray *rawLine) const
{
    const QByteArray line = readLine(where);
    if (line.isEmpty() || !LogRecord::fromJsonLine(line, out))
        return false;
    if (rawLine)
        *rawLine = line;
    return true;
}

} // namespace portico
