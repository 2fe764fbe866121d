#pragma once

#include <QByteArray>
#include <QUrl>

namespace portico {

// What every call of one Anthropic provider shares. Immutable once the provider is built.
struct AnthropicSettings
{
    QUrl messagesUrl;                     // <baseUrl>/v1/messages
    QByteArray apiKey;                    // sent as x-api-key
    QByteArray version = "2023-06-01";    // sent as anthropic-version
    int defaultMaxTokens = 4096;          // when the client sets no max tokens
    qint64 maxResponseBytes = 64LL << 20; // a non-streaming answer beyond this fails (502)
};

} // namespace portico
