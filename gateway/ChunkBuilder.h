#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace portico {

// Builds OpenAI `chat.completion.chunk` objects as compact JSON, for providers that translate
// another format (Anthropic events, CLI output, diagnostics) into OpenAI chunks. Every chunk
// carries the same `id`, `object`, `created` and `model`; the choice index is always 0.
//
//   role()                 "choices":[{"index":0,"delta":{"role":"assistant"},
//                                      "finish_reason":null}]
//   content("Hi")          … "delta":{"content":"Hi"} …
//   reasoning("…")         … "delta":{"reasoning_content":"…"} …
//   toolCall(0,id,name,"") … "delta":{"tool_calls":[{"index":0,"id":…,"type":"function",
//                                      "function":{"name":…,"arguments":""}}]} …
//   finish("stop")         … "delta":{},"finish_reason":"stop" …
//   usage(usageObject(…))  "choices":[],"usage":{…} (the stream_options.include_usage form)
class ChunkBuilder
{
public:
    ChunkBuilder() = default;
    ChunkBuilder(const QString &id, qint64 created, const QString &model);

    QString id() const { return m_id; }
    qint64 created() const { return m_created; }
    QString model() const { return m_model; }

    QByteArray role(const QString &role = QStringLiteral("assistant")) const;
    QByteArray content(const QString &text) const;
    QByteArray reasoning(const QString &text) const;
    // The first delta of a tool call passes its id and name; later ones pass empty strings and
    // only carry an `arguments` fragment.
    QByteArray toolCall(int index, const QString &callId, const QString &name,
                        const QString &argumentsFragment) const;
    QByteArray finish(const QString &reason) const;
    QByteArray usage(const QJsonObject &usage) const;

    // Any delta, for fields the helpers above do not cover (null finish_reason by default).
    QByteArray delta(const QJsonObject &delta,
                     const QJsonValue &finishReason = QJsonValue(QJsonValue::Null)) const;
    // {"id","object":"chat.completion.chunk","created","model"} without `choices`.
    QJsonObject envelope() const;

    // {"prompt_tokens","completion_tokens","total_tokens"} plus
    // prompt_tokens_details.cached_tokens and completion_tokens_details.reasoning_tokens when
    // those are known (>= 0).
    static QJsonObject usageObject(qint64 promptTokens, qint64 completionTokens,
                                   qint64 cachedTokens = -1, qint64 reasoningTokens = -1);

private:
    static QByteArray compact(const QJsonObject &object);

    QString m_id;
    qint64 m_created = 0;
    QString m_model;
};

} // namespace portico
