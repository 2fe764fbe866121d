#pragma once

#include "LogReader.h"
#include "LogViewRow.h"

#include <QList>
#include <QObject>

#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace portico {

// Loads the session log for the log view off the GUI thread, newest first, in batches: a small
// first batch (so rows show at once), then larger ones a few times a second. A new start()
// cancels the load under way; its late batches are dropped. Lives in the GUI thread.
class LogLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr int FirstBatchRows = 200;
    static constexpr int MaxBatchRows = 5000;
    static constexpr int BatchIntervalMs = 100;

    explicit LogLoader(QObject *parent = nullptr);
    ~LogLoader() override; // cancels and waits for the reading thread

    void start(const QString &directory, const LogFilter &filter);
    void cancel();
    bool isLoading() const { return m_loading; }

    // The full record of a row of the latest load (one line read from disk).
    bool readRecord(const LogLocation &where, LogRecord *out, QByteArray *rawLine = nullptr) const;
    QByteArray readLine(const LogLocation &where) const;

signals:
    void started();
    void rowsLoaded(const QList<portico::LogViewRow> &rows);
    void progress(qint64 bytesScanned, qint64 bytesTotal);
    void finished(bool canceled, int unreadableLines);

private:
    struct Job
    {
        QThread *thread = nullptr;
        std::shared_ptr<LogReader> reader;
    };

    void run(const std::shared_ptr<LogReader> &reader, int generation);
    void deliver(int generation, QList<LogViewRow> rows, qint64 scanned, qint64 total);
    void onThreadFinished(QThread *thread);

    QList<Job> m_jobs; // threads still running (the current one and canceled ones)
    std::shared_ptr<LogReader> m_reader; // the latest load's, for readLine()
    int m_generation = 0;
    bool m_loading = false;
};

} // namespace portico
