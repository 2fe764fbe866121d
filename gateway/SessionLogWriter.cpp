#include "SessionLogWriter.h"

#include "SessionLogFiles.h"

#include <QDir>

#include <sys/stat.h>

namespace portico {

SessionLogWriter::SessionLogWriter(const QString &directory)
    : m_dir(directory)
{}

void SessionLogWriter::close()
{
    m_file.close();
    m_day = QDate();
}

bool SessionLogWriter::openIndex(int index, QString *error)
{
    m_file.close();
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("cannot create %1").arg(m_dir);
        return false;
    }
    m_file.setFileName(m_dir + QLatin1Char('/') + SessionLogFiles::fileName(m_day, index));
    // Unbuffered: each write() below is one write(2) of whole lines, nothing lingers in memory.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered,
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = QStringLiteral("cannot open %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    m_index = index;
    m_size = m_file.size();
    return true;
}

bool SessionLogWriter::openFor(QDate day, qint64 maxFileBytes, QString *error)
{
    // Reopen if the file went away (the user cleared the folder, or retention removed it):
    // an unlinked file has no links left. One fstat on the open descriptor.
    if (m_file.isOpen() && day == m_day) {
        struct stat st;
        if (::fstat(m_file.handle(), &st) == 0 && st.st_nlink > 0)
            return true;
    }
    m_day = day;
    int index = 0;
    for (const SessionLogFiles::Entry &e : SessionLogFiles::list(m_dir)) {
        if (e.day == day)
            index = std::max(index, e.index);
    }
    if (!openIndex(index, error)) {
        m_day = QDate();
        return false;
    }
    if (m_size >= maxFileBytes && !openIndex(index + 1, error)) {
        m_day = QDate();
        return false;
    }
    return true;
}

bool SessionLogWriter::writeChunk(const QByteArray &chunk, QString *error)
{
    if (chunk.isEmpty())
        return true;
    const qint64 written = m_file.write(chunk);
    if (written == chunk.size()) {
        m_size += written;
        return true;
    }
    *error = QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString());
    // Take back a partial write so the file keeps only whole lines.
    if (written > 0)
        m_file.resize(m_size);
    close();
    return false;
}

int SessionLogWriter::append(QDate day, const QList<QByteArray> &lines, qint64 maxFileBytes,
                             QString *error)
{
    if (lines.isEmpty())
        return 0;
    if (!openFor(day, maxFileBytes, error))
        return 0;
    int done = 0;
    int pending = 0;
    QByteArray chunk;
    for (const QByteArray &line : lines) {
        const qint64 used = m_size + chunk.size();
        const bool full = used > 0 && used + line.size() > maxFileBytes;
        if (full || chunk.size() + line.size() > MaxChunkBytes) {
            if (!writeChunk(chunk, error))
                return done;
            done += std::exchange(pending, 0);
            chunk.clear();
            if (full && !openIndex(m_index + 1, error)) {
                close();
                return done;
            }
        }
        chunk += line;
        ++pending;
    }
    if (writeChunk(chunk, error))
        done += pending;
    return done;
}

} // namespace portico
