#include "AnthropicStreamTranslator.h"

#include "AnthropicErrorMapper.h"
#include "AnthropicResponseTranslator.h"

#include <QJsonDocument>

namespace portico {

namespace {

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

} // namespace

AnthropicStreamTranslator::AnthropicStreamTranslator(const QString &requestId, qint64 created,
                                                     const QString &model, bool includeUsage)
    : m_builder(requestId, created, model)
    , m_includeUsage(includeUsage)
{}

void AnthropicStreamTranslator::feed(QByteArrayView bytes, QList<QByteArray> *chunks)
{
    if (m_state != State::Streaming)
        return;
    QList<SseEvent> events;
    const bool ok = m_parser.feed(bytes, &events);
    for (const SseEvent &event : std::as_const(events)) {
        if (m_state != State::Streaming)
            return;
        handleEvent(event, chunks);
    }
    if (!ok && m_state == State::Streaming)
        fail(ApiError::upstream(502, QStringLiteral("Anthropic sent an oversized stream event"),
                                "upstream_protocol"));
}

void AnthropicStreamTranslator::handleEvent(const SseEvent &event, QList<QByteArray> *chunks)
{
    if (m_state != State::Streaming)
        return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (!doc.isObject()) {
        fail(ApiError::upstream(502,
                                QStringLiteral("Anthropic sent a stream event that is not a JSON "
                                               "object (event \"%1\")")
                                    .arg(QString::fromUtf8(event.name)),
                                "upstream_protocol"));
        return;
    }
    const QJsonObject data = doc.object();
    QString type = str(data, "type");
    if (type.isEmpty())
        type = QString::fromUtf8(event.name);

    if (type == QLatin1String("message_start"))
        onMessageStart(data, chunks);
    else if (type == QLatin1String("content_block_start"))
        onBlockStart(data, chunks);
    else if (type == QLatin1String("content_block_delta"))
        onBlockDelta(data, chunks);
    else if (type == QLatin1String("content_block_stop"))
        onBlockStop(data, chunks);
    else if (type == QLatin1String("message_delta"))
        onMessageDelta(data, chunks);
    else if (type == QLatin1String("message_stop"))
        onMessageStop(chunks);
    else if (type == QLatin1String("error"))
        fail(AnthropicErrorMapper::fromStreamEvent(data));
    // ping and event types added later are ignored.
}

void AnthropicStreamTranslator::onMessageStart(const QJsonObject &event, QList<QByteArray> *chunks)
{
    const QJsonObject message = event.value(QLatin1String("message")).toObject();
    const QString model = str(message, "model");
    if (!model.isEmpty() && !m_sentRole) // every chunk of a stream names the same model
        m_builder = ChunkBuilder(m_builder.id(), m_builder.created(), model);
    m_usage = message.value(QLatin1String("usage")).toObject();
    ensureRole(chunks);
}

void AnthropicStreamTranslator::onBlockStart(const QJsonObject &event, QList<QByteArray> *chunks)
{
    const qint64 index = event.value(QLatin1String("index")).toInteger();
    const QJsonObject block = event.value(QLatin1String("content_block")).toObject();
    const QString type = str(block, "type");
    if (type == QLatin1String("text")) {
        ensureRole(chunks);
        const QString text = str(block, "text");
        if (!text.isEmpty())
            emitChunk(m_builder.content(text), chunks);
    } else if (type == QLatin1String("thinking")) {
        const QString thinking = str(block, "thinking");
        if (!thinking.isEmpty())
            emitChunk(m_builder.reasoning(thinking), chunks);
    } else if (type == QLatin1String("tool_use")) {
        const ToolBlock tool{m_nextToolIndex++, false};
        m_toolBlocks.insert(index, tool);
        emitChunk(
            m_builder.toolCall(tool.toolIndex, str(block, "id"), str(block, "name"), QString()),
            chunks);
    }
    // redacted_thinking, server tool blocks and unknown blocks carry nothing for the client.
}

void AnthropicStreamTranslator::onBlockDelta(const QJsonObject &event, QList<QByteArray> *chunks)
{
    const qint64 index = event.value(QLatin1String("index")).toInteger();
    const QJsonObject delta = event.value(QLatin1String("delta")).toObject();
    const QString type = str(delta, "type");
    if (type == QLatin1String("text_delta")) {
        const QString text = str(delta, "text");
        if (!text.isEmpty())
            emitChunk(m_builder.content(text), chunks);
    } else if (type == QLatin1String("thinking_delta")) {
        const QString thinking = str(delta, "thinking");
        if (!thinking.isEmpty())
            emitChunk(m_builder.reasoning(thinking), chunks);
    } else if (type == QLatin1String("input_json_delta")) {
        const auto it = m_toolBlocks.find(index);
        const QString partial = str(delta, "partial_json");
        if (it == m_toolBlocks.end() || partial.isEmpty())
            return;
        it->sentArguments = true;
        emitChunk(m_builder.toolCall(it->toolIndex, QString(), QString(), partial), chunks);
    }
    // signature_delta, citations_delta: nothing for the client.
}

void AnthropicStreamTranslator::onBlockStop(const QJsonObject &event, QList<QByteArray> *chunks)
{
    const auto it = m_toolBlocks.find(event.value(QLatin1String("index")).toInteger());
    if (it == m_toolBlocks.end())
        return;
    // A tool called without input streams no JSON at all; clients expect parseable arguments.
    if (!it->sentArguments)
        emitChunk(m_builder.toolCall(it->toolIndex, QString(), QString(), QStringLiteral("{}")),
                  chunks);
    m_toolBlocks.erase(it);
}

void AnthropicStreamTranslator::onMessageDelta(const QJsonObject &event, QList<QByteArray> *chunks)
{
    const QJsonObject usage = event.value(QLatin1String("usage")).toObject();
    for (auto it = usage.begin(); it != usage.end(); ++it) {
        if (!it.value().isNull())
            m_usage.insert(it.key(), it.value());
    }
    const QJsonValue stopReason =
        event.value(QLatin1String("delta")).toObject().value(QLatin1String("stop_reason"));
    if (stopReason.isString() && !m_sentFinish)
        emitFinish(AnthropicResponseTranslator::finishReason(stopReason.toString()), chunks);
}

void AnthropicStreamTranslator::onMessageStop(QList<QByteArray> *chunks)
{
    if (!m_sentFinish)
        emitFinish(QStringLiteral("stop"), chunks);
    if (m_includeUsage)
        chunks->append(m_builder.usage(AnthropicResponseTranslator::usage(m_usage)));
    m_state = State::Finished;
}

void AnthropicStreamTranslator::fail(const ApiError &error)
{
    m_error = error;
    m_state = State::Failed;
}

void AnthropicStreamTranslator::ensureRole(QList<QByteArray> *chunks)
{
    if (m_sentRole)
        return;
    m_sentRole = true;
    chunks->append(m_builder.role());
}

void AnthropicStreamTranslator::emitChunk(const QByteArray &chunk, QList<QByteArray> *chunks)
{
    ensureRole(chunks);
    chunks->append(chunk);
}

void AnthropicStreamTranslator::emitFinish(const QString &reason, QList<QByteArray> *chunks)
{
    m_sentFinish = true;
    emitChunk(m_builder.finish(reason), chunks);
}

} // namespace portico
