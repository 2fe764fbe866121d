#include "AnthropicResponseTranslator.h"

#include "ChunkBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace portico {

QString AnthropicResponseTranslator::finishReason(const QString &stopReason)
{
    if (stopReason == QLatin1String("max_tokens") ||
        stopReason == QLatin1String("model_context_window_exceeded"))
        return QStringLiteral("length");
    if (stopReason == QLatin1String("tool_use"))
        return QStringLiteral("tool_calls");
    if (stopReason == QLatin1String("refusal"))
        return QStringLiteral("content_filter");
    return QStringLiteral("stop");
}

QJsonObject AnthropicResponseTranslator::usage(const QJsonObject &anthropicUsage)
{
    const auto count = [&](const char *key) {
        return anthropicUsage.value(QLatin1String(key)).toInteger();
    };
    const qint64 cacheRead = count("cache_read_input_tokens");
    const qint64 prompt = count("input_tokens") + cacheRead + count("cache_creation_input_tokens");
    return ChunkBuilder::usageObject(prompt, count("output_tokens"), cacheRead);
}

bool AnthropicResponseTranslator::toCompletion(const QByteArray &body, const QString &requestId,
                                               qint64 created, const QString &model,
                                               QByteArray *completion, ApiError *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject message = doc.object();
    if (!doc.isObject() || !message.value(QLatin1String("content")).isArray()) {
        *error = ApiError::upstream(502,
                                    QStringLiteral("Anthropic returned a response that is "
                                                   "not a message"),
                                    "upstream_protocol");
        return false;
    }

    QString text;
    QString reasoning;
    QJsonArray toolCalls;
    const QJsonArray content = message.value(QLatin1String("content")).toArray();
    for (const QJsonValue &value : content) {
        const QJsonObject block = value.toObject();
        const QString type = block.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            text += block.value(QLatin1String("text")).toString();
        } else if (type == QLatin1String("thinking")) {
            reasoning += block.value(QLatin1String("thinking")).toString();
        } else if (type == QLatin1String("tool_use")) {
            const QJsonValue input = block.value(QLatin1String("input"));
            const QByteArray arguments =
                input.isObject() ? QJsonDocument(input.toObject()).toJson(QJsonDocument::Compact)
                                 : QByteArrayLiteral("{}");
            toolCalls.append(QJsonObject{
                {QStringLiteral("id"), block.value(QLatin1String("id"))},
                {QStringLiteral("type"), QStringLiteral("function")},
                {QStringLiteral("function"),
                 QJsonObject{{QStringLiteral("name"), block.value(QLatin1String("name"))},
                             {QStringLiteral("arguments"), QString::fromUtf8(arguments)}}},
            });
        }
    }

    QJsonObject out{{QStringLiteral("role"), QStringLiteral("assistant")}};
    out[QStringLiteral("content")] =
        (text.isEmpty() && !toolCalls.isEmpty()) ? QJsonValue() : QJsonValue(text);
    if (!toolCalls.isEmpty())
        out[QStringLiteral("tool_calls")] = toolCalls;
    if (!reasoning.isEmpty())
        out[QStringLiteral("reasoning_content")] = reasoning;

    const QString upstreamModel = message.value(QLatin1String("model")).toString();
    const QJsonObject choice{
        {QStringLiteral("index"), 0},
        {QStringLiteral("message"), out},
        {QStringLiteral("finish_reason"),
         finishReason(message.value(QLatin1String("stop_reason")).toString())},
    };
    const QJsonObject result{
        {QStringLiteral("id"), requestId},
        {QStringLiteral("object"), QStringLiteral("chat.completion")},
        {QStringLiteral("created"), created},
        {QStringLiteral("model"), upstreamModel.isEmpty() ? model : upstreamModel},
        {QStringLiteral("choices"), QJsonArray{choice}},
        {QStringLiteral("usage"), usage(message.value(QLatin1String("usage")).toObject())},
    };
    *completion = QJsonDocument(result).toJson(QJsonDocument::Compact);
    return true;
}

} // namespace portico
