#pragma once

#include "ApiError.h"

#include <QJsonObject>
#include <QJsonValue>

namespace portico {

// Turns an OpenAI `messages` array into Anthropic's `messages` and `system`: system and developer
// messages → `system` (a string, or text blocks when one carries cache_control); consecutive
// turns of one role merged; text and image_url parts → text and image blocks (data URIs → base64
// sources, http(s) URLs → url sources); assistant tool_calls → tool_use blocks (arguments parsed
// to `input`); tool messages → tool_result blocks in a user turn, ids preserved and placed before
// the turn's other blocks. Empty text is dropped (Anthropic refuses empty text blocks).
class AnthropicMessageTranslator
{
public:
    // Sets out["messages"] and, when there is one, out["system"]. Returns false and sets `error`
    // (400, naming the offending param such as messages[2].tool_calls[0].function.arguments).
    static bool translate(const QJsonValue &messages, QJsonObject *out, ApiError *error);
};

} // namespace portico
