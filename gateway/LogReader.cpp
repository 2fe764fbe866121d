#include "LogReader.h"

#include <QIODevice>
#include <QLatin1StringView>

#include <algorithm>

namespace portico {

namespace {

bool isAscii(const QString &s)
{
    return std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

// A value Qt's JSON writer copies verbatim (no escaping), so it must appear as is in the line.
bool isVerbatimInJson(const QString &s)
{
    return std::all_of(s.cbegin(), s.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return u >= 0x20 && u < 0x7f && u != u'"' && u != u'\\';
    });
}

bool containsText(const QByteArray &line, const QByteArray &latin1Needle, const QString &text)
{
    if (!latin1Needle.isEmpty()) {
        // An ASCII needle never case-folds onto UTF-8 multibyte sequences: compare as Latin-1.
        return QLatin1StringView(line).contains(QLatin1StringView(latin1Needle),
                                                Qt::CaseInsensitive);
    }
    return QString::fromUtf8(line).contains(text, Qt::CaseInsensitive);
}

} // namespace

bool LogFilter::matches(const LogRecord &r) const
{
    if (since >= 0 && r.time < since)
        return false;
    if (until >= 0 && r.time >= until)
        return false;
    if (!sessionKey.isEmpty() && r.sessionKey != sessionKey)
        return false;
    if (!agent.isEmpty() && r.agent != agent)
        return false;
    if (!model.isEmpty() && r.upstreamModel != model)
        return false;
    if (statusFrom > 0 && r.status < statusFrom)
        return false;
    if (statusTo > 0 && r.status > statusTo)
        return false;
    return true;
}

bool LogFilter::matchesText(const QByteArray &rawLine) const
{
    if (text.isEmpty())
        return true;
    return containsText(rawLine, isAscii(text) ? text.toLatin1() : QByteArray(), text);
}

LogReader::LogReader(const QString &directory, const LogFilter &filter)
    : m_filter(filter)
{
    m_files = SessionLogFiles::list(directory);
    std::reverse(m_files.begin(), m_files.end());
    for (const SessionLogFiles::Entry &e : std::as_const(m_files))
        m_bytesTotal += e.size;
    if (!filter.text.isEmpty() && isAscii(filter.text))
        m_textLatin1 = filter.text.toLatin1();
    for (const QString *v : {&filter.sessionKey, &filter.agent, &filter.model}) {
        if (!v->isEmpty() && isVerbatimInJson(*v))
            m_mustHave.append(v->toLatin1());
    }
}

QStringList LogReader::files() const
{
    QStringList paths;
    for (const SessionLogFiles::Entry &e : m_files)
        paths.append(e.path);
    return paths;
}

bool LogReader::openNextFile()
{
    m_file.close();
    m_lines.clear();
    m_carry.clear();
    while (++m_current < m_files.size()) {
        const SessionLogFiles::Entry &e = m_files.at(m_current);
        // A file holds records from before the end of its day (allow a day for clock trouble),
        // and from at most a day before its start (a request that began before midnight).
        const qint64 start = SessionLogFiles::dayStartMs(e.day);
        if (m_filter.since >= 0 && start + 2 * SessionLogFiles::DayMs <= m_filter.since) {
            m_current = int(m_files.size());
            break;
        }
        if (m_filter.until >= 0 && start - SessionLogFiles::DayMs >= m_filter.until) {
            m_bytesScanned += e.size;
            continue;
        }
        m_file.setFileName(e.path);
        if (!m_file.open(QIODevice::ReadOnly)) {
            m_bytesScanned += e.size;
            continue;
        }
        m_pos = std::min(e.size, m_file.size());
        m_atTail = true;
        return true;
    }
    return false;
}

void LogReader::readBlock()
{
    const qint64 want = std::max<qint64>(m_blockSize, m_carry.size());
    const qint64 start = std::max<qint64>(0, m_pos - want);
    QByteArray data;
    if (m_file.seek(start))
        data = m_file.read(m_pos - start);
    if (data.size() != m_pos - start) {
        // Unreadable (or cut short under us): give up on this file.
        ++m_unreadable;
        m_pos = 0;
        m_carry.clear();
        return;
    }
    m_bytesScanned += data.size();
    m_pos = start;
    data += m_carry;
    m_carry.clear();
    if (m_atTail) {
        const qsizetype lastNewline = data.lastIndexOf('\n');
        if (lastNewline < 0)
            return; // all of it is an unfinished line
        data.truncate(lastNewline + 1);
        m_atTail = false;
    }
    qsizetype p = 0;
    if (start > 0) {
        const qsizetype first = data.indexOf('\n');
        if (first < 0) {
            m_carry = data; // the middle of a long line
            return;
        }
        m_carry = data.left(first + 1);
        p = first + 1;
    }
    while (p < data.size()) {
        const qsizetype end = data.indexOf('\n', p);
        if (end > p)
            m_lines.append({data.sliced(p, end - p), start + p});
        p = end + 1;
    }
}

bool LogReader::nextLine(Line *out)
{
    if (m_canceled.load(std::memory_order_relaxed))
        return false;
    while (m_lines.isEmpty()) {
        if (m_canceled.load(std::memory_order_relaxed))
            return false;
        // A block read from offset 0 turns all that is left into lines.
        if (m_pos == 0) {
            if (!openNextFile())
                return false;
            continue;
        }
        readBlock();
    }
    *out = m_lines.takeLast();
    return true;
}

bool LogReader::mayMatch(const QByteArray &line) const
{
    for (const QByteArray &needle : m_mustHave) {
        if (!line.contains(needle))
            return false;
    }
    return m_filter.text.isEmpty() || containsText(line, m_textLatin1, m_filter.text);
}

bool LogReader::next(LogRecord *out, QByteArray *rawLine, LogLocation *where)
{
    Line line;
    while (nextLine(&line)) {
        if (!mayMatch(line.bytes))
            continue;
        LogRecord record;
        if (!LogRecord::fromJsonLine(line.bytes, &record)) {
            ++m_unreadable;
            continue;
        }
        if (!m_filter.matches(record))
            continue;
        *out = std::move(record);
        if (where)
            *where = {m_current, line.offset, line.bytes.size()};
        if (rawLine)
            *rawLine = std::move(line.bytes);
        return true;
    }
    m_atEnd = !m_canceled.load();
    return false;
}

QList<LogRecord> LogReader::nextBatch(int n)
{
    QList<LogRecord> batch;
    LogRecord r;
    while (batch.size() < n && next(&r))
        batch.append(std::move(r));
    return batch;
}

QByteArray LogReader::readLine(const LogLocation &where) const
{
    if (where.file < 0 || where.file >= m_files.size())
        return {};
    QFile f(m_files.at(where.file).path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(where.offset))
        return {};
    QByteArray bytes = f.read(where.length);
    return bytes.size() == where.length ? bytes : QByteArray();
}

bool LogReader::exportJsonl(const QList<LogRecord> &records, QIODevice *device, QString *error)
{
    if (!device || !device->isWritable()) {
        if (error)
            *error = QStringLiteral("the device is not open for writing");
        return false;
    }
    for (const LogRecord &r : records) {
        const QByteArray line = r.toJsonLine();
        if (device->write(line) != line.size()) {
            if (error)
                *error = device->errorString();
            return false;
        }
    }
    return true;
}

} // namespace portico
