#pragma once

#include <QByteArray>
#include <QDate>
#include <QFile>
#include <QList>
#include <QString>

namespace portico {

// Appends whole lines to the session log's current file, rotating by day and size. Used by one
// thread at a time (SessionLog's writer thread). Every line goes to the file in one write()
// together with its '\n' (several whole lines may share a write); a failed write is truncated
// off again, so the file never holds a partial line while the process lives.
class SessionLogWriter
{
public:
    static constexpr qint64 MaxChunkBytes = 1024 * 1024; // lines per write() are capped by this

    explicit SessionLogWriter(const QString &directory);

    // Appends `lines` (each ending in '\n') to `day`'s file, moving to the next file of the day
    // whenever a line would take the current one past `maxFileBytes` (a longer line gets a file
    // of its own). Returns the number of lines written; on a failure sets `error`.
    int append(QDate day, const QList<QByteArray> &lines, qint64 maxFileBytes, QString *error);
    void close();

    QString currentPath() const { return m_file.fileName(); }
    QDate currentDay() const { return m_day; }

private:
    bool openFor(QDate day, qint64 maxFileBytes, QString *error);
    bool openIndex(int index, QString *error);
    bool writeChunk(const QByteArray &chunk, QString *error);

    QString m_dir;
    QFile m_file;
    QDate m_day;
    int m_index = 0;
    qint64 m_size = 0;
};

} // namespace portico
