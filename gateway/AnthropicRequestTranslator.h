#pragma once

#include "ApiError.h"

#include <QJsonObject>
#include <QString>

namespace portico {

struct AnthropicRequestOptions
{
    QString model; // the upstream model; empty: the request's own `model`
    int defaultMaxTokens =
        4096; // when the request sets neither max_completion_tokens nor max_tokens
    bool stream = false;
};

// Turns an OpenAI chat-completions request body into an Anthropic Messages API request body:
// system and developer messages → `system`; consecutive turns of one role merged; image parts →
// image blocks; assistant tool_calls → tool_use blocks; tool messages → tool_result blocks in a
// user turn (ids preserved); max tokens, temperature, top_p, stop, tools, tool_choice,
// parallel_tool_calls and user mapped. Fields Anthropic has no use for are dropped.
class AnthropicRequestTranslator
{
public:
    // Returns false and sets `error` (400, naming the offending param) for a request that cannot
    // be translated.
    static bool translate(const QJsonObject &request, const AnthropicRequestOptions &options,
                          QJsonObject *out, ApiError *error);
};

} // namespace portico
