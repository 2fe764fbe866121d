#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace portico {

// One finished request as the session log stores it: one JSON object per line. A value type;
// content (requestMessages, response) is present only when the log keeps content.
struct LogRecord
{
    struct Usage
    {
        qint64 promptTokens = -1; // -1: unknown
        qint64 completionTokens = -1;
        qint64 totalTokens = -1;

        bool isKnown() const
        {
            return promptTokens >= 0 || completionTokens >= 0 || totalTokens >= 0;
        }
        bool operator==(const Usage &) const = default;
    };

    qint64 time = 0; // ms since the epoch (UTC), when the request started
    QString requestId;
    QString sessionKey;
    QString agent;
    QString provider;
    QString upstreamModel;
    QString clientTokenName; // the token's name, never the token
    int status = 0;          // HTTP status sent to the client
    QString error;           // the error message, empty on success
    qint64 latencyMs = -1;   // -1: unknown
    qint64 ttftMs = -1;      // time to first token, -1: unknown or not streamed
    Usage usage;
    bool stream = false;
    QJsonArray requestMessages; // the request's `messages`, only if content is kept
    // The same content as JSON text, when the producer has it (the client's own bytes, the
    // upstream's message): written as it is instead of serialising the values above.
    QByteArray rawRequestMessages;
    QByteArray rawResponse;
    QJsonObject response; // the assembled assistant message (content, reasoning_content,
                          // tool_calls), only if content is kept

    bool hasContent() const
    {
        return !requestMessages.isEmpty() || !response.isEmpty() || !rawRequestMessages.isEmpty() ||
               !rawResponse.isEmpty();
    }
    void dropContent();

    // The text of the last "user" message (string content, or its text parts joined by spaces).
    QString lastUserText() const;

    QJsonObject toJson() const;
    // Compact JSON and a final '\n': one line of the log.
    // The same object as toJson(), compact, with a final '\n': written by hand (this runs for
    // every request) to the byte what QJsonDocument would write. Without content if !withContent.
    QByteArray toJsonLine(bool withContent = true) const;
    // False if `json` is not a log record (no numeric "time"). Unknown keys are ignored.
    static bool fromJson(const QJsonObject &json, LogRecord *out);
    static bool fromJsonLine(const QByteArray &line, LogRecord *out);

    bool operator==(const LogRecord &) const = default;
};

} // namespace portico
