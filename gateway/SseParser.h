#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace portico {

// One server-sent event: its `event:` name (empty when absent) and its `data:` lines joined by
// '\n'.
struct SseEvent
{
    QByteArray name;
    QByteArray data;
};

// Splits a text/event-stream body into events as bytes arrive. Bytes may be split anywhere,
// including between the '\r' and '\n' of a line ending. Lines end with "\n", "\r\n" or "\r";
// comment lines (":") and unknown fields are ignored; an event is dispatched at a blank line
// when it carried data.
class SseParser
{
public:
    explicit SseParser(qsizetype maxEventBytes = 16 * 1024 * 1024);

    // Consumes `bytes` and appends the events they complete to `events`. Returns false once the
    // pending event grows beyond the limit; the parser then ignores further input.
    bool feed(QByteArrayView bytes, QList<SseEvent> *events);

    bool overflowed() const { return m_overflowed; }
    // Bytes held for an event not yet complete (0 between events).
    qsizetype pendingBytes() const { return m_line.size() + m_data.size() + m_name.size(); }

private:
    void processLine(QByteArrayView line, QList<SseEvent> *events);
    // The index of the first '\n' or '\r' in `bytes` from `from` on, or bytes.size().
    static qsizetype lineEnd(QByteArrayView bytes, qsizetype from);

    qsizetype m_maxEventBytes;
    QByteArray m_line;
    QByteArray m_name;
    QByteArray m_data;
    bool m_hasData = false;
    bool m_lastWasCr = false; // the previous byte ended a line with '\r'; skip a following '\n'
    bool m_started = false;   // a leading BOM has been dealt with
    bool m_overflowed = false;
};

} // namespace portico
