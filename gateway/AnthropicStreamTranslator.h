#pragma once

#include "ApiError.h"
#include "ChunkBuilder.h"
#include "SseParser.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace portico {

// Turns an Anthropic Messages API event stream into OpenAI `chat.completion.chunk` JSON, fed the
// raw body bytes as they arrive (split anywhere). Tool calls are numbered across tool calls only
// (0, 1, 2 …), not by Anthropic's content block index.
class AnthropicStreamTranslator
{
public:
    enum class State { Streaming, Finished, Failed };

    AnthropicStreamTranslator(const QString &requestId, qint64 created, const QString &model,
                              bool includeUsage);

    // Consumes body bytes; appends the chunks they complete to `chunks`. Input after the stream
    // finished or failed is ignored.
    void feed(QByteArrayView bytes, QList<QByteArray> *chunks);
    // One decoded event; feed() calls this for every event it completes.
    void handleEvent(const SseEvent &event, QList<QByteArray> *chunks);

    // Finished: message_stop arrived. Failed: an `error` event or a malformed stream; see error().
    State state() const { return m_state; }
    const ApiError &error() const { return m_error; }

private:
    struct ToolBlock
    {
        int toolIndex = 0;
        bool sentArguments = false;
    };

    void onMessageStart(const QJsonObject &event, QList<QByteArray> *chunks);
    void onBlockStart(const QJsonObject &event, QList<QByteArray> *chunks);
    void onBlockDelta(const QJsonObject &event, QList<QByteArray> *chunks);
    void onBlockStop(const QJsonObject &event, QList<QByteArray> *chunks);
    void onMessageDelta(const QJsonObject &event, QList<QByteArray> *chunks);
    void onMessageStop(QList<QByteArray> *chunks);
    void fail(const ApiError &error);

    void ensureRole(QList<QByteArray> *chunks);
    void emitChunk(const QByteArray &chunk, QList<QByteArray> *chunks); // after the role chunk
    void emitFinish(const QString &reason, QList<QByteArray> *chunks);

    SseParser m_parser;
    ChunkBuilder m_builder;
    bool m_includeUsage = false;
    State m_state = State::Streaming;
    ApiError m_error;
    bool m_sentRole = false;
    bool m_sentFinish = false;
    int m_nextToolIndex = 0;
    QHash<qint64, ToolBlock> m_toolBlocks; // by Anthropic content block index
    QJsonObject m_usage;                   // Anthropic usage, merged as it is reported
};

} // namespace portico
