#include "LogRecord.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

namespace portico {

namespace {

constexpr int FormatVersion = 1;

void putString(QJsonObject &obj, QLatin1String key, const QString &value)
{
    if (!value.isEmpty())
        obj.insert(key, value);
}

void putCount(QJsonObject &obj, QLatin1String key, qint64 value)
{
    if (value >= 0)
        obj.insert(key, QJsonValue(value));
}

qint64 count(const QJsonObject &obj, QLatin1String key)
{
    const QJsonValue v = obj.value(key);
    return v.isDouble() ? v.toInteger(-1) : -1;
}

QString textOf(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    const QJsonArray parts = content.toArray();
    for (const QJsonValue &part : parts) {
        const QJsonObject p = part.toObject();
        if (p.value(QLatin1String("type")).toString() != QLatin1String("text"))
            continue;
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += p.value(QLatin1String("text")).toString();
    }
    return text;
}

} // namespace

void LogRecord::dropContent()
{
    requestMessages = QJsonArray();
    response = QJsonObject();
}

QString LogRecord::lastUserText() const
{
    for (qsizetype i = requestMessages.size() - 1; i >= 0; --i) {
        const QJsonObject m = requestMessages.at(i).toObject();
        if (m.value(QLatin1String("role")).toString() == QLatin1String("user"))
            return textOf(m.value(QLatin1String("content")));
    }
    return {};
}

QJsonObject LogRecord::toJson() const
{
    QJsonObject obj;
    obj.insert(QLatin1String("v"), FormatVersion);
    obj.insert(QLatin1String("time"), QJsonValue(time));
    putString(obj, QLatin1String("requestId"), requestId);
    putString(obj, QLatin1String("sessionKey"), sessionKey);
    putString(obj, QLatin1String("agent"), agent);
    putString(obj, QLatin1String("provider"), provider);
    putString(obj, QLatin1String("upstreamModel"), upstreamModel);
    putString(obj, QLatin1String("clientTokenName"), clientTokenName);
    obj.insert(QLatin1String("status"), status);
    putString(obj, QLatin1String("error"), error);
    putCount(obj, QLatin1String("latencyMs"), latencyMs);
    putCount(obj, QLatin1String("ttftMs"), ttftMs);
    if (usage.isKnown()) {
        QJsonObject u;
        putCount(u, QLatin1String("prompt_tokens"), usage.promptTokens);
        putCount(u, QLatin1String("completion_tokens"), usage.completionTokens);
        putCount(u, QLatin1String("total_tokens"), usage.totalTokens);
        obj.insert(QLatin1String("usage"), u);
    }
    obj.insert(QLatin1String("stream"), stream);
    if (!requestMessages.isEmpty())
        obj.insert(QLatin1String("requestMessages"), requestMessages);
    if (!response.isEmpty())
        obj.insert(QLatin1String("response"), response);
    return obj;
}

QByteArray LogRecord::toJsonLine() const
{
    QByteArray line = QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
    line += '\n';
    return line;
}

bool LogRecord::fromJson(const QJsonObject &json, LogRecord *out)
{
    const QJsonValue t = json.value(QLatin1String("time"));
    if (!t.isDouble())
        return false;
    LogRecord r;
    r.time = t.toInteger();
    r.requestId = json.value(QLatin1String("requestId")).toString();
    r.sessionKey = json.value(QLatin1String("sessionKey")).toString();
    r.agent = json.value(QLatin1String("agent")).toString();
    r.provider = json.value(QLatin1String("provider")).toString();
    r.upstreamModel = json.value(QLatin1String("upstreamModel")).toString();
    r.clientTokenName = json.value(QLatin1String("clientTokenName")).toString();
    r.status = json.value(QLatin1String("status")).toInt();
    r.error = json.value(QLatin1String("error")).toString();
    r.latencyMs = count(json, QLatin1String("latencyMs"));
    r.ttftMs = count(json, QLatin1String("ttftMs"));
    const QJsonObject u = json.value(QLatin1String("usage")).toObject();
    r.usage.promptTokens = count(u, QLatin1String("prompt_tokens"));
    r.usage.completionTokens = count(u, QLatin1String("completion_tokens"));
    r.usage.totalTokens = count(u, QLatin1String("total_tokens"));
    r.stream = json.value(QLatin1String("stream")).toBool();
    r.requestMessages = json.value(QLatin1String("requestMessages")).toArray();
    r.response = json.value(QLatin1String("response")).toObject();
    *out = std::move(r);
    return true;
}

bool LogRecord::fromJsonLine(const QByteArray &line, LogRecord *out)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    return fromJson(doc.object(), out);
}

} // namespace portico
