#include "LogViewCurl.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace portico {

namespace {

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\"'\"'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString endpoint(QString base)
{
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (base.isEmpty())
        base = QStringLiteral("http://127.0.0.1:18789/v1");
    if (!base.endsWith(QLatin1String("/v1")))
        base += QLatin1String("/v1");
    return base + QLatin1String("/chat/completions");
}

} // namespace

QString curlCommandFor(const LogRecord &record, const QString &baseUrl)
{
    if (record.requestMessages.isEmpty())
        return {};
    const QString model =
        record.agent.isEmpty() ? record.upstreamModel : QStringLiteral("agent:") + record.agent;
    QJsonObject body{{QStringLiteral("model"), model},
                     {QStringLiteral("messages"), record.requestMessages}};
    if (record.stream)
        body[QStringLiteral("stream")] = true;
    const QString json = QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact));
    QString command = QStringLiteral("curl ");
    if (record.stream)
        command += QLatin1String("-N ");
    command += shellQuote(endpoint(baseUrl)) + QLatin1String(" \\\n");
    command += QLatin1String("  -H \"Authorization: Bearer $PORTICO_TOKEN\" \\\n");
    command += QLatin1String("  -H 'Content-Type: application/json' \\\n");
    command += QLatin1String("  -d ") + shellQuote(json);
    return command;
}

} // namespace portico
