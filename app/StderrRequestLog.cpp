#include "StderrRequestLog.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <unistd.h>

namespace {
// ISO 8601 UTC with milliseconds. Formatted by hand, and the part up to the seconds once a second
// per thread: QDateTime::toString, or even gmtime_r and snprintf, cost more than the rest of the
// line.
QByteArray now()
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
    return QByteArray(text, 24);
}
} // namespace

void StderrRequestLog::writeLine(const QByteArray &line)
{
    // One write(2) per line, no lock and no stdio buffer: the kernel keeps concurrent lines
    // whole (a pipe up to PIPE_BUF, a file or the journal's socket per call).
    qsizetype done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(STDERR_FILENO, line.constData() + done,
                                  static_cast<size_t>(line.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // stderr closed or full: the request log is best effort
        done += n;
    }
}

void StderrRequestLog::requestFinished(const portico::RequestSummary &s)
{
    const portico::RequestInfo &i = s.info;
    // One QString built in one go, converted once: this runs for every request.
    QString text;
    text.reserve(256);
    text += QLatin1String(" POST /v1/chat/completions ");
    text += QString::number(s.latencyMs);
    text += QLatin1String("ms");
    if (s.ttftMs >= 0) {
        text += QLatin1String(" ttft=");
        text += QString::number(s.ttftMs);
        text += QLatin1String("ms");
    }
    text += i.stream ? QLatin1String(" stream agent=") : QLatin1String(" json agent=");
    text += i.agentId.isEmpty() ? QStringLiteral("-") : i.agentId;
    text += QLatin1String(" provider=") + i.providerId + QLatin1String(" model=") +
            i.upstreamModel + QLatin1String(" session=") + i.sessionKey;
    if (!i.clientName.isEmpty())
        text += QLatin1String(" client=") + i.clientName;
    text += QLatin1String(" peer=") + i.peer;
    if (!s.error.isEmpty()) {
        QString error = s.error.left(300);
        error.replace(u'"', u'\'').replace(u'\n', u' ');
        text += QLatin1String(" error=\"") + error + u'"';
    }
    text += u'\n';
    writeLine(now() + ' ' + QByteArray::number(s.status) + text.toUtf8());
}

void StderrRequestLog::requestRejected(const QByteArray &method, const QByteArray &path, int status,
                                       const QString &message, const QString &peer)
{
    writeLine(now() + ' ' + QByteArray::number(status) + ' ' + method + ' ' + path.left(200) +
              " peer=" + peer.toUtf8() + " error=\"" +
              message.left(300).toUtf8().replace('"', "'").replace('\n', ' ') + "\"\n");
}
