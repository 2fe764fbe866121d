#pragma once

#include "ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace portico {

// Turns a non-streaming Anthropic Messages API answer into an OpenAI `chat.completion`, and holds
// the mappings the stream translator shares with it.
class AnthropicResponseTranslator
{
public:
    // end_turn, stop_sequence, pause_turn and null → "stop"; max_tokens and
    // model_context_window_exceeded → "length"; tool_use → "tool_calls"; refusal →
    // "content_filter"; anything else → "stop".
    static QString finishReason(const QString &stopReason);

    // Anthropic usage → OpenAI usage. prompt_tokens counts cache reads and writes too (Anthropic's
    // input_tokens does not); cache reads are also under prompt_tokens_details.cached_tokens.
    static QJsonObject usage(const QJsonObject &anthropicUsage);

    // `body` is the upstream's JSON message. `model` is used when the message names none.
    // Returns false and sets `error` (502) when the body is not a message.
    static bool toCompletion(const QByteArray &body, const QString &requestId, qint64 created,
                             const QString &model, QByteArray *completion, ApiError *error);
};

} // namespace portico
