#include "CliOutputParser.h"

#include "ChunkBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace portico {

namespace {

using Kind = CliOutputParser::Event::Kind;

qint64 tokens(const QJsonObject &object, const QString &key)
{
    return object.value(key).toInteger(0);
}

CliOutputParser::Event event(Kind kind, const QString &text)
{
    CliOutputParser::Event e;
    e.kind = kind;
    e.text = text;
    return e;
}

CliOutputParser::Event usageEvent(const QJsonObject &usage)
{
    CliOutputParser::Event e;
    e.kind = Kind::Usage;
    e.usage = usage;
    return e;
}

bool isSubagent(const QJsonObject &event)
{
    const QJsonValue parent = event.value(QStringLiteral("parent_tool_use_id"));
    return parent.isString() && !parent.toString().isEmpty();
}

} // namespace

CliOutputParser::CliOutputParser(CliOutputFormat format)
    : m_format(format)
{}

QList<CliOutputParser::Event> CliOutputParser::feed(const QByteArray &data)
{
    QList<Event> out;
    if (m_format == CliOutputFormat::Text) {
        const QString decoded = m_decoder.decode(data);
        if (!decoded.isEmpty())
            out.append(event(Kind::Content, decoded));
        return out;
    }
    qsizetype start = 0;
    while (true) {
        const qsizetype newline = data.indexOf('\n', start);
        if (newline < 0)
            break;
        if (m_line.isEmpty()) {
            parseLine(data.mid(start, newline - start), &out);
        } else {
            m_line.append(data.constData() + start, newline - start);
            parseLine(m_line, &out);
            m_line.clear();
        }
        start = newline + 1;
    }
    m_line.append(data.constData() + start, data.size() - start);
    return out;
}

QList<CliOutputParser::Event> CliOutputParser::finish()
{
    QList<Event> out;
    if (m_format == CliOutputFormat::Text) {
        const QString rest = m_decoder.decode(QByteArray());
        if (!rest.isEmpty())
            out.append(event(Kind::Content, rest));
        return out;
    }
    if (!m_line.isEmpty())
        parseLine(m_line, &out);
    m_line.clear();
    return out;
}

void CliOutputParser::parseLine(const QByteArray &line, QList<Event> *out)
{
    const QByteArray trimmed = line.trimmed();
    if (!trimmed.startsWith('{'))
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return;
    switch (m_format) {
    case CliOutputFormat::ClaudeStreamJson:
        claudeEvent(doc.object(), out);
        break;
    case CliOutputFormat::CodexJson:
        codexEvent(doc.object(), out);
        break;
    case CliOutputFormat::GeminiStreamJson:
        geminiEvent(doc.object(), out);
        break;
    case CliOutputFormat::Text:
        break;
    }
}

void CliOutputParser::startMessage(const QString &key)
{
    if (key == m_messageKey && !key.isEmpty())
        return;
    m_messageKey = key;
    m_contentBreak = m_saidContent;
    m_reasoningBreak = m_saidReasoning;
}

void CliOutputParser::text(Kind kind, const QString &piece, QList<Event> *out)
{
    if (piece.isEmpty())
        return;
    bool &pendingBreak = kind == Kind::Content ? m_contentBreak : m_reasoningBreak;
    (kind == Kind::Content ? m_saidContent : m_saidReasoning) = true;
    if (pendingBreak) {
        pendingBreak = false;
        out->append(event(kind, QStringLiteral("\n\n") + piece));
        return;
    }
    out->append(event(kind, piece));
}

void CliOutputParser::claudeEvent(const QJsonObject &e, QList<Event> *out)
{
    const QString type = e.value(QStringLiteral("type")).toString();
    if (isSubagent(e))
        return;
    if (type == QLatin1String("stream_event")) {
        const QJsonObject inner = e.value(QStringLiteral("event")).toObject();
        const QString innerType = inner.value(QStringLiteral("type")).toString();
        if (innerType == QLatin1String("message_start")) {
            const QString id = inner.value(QStringLiteral("message"))
                                   .toObject()
                                   .value(QStringLiteral("id"))
                                   .toString();
            startMessage(id);
            if (!id.isEmpty())
                m_streamedMessages.insert(id);
        } else if (innerType == QLatin1String("content_block_delta")) {
            const QJsonObject delta = inner.value(QStringLiteral("delta")).toObject();
            const QString deltaType = delta.value(QStringLiteral("type")).toString();
            if (deltaType == QLatin1String("text_delta"))
                text(Kind::Content, delta.value(QStringLiteral("text")).toString(), out);
            else if (deltaType == QLatin1String("thinking_delta"))
                text(Kind::Reasoning, delta.value(QStringLiteral("thinking")).toString(), out);
        }
        return;
    }
    if (type == QLatin1String("assistant")) {
        const QJsonObject message = e.value(QStringLiteral("message")).toObject();
        const QString id = message.value(QStringLiteral("id")).toString();
        if (!id.isEmpty() && m_streamedMessages.contains(id))
            return;
        startMessage(id);
        for (const QJsonValue &blockValue : message.value(QStringLiteral("content")).toArray()) {
            const QJsonObject block = blockValue.toObject();
            const QString blockType = block.value(QStringLiteral("type")).toString();
            if (blockType == QLatin1String("text"))
                text(Kind::Content, block.value(QStringLiteral("text")).toString(), out);
            else if (blockType == QLatin1String("thinking"))
                text(Kind::Reasoning, block.value(QStringLiteral("thinking")).toString(), out);
        }
        return;
    }
    if (type == QLatin1String("result")) {
        const QJsonObject usage = e.value(QStringLiteral("usage")).toObject();
        if (!usage.isEmpty()) {
            const qint64 cacheRead = tokens(usage, QStringLiteral("cache_read_input_tokens"));
            const qint64 prompt = tokens(usage, QStringLiteral("input_tokens")) +
                                  tokens(usage, QStringLiteral("cache_creation_input_tokens")) +
                                  cacheRead;
            out->append(usageEvent(ChunkBuilder::usageObject(
                prompt, tokens(usage, QStringLiteral("output_tokens")), cacheRead)));
        }
        const QString result = e.value(QStringLiteral("result")).toString();
        if (e.value(QStringLiteral("is_error")).toBool()) {
            QString message = result;
            if (message.isEmpty()) {
                QStringList errors;
                for (const QJsonValue &v : e.value(QStringLiteral("errors")).toArray())
                    errors.append(
                        v.isString()
                            ? v.toString()
                            : QString::fromUtf8(
                                  QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
                message = errors.join(QStringLiteral("; "));
            }
            if (message.isEmpty())
                message = e.value(QStringLiteral("subtype")).toString();
            out->append(event(Kind::FatalError, message));
        } else if (!m_saidContent) {
            text(Kind::Content, result, out);
        }
    }
}

void CliOutputParser::codexEvent(const QJsonObject &e, QList<Event> *out)
{
    const QString type = e.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("item.completed")) {
        const QJsonObject item = e.value(QStringLiteral("item")).toObject();
        const QString itemType = item.value(QStringLiteral("type")).toString();
        const QString id = item.value(QStringLiteral("id")).toString();
        if (itemType == QLatin1String("agent_message")) {
            startMessage(id);
            text(Kind::Content, item.value(QStringLiteral("text")).toString(), out);
        } else if (itemType == QLatin1String("reasoning")) {
            startMessage(id);
            text(Kind::Reasoning, item.value(QStringLiteral("text")).toString(), out);
        } else if (itemType == QLatin1String("error")) {
            out->append(event(Kind::Error, item.value(QStringLiteral("message")).toString()));
        }
    } else if (type == QLatin1String("turn.completed")) {
        const QJsonObject usage = e.value(QStringLiteral("usage")).toObject();
        out->append(usageEvent(
            ChunkBuilder::usageObject(tokens(usage, QStringLiteral("input_tokens")),
                                      tokens(usage, QStringLiteral("output_tokens")),
                                      tokens(usage, QStringLiteral("cached_input_tokens")))));
    } else if (type == QLatin1String("turn.failed")) {
        QString message =
            e.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        out->append(
            event(Kind::FatalError, message.isEmpty() ? QStringLiteral("turn failed") : message));
    } else if (type == QLatin1String("error")) {
        out->append(event(Kind::Error, e.value(QStringLiteral("message")).toString()));
    }
}

void CliOutputParser::geminiEvent(const QJsonObject &e, QList<Event> *out)
{
    const QString type = e.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("message")) {
        if (e.value(QStringLiteral("role")).toString() != QLatin1String("assistant"))
            return;
        const bool delta = e.value(QStringLiteral("delta")).toBool();
        if (!delta)
            ++m_turn;
        startMessage(QStringLiteral("turn-%1").arg(m_turn));
        text(Kind::Content, e.value(QStringLiteral("content")).toString(), out);
        if (!delta)
            ++m_turn;
    } else if (type == QLatin1String("tool_use") || type == QLatin1String("tool_result")) {
        ++m_turn;
    } else if (type == QLatin1String("result")) {
        const QJsonObject stats = e.value(QStringLiteral("stats")).toObject();
        if (!stats.isEmpty()) {
            const qint64 cached = stats.contains(QStringLiteral("cached"))
                                      ? tokens(stats, QStringLiteral("cached"))
                                      : -1;
            out->append(usageEvent(
                ChunkBuilder::usageObject(tokens(stats, QStringLiteral("input_tokens")),
                                          tokens(stats, QStringLiteral("output_tokens")), cached)));
        }
        if (e.value(QStringLiteral("status")).toString() == QLatin1String("error")) {
            const QString message = e.value(QStringLiteral("error"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toString();
            out->append(event(Kind::FatalError, message.isEmpty()
                                                    ? QStringLiteral("gemini reported an error")
                                                    : message));
        }
    } else if (type == QLatin1String("error")) {
        out->append(event(Kind::Error, e.value(QStringLiteral("message")).toString()));
    }
}

} // namespace portico
