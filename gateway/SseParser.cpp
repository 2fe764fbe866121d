#include "SseParser.h"

namespace portico {

SseParser::SseParser(qsizetype maxEventBytes)
    : m_maxEventBytes(maxEventBytes)
{}

bool SseParser::feed(QByteArrayView bytes, QList<SseEvent> *events)
{
    if (m_overflowed)
        return false;
    qsizetype pos = 0;
    if (!m_started) {
        // A UTF-8 byte order mark may precede the stream; it can itself arrive split.
        static constexpr char kBom[] = "\xEF\xBB\xBF";
        while (pos < bytes.size() && m_line.size() < 3 && bytes[pos] == kBom[m_line.size()])
            m_line.append(bytes[pos++]);
        if (pos == bytes.size() && m_line.size() < 3)
            return true; // still possibly a BOM: wait for more
        if (m_line.size() == 3)
            m_line.clear();
        m_started = true;
    }
    while (pos < bytes.size()) {
        const char c = bytes[pos];
        if (m_lastWasCr && c == '\n') {
            m_lastWasCr = false;
            ++pos;
            continue;
        }
        m_lastWasCr = false;
        // Copy the run up to the next line ending in one go.
        qsizetype end = pos;
        while (end < bytes.size() && bytes[end] != '\n' && bytes[end] != '\r')
            ++end;
        m_line.append(bytes.sliced(pos, end - pos));
        if (pendingBytes() > m_maxEventBytes) {
            m_overflowed = true;
            m_line.clear();
            m_data.clear();
            return false;
        }
        if (end == bytes.size())
            break;
        m_lastWasCr = bytes[end] == '\r';
        pos = end + 1;
        processLine(events);
    }
    return true;
}

void SseParser::processLine(QList<SseEvent> *events)
{
    if (m_line.isEmpty()) {
        if (m_hasData)
            events->append({m_name, m_data});
        m_name.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (m_line.startsWith(':')) {
        m_line.clear();
        return;
    }
    const qsizetype colon = m_line.indexOf(':');
    QByteArrayView field = m_line;
    QByteArrayView value;
    if (colon >= 0) {
        field = QByteArrayView(m_line).first(colon);
        value = QByteArrayView(m_line).sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (field == "data") {
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_name = value.toByteArray();
    }
    m_line.clear();
}

} // namespace portico
