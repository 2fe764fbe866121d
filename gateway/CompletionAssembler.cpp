#include "CompletionAssembler.h"

#include <QJsonDocument>

namespace portico {

void CompletionAssembler::add(const QByteArray &chunkJson)
{
    add(QJsonDocument::fromJson(chunkJson).object());
}

void CompletionAssembler::add(const QJsonObject &chunk)
{
    ++m_chunks;
    if (m_id.isEmpty())
        m_id = chunk.value(QStringLiteral("id")).toString();
    if (m_model.isEmpty())
        m_model = chunk.value(QStringLiteral("model")).toString();
    if (!m_created)
        m_created = static_cast<qint64>(chunk.value(QStringLiteral("created")).toDouble());
    if (chunk.contains(QStringLiteral("system_fingerprint")))
        m_extra[QStringLiteral("system_fingerprint")] =
            chunk.value(QStringLiteral("system_fingerprint"));
    if (chunk.value(QStringLiteral("usage")).isObject())
        m_usage = chunk.value(QStringLiteral("usage")).toObject();

    const QJsonArray choices = chunk.value(QStringLiteral("choices")).toArray();
    for (const QJsonValue &c : choices) {
        const QJsonObject choice = c.toObject();
        if (choice.value(QStringLiteral("index")).toInt() != 0)
            continue; // n > 1 is assembled for the first choice only
        const QJsonObject delta = choice.value(QStringLiteral("delta")).toObject();
        const QJsonValue content = delta.value(QStringLiteral("content"));
        if (content.isString()) {
            m_content += content.toString();
            m_sawContent = true;
        }
        const QJsonValue reasoning = delta.value(QStringLiteral("reasoning_content"));
        if (reasoning.isString())
            m_reasoning += reasoning.toString();
        for (const QJsonValue &t : delta.value(QStringLiteral("tool_calls")).toArray()) {
            const QJsonObject call = t.toObject();
            ToolCall &tc = m_toolCalls[call.value(QStringLiteral("index")).toInt()];
            if (call.contains(QStringLiteral("id")))
                tc.id = call.value(QStringLiteral("id")).toString();
            if (call.contains(QStringLiteral("type")))
                tc.type = call.value(QStringLiteral("type")).toString();
            const QJsonObject function = call.value(QStringLiteral("function")).toObject();
            tc.name += function.value(QStringLiteral("name")).toString();
            tc.arguments += function.value(QStringLiteral("arguments")).toString();
        }
        const QJsonValue finish = choice.value(QStringLiteral("finish_reason"));
        if (finish.isString())
            m_finishReason = finish.toString();
    }
}

QJsonObject CompletionAssembler::message() const
{
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), m_sawContent || m_toolCalls.isEmpty()
                                                        ? QJsonValue(m_content)
                                                        : QJsonValue()}};
    if (!m_reasoning.isEmpty())
        message[QStringLiteral("reasoning_content")] = m_reasoning;
    if (!m_toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall &tc : m_toolCalls) {
            calls.append(QJsonObject{{QStringLiteral("id"), tc.id},
                                     {QStringLiteral("type"), tc.type},
                                     {QStringLiteral("function"),
                                      QJsonObject{{QStringLiteral("name"), tc.name},
                                                  {QStringLiteral("arguments"), tc.arguments}}}});
        }
        message[QStringLiteral("tool_calls")] = calls;
    }
    return message;
}

QByteArray CompletionAssembler::completionJson(const QString &fallbackId,
                                               const QString &fallbackModel,
                                               qint64 fallbackCreated) const
{
    QJsonObject out = m_extra;
    out[QStringLiteral("id")] = m_id.isEmpty() ? fallbackId : m_id;
    out[QStringLiteral("object")] = QStringLiteral("chat.completion");
    out[QStringLiteral("created")] = static_cast<double>(m_created ? m_created : fallbackCreated);
    out[QStringLiteral("model")] = m_model.isEmpty() ? fallbackModel : m_model;
    out[QStringLiteral("choices")] = QJsonArray{
        QJsonObject{{QStringLiteral("index"), 0},
                    {QStringLiteral("message"), message()},
                    {QStringLiteral("finish_reason"),
                     m_finishReason.isEmpty() ? QJsonValue() : QJsonValue(m_finishReason)}}};
    if (!m_usage.isEmpty())
        out[QStringLiteral("usage")] = m_usage;
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace portico
