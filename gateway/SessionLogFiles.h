#pragma once

#include <QDate>
#include <QList>
#include <QString>

namespace portico {

// The session log's files on disk: names, listing, retention and torn-line recovery.
// `sessions-YYYY-MM-DD.jsonl` holds a UTC day's records; when it is full the day continues in
// `sessions-YYYY-MM-DD.1.jsonl`, `.2.jsonl`, …. Torn lines are set aside in
// `torn-<UTC timestamp>.jsonl.part`. Stateless; safe to call from any thread.
class SessionLogFiles
{
public:
    static constexpr qint64 DayMs = 24LL * 60 * 60 * 1000;

    struct Entry
    {
        QString path;
        QDate day;
        int index = 0;
        qint64 size = 0;
    };

    struct TornLine
    {
        qint64 bytes = 0; // 0: the last line was whole
        QString partPath; // where the bytes were set aside
        QString error;    // non-empty if they could not be (the file then gets a '\n' appended)
    };

    static QString fileName(QDate day, int index);
    static bool parseFileName(const QString &name, QDate *day, int *index);
    // The log files in `dir`, oldest first (by day, then index).
    static QList<Entry> list(const QString &dir);

    static QDate dayOf(qint64 msSinceEpoch);
    static qint64 dayStartMs(QDate day);

    // Deletes the log files whose day ended `retentionDays` days or more before `nowMs`, and torn
    // files last modified that long ago. retentionDays <= 0 keeps everything. Returns the count.
    static int removeExpired(const QString &dir, int retentionDays, qint64 nowMs);

    // If the last line of `path` lacks its '\n' or is not a JSON object, copies it to a new torn
    // file in `dir` and truncates it off, so the next append starts a fresh line.
    static TornLine recoverTornLine(const QString &path, const QString &dir, qint64 nowMs);
};

} // namespace portico
