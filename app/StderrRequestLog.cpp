#include "StderrRequestLog.h"

#include "DeferredDelete.h"
#include "Utf8Append.h"

#include <charconv>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include <unistd.h>

namespace {
// ISO 8601 UTC with milliseconds. Formatted by hand, and the part up to the seconds once a second
// per thread: QDateTime::toString, or even gmtime_r and snprintf, cost more than the rest of the
// line.
// Appends the time to `out` (24 characters).
void appendNow(std::string &out)
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    thread_local time_t cachedSecond = -1;
    thread_local char prefix[64]; // "2026-12-04T08:33:43." (room for any year snprintf sees)
    if (ts.tv_sec != cachedSecond) {
        tm utc{};
        gmtime_r(&ts.tv_sec, &utc);
        std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900,
                      utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
        cachedSecond = ts.tv_sec;
    }
    const long ms = ts.tv_nsec / 1'000'000;
    char text[28];
    std::memcpy(text, prefix, 20);
    text[20] = char('0' + ms / 100);
    text[21] = char('0' + ms / 10 % 10);
    text[22] = char('0' + ms % 10);
    text[23] = 'Z';
    out.append(text, 24);
}

void appendNumber(std::string &out, qint64 value)
{
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}
} // namespace

namespace {
void writeAll(const char *data, size_t size)
{
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(STDERR_FILENO, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // stderr closed or full: the request log is best effort
        done += size_t(n);
    }
}

// The lines a worker thread finished in this turn of its event loop, written with one write(2)
// when the loop next wakes or is about to sleep (DeferredDelete::runSoon): under load a turn
// finishes several requests. A batch stays within PIPE_BUF, so that the kernel keeps it whole
// against other threads' lines on a pipe; a longer line goes alone, as before.
constexpr size_t MaxBatch = 4096;

struct Pending
{
    std::string lines;
    ~Pending() { flush(); } // a thread that ends with lines not yet written
    void flush()
    {
        if (lines.empty())
            return;
        writeAll(lines.data(), lines.size());
        lines.clear();
    }
};
thread_local Pending t_pending;

void flushPending()
{
    t_pending.flush();
}
} // namespace

void StderrRequestLog::writeLine(QByteArrayView line)
{
    std::string &pending = t_pending.lines;
    if (!pending.empty() && pending.size() + size_t(line.size()) > MaxBatch)
        t_pending.flush();
    const bool first = pending.empty();
    pending.append(line.constData(), size_t(line.size()));
    // Outside a worker thread (no loop turn to wait for), or a batch already full: now.
    if ((first && !portico::DeferredDelete::runSoon(flushPending)) || pending.size() >= MaxBatch)
        t_pending.flush();
}

void StderrRequestLog::requestFinished(const portico::RequestSummary &s)
{
    using portico::appendUtf8;
    const portico::RequestInfo &i = s.info;
    // Built as UTF-8 in one buffer and written at once: this runs for every request.
    std::string line;
    line.reserve(256);
    appendNow(line);
    line += ' ';
    appendNumber(line, s.status);
    line += " POST /v1/chat/completions ";
    appendNumber(line, s.latencyMs);
    line += "ms";
    if (s.ttftMs >= 0) {
        line += " ttft=";
        appendNumber(line, s.ttftMs);
        line += "ms";
    }
    line += i.stream ? " stream agent=" : " json agent=";
    if (i.agentId.isEmpty())
        line += '-';
    else
        appendUtf8(line, i.agentId);
    line += " provider=";
    appendUtf8(line, i.providerId);
    line += " model=";
    appendUtf8(line, i.upstreamModel);
    line += " session=";
    appendUtf8(line, i.sessionKey);
    if (!i.clientName.isEmpty()) {
        line += " client=";
        appendUtf8(line, i.clientName);
    }
    line += " peer=";
    appendUtf8(line, i.peer);
    if (!s.error.isEmpty()) {
        QString error = s.error.left(300);
        error.replace(u'"', u'\'').replace(u'\n', u' ');
        line += " error=\"";
        appendUtf8(line, error);
        line += '"';
    }
    line += '\n';
    writeLine(QByteArrayView(line.data(), qsizetype(line.size())));
}

void StderrRequestLog::requestRejected(const QByteArray &method, const QByteArray &path, int status,
                                       const QString &message, const QString &peer)
{
    std::string time;
    appendNow(time);
    const QByteArray line =
        QByteArray(time.data(), qsizetype(time.size())) + ' ' + QByteArray::number(status) + ' ' +
        method + ' ' + path.left(200) + " peer=" + peer.toUtf8() + " error=\"" +
        message.left(300).toUtf8().replace('"', "'").replace('\n', ' ') + "\"\n";
    writeLine(line);
}
