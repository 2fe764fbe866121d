#include "SseParser.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
        if (m_lastWasCr && bytes[pos] == '\n') {
            m_lastWasCr = false;
            ++pos;
            continue;
        }
        m_lastWasCr = false;
        const qsizetype end = lineEnd(bytes, pos);
        const QByteArrayView part = bytes.sliced(pos, end - pos);
        if (pendingBytes() + part.size() > m_maxEventBytes) {
            m_overflowed = true;
            m_line.clear();
            m_data.clear();
            return false;
        }
        if (end == bytes.size()) {
            m_line.append(part); // the rest of the line comes with the next bytes
            break;
        }
        m_lastWasCr = bytes[end] == '\r';
        pos = end + 1;
        if (m_line.isEmpty()) {
            processLine(part, events); // a whole line in these bytes: read where it is
        } else {
            m_line.append(part);
            processLine(m_line, events);
            m_line.clear();
        }
    }
    return true;
}

qsizetype SseParser::lineEnd(QByteArrayView bytes, qsizetype from)
{
    const char *const data = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype i = from;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
        const unsigned mask =
            unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
        if (mask != 0)
            return i + __builtin_ctz(mask);
    }
#endif
    while (i < n && data[i] != '\n' && data[i] != '\r')
        ++i;
    return i;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> *events)
{
    if (line.isEmpty()) {
        if (m_hasData)
            events->append({m_name, m_data});
        m_name.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (line.startsWith(':'))
        return;
    const qsizetype colon = line.indexOf(':');
    QByteArrayView field = line;
    QByteArrayView value;
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
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
}

} // namespace portico
