#pragma once

#include "LogRecord.h"
#include "SessionLogFiles.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace portico {

// Which records a LogReader returns. Empty fields match everything.
struct LogFilter
{
    qint64 since = -1;  // ms since the epoch, inclusive; < 0: no lower bound
    qint64 until = -1;  // ms since the epoch, exclusive; < 0: no upper bound
    QString sessionKey; // exact
    QString agent;      // exact
    QString model;      // exact, against the upstream model
    int statusFrom = 0; // HTTP status range, inclusive; 0: unbounded
    int statusTo = 0;
    QString text; // case-insensitive, against the raw JSON line (so also message content)

    // Every field but `text`.
    bool matches(const LogRecord &record) const;
    // `text` alone.
    bool matchesText(const QByteArray &rawLine) const;
};

// Where a record's line is: an index into LogReader::files(), a byte offset and the line's
// length without its '\n'.
struct LogLocation
{
    int file = -1;
    qint64 offset = 0;
    qint64 length = 0;
};

// Reads the session log newest first, incrementally: files are read from their end backwards in
// blocks, so memory stays small however big the log is. The set of files and their sizes are
// fixed when the reader is made: records written later are not returned, a line still being
// written is skipped. Use it from one thread at a time (a worker); cancel() from any thread.
class LogReader
{
public:
    static constexpr qint64 DefaultBlockSize = 256 * 1024;

    explicit LogReader(const QString &directory, const LogFilter &filter = LogFilter());

    // The next matching record, newest first. False at the end, or once cancel() was called.
    bool next(LogRecord *out, QByteArray *rawLine = nullptr, LogLocation *where = nullptr);
    // Up to `n` records; fewer only at the end.
    QList<LogRecord> nextBatch(int n);
    bool atEnd() const { return m_atEnd; }

    void cancel() { m_canceled.store(true); } // any thread
    bool isCanceled() const { return m_canceled.load(); }

    void setBlockSize(qint64 bytes) { m_blockSize = std::max<qint64>(bytes, 16); }
    const LogFilter &filter() const { return m_filter; }
    QStringList files() const; // newest first
    qint64 bytesTotal() const { return m_bytesTotal; }
    qint64 bytesScanned() const { return m_bytesScanned; } // for progress
    int unreadableLines() const { return m_unreadable; }
    // The bytes of a line returned earlier (without its '\n'); empty if it cannot be read.
    QByteArray readLine(const LogLocation &where) const;

    // Writes the records as JSON Lines. False (with `error`) if the device refuses a write.
    static bool exportJsonl(const QList<LogRecord> &records, QIODevice *device,
                            QString *error = nullptr);

private:
    struct Line
    {
        QByteArray bytes;
        qint64 offset = 0;
    };

    bool nextLine(Line *out);
    bool openNextFile();
    void readBlock();
    bool mayMatch(const QByteArray &line) const;

    const LogFilter m_filter;
    QList<SessionLogFiles::Entry> m_files; // newest first
    int m_current = -1;
    QFile m_file;
    qint64 m_pos = 0;     // the region [0, m_pos) of the current file is still unread
    bool m_atTail = true; // the current file's trailing bytes without '\n' are not a line yet
    QByteArray m_carry;   // the start of the region read so far: the end of a line begun earlier
    QList<Line> m_lines;  // whole lines of the block read last, in file order
    qint64 m_blockSize = DefaultBlockSize;
    bool m_atEnd = false;
    std::atomic<bool> m_canceled{false};

    // Prefilters on the raw line, computed once.
    QByteArray m_textLatin1;      // the free text if it is ASCII
    QList<QByteArray> m_mustHave; // exact field values that appear verbatim in a matching line

    qint64 m_bytesTotal = 0;
    qint64 m_bytesScanned = 0;
    int m_unreadable = 0;
};

} // namespace portico
