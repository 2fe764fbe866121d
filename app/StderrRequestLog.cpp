#include "StderrRequestLog.h"

#include <cstdio>
#include <ctime>

namespace {
// ISO 8601 UTC with milliseconds. Formatted by hand: QDateTime::toString costs more than the
// rest of a relayed request put together.
QByteArray now()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm utc{};
    gmtime_r(&ts.tv_sec, &utc);
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                                utc.tm_min, utc.tm_sec, ts.tv_nsec / 1'000'000);
    return QByteArray(buffer, n);
}
} // namespace

void StderrRequestLog::writeLine(const QByteArray &line)
{
    std::lock_guard lock(m_mutex);
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
    std::fflush(stderr);
}

void StderrRequestLog::requestFinished(const portico::RequestSummary &s)
{
    const portico::RequestInfo &i = s.info;
    QByteArray line = now() + ' ' + QByteArray::number(s.status) + " POST /v1/chat/completions " +
                      QByteArray::number(s.latencyMs) + "ms";
    if (s.ttftMs >= 0)
        line += " ttft=" + QByteArray::number(s.ttftMs) + "ms";
    line += (i.stream ? " stream" : " json");
    line += " agent=" + (i.agentId.isEmpty() ? QByteArray("-") : i.agentId.toUtf8());
    line += " provider=" + i.providerId.toUtf8() + " model=" + i.upstreamModel.toUtf8();
    line += " session=" + i.sessionKey.toUtf8();
    if (!i.clientName.isEmpty())
        line += " client=" + i.clientName.toUtf8();
    line += " peer=" + i.peer.toUtf8();
    if (!s.error.isEmpty())
        line += " error=\"" + s.error.left(300).toUtf8().replace('"', "'").replace('\n', ' ') + '"';
    line += '\n';
    writeLine(line);
}

void StderrRequestLog::requestRejected(const QByteArray &method, const QByteArray &path, int status,
                                       const QString &message, const QString &peer)
{
    writeLine(now() + ' ' + QByteArray::number(status) + ' ' + method + ' ' + path.left(200) +
              " peer=" + peer.toUtf8() + " error=\"" +
              message.left(300).toUtf8().replace('"', "'").replace('\n', ' ') + "\"\n");
}
