#include "CompletionAssembler.h"

#include "JsonSplice.h"

#include <QJsonDocument>

namespace portico {

namespace {

// The text of a JSON string literal (quotes included). Escapes are rare in a token or two of
// text: those go through QJsonDocument.
bool decodeString(QByteArrayView literal, QString *out)
{
    if (literal.size() < 2 || !literal.startsWith('"') || !literal.endsWith('"'))
        return false;
    const QByteArrayView inner = literal.sliced(1, literal.size() - 2);
    if (!inner.contains('\\')) {
        *out = QString::fromUtf8(inner);
        return true;
    }
    const QJsonDocument doc = QJsonDocument::fromJson("[" + literal.toByteArray() + "]");
    if (!doc.isArray() || !doc.array().at(0).isString())
        return false;
    *out = doc.array().at(0).toString();
    return true;
}

} // namespace

void CompletionAssembler::add(const QByteArray &chunkJson)
{
    if (addCommon(chunkJson))
        return;
    add(QJsonDocument::fromJson(chunkJson).object());
}

// Most chunks of a stream after the first are alike: one choice whose delta holds a piece of
// content (or nothing), perhaps a finish reason, no usage. Those are read straight off the
// bytes; anything else (the first chunk, tool calls, reasoning, usage, several choices) is
// parsed as a document. A record of a 200-chunk stream costs a few microseconds rather than 200
// document parses. Only broken input reads differently: a chunk that is not valid JSON is
// dropped by the document parser but may lend its content here, and of duplicate keys the first
// counts here, the last there.
bool CompletionAssembler::addCommon(QByteArrayView chunk)
{
    using namespace JsonSplice;
    if (m_id.isEmpty() || m_model.isEmpty() || !m_created)
        return false;
    std::optional<QByteArrayView> top[3]; // choices, usage, system_fingerprint
    if (!objectValues(chunk, {"choices", "usage", "system_fingerprint"}, top) || !top[0])
        return false;
    if (top[1] && *top[1] != "null")
        return false;
    if (top[2]) {
        // Kept as the last chunk says: the common case is the same fingerprint every time.
        const QJsonValue known = m_extra.value(QLatin1String("system_fingerprint"));
        QString fingerprint;
        const bool same = *top[2] == "null"
                              ? known.isNull()
                              : known.isString() && decodeString(*top[2], &fingerprint) &&
                                    fingerprint == known.toString();
        if (!same)
            return false;
    }
    const QByteArrayView choices = *top[0];
    const auto choice = arrayElement(choices, 0);
    if (!choice)
        return false;
    const qsizetype afterChoice = choice->data() + choice->size() - choices.data();
    if (choices.sliced(afterChoice).trimmed() != "]")
        return false;                        // several choices
    std::optional<QByteArrayView> fields[3]; // index, delta, finish_reason
    if (!objectValues(*choice, {"index", "delta", "finish_reason"}, fields) || !fields[1] ||
        (fields[0] && *fields[0] != "0"))
        return false;
    std::optional<QByteArrayView> delta[3]; // content, tool_calls, reasoning_content
    if (!objectValues(*fields[1], {"content", "tool_calls", "reasoning_content"}, delta) ||
        delta[1] || delta[2])
        return false;
    QString content;
    const bool hasContent = delta[0] && *delta[0] != "null";
    if (hasContent && !decodeString(*delta[0], &content))
        return false;
    QString finish;
    const bool hasFinish = fields[2] && *fields[2] != "null";
    if (hasFinish && !decodeString(*fields[2], &finish))
        return false;
    ++m_chunks;
    if (hasContent) {
        m_content += content;
        m_sawContent = true;
    }
    if (hasFinish)
        m_finishReason = finish;
    return true;
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
