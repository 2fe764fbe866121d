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
        // From an OpenAI usage object: a count that is missing or not a number stays -1.
        static Usage fromJson(const QJsonObject &usage);
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
    // A relayed non-streamed answer: the upstream's whole chat.completion, as it came. Its
    // message (choices[0].message) and usage are read out of it by readCompletion(), which the
    // SessionLog calls on its own thread, so that the request's thread only shares the bytes.
    QByteArray rawCompletion;
    QJsonObject response; // the assembled assistant message (content, reasoning_content,
                          // tool_calls), only if content is kept

    bool hasContent() const
    {
        return !requestMessages.isEmpty() || !response.isEmpty() || !rawRequestMessages.isEmpty() ||
               !rawResponse.isEmpty() || !rawCompletion.isEmpty();
    }
    // Sets rawResponse (or response) and usage from rawCompletion, and clears it; nothing if it
    // is empty. A completion without a usable message gives no response (a usage it holds counts).
    void readCompletion();
    // Reads the completion first (its usage stays), then clears every content field.
    void dropContent();

    // The text of the last "user" message (string content, or its text parts joined by spaces).
    QString lastUserText() const;

    // Both read an unread rawCompletion as readCompletion() would (on a copy).
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
