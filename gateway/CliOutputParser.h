#pragma once

#include "CliPresets.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringDecoder>

namespace portico {

// Turns a CLI's standard output, fed in pieces as it arrives, into normalized events. JSON
// formats are read a line at a time (a line may arrive split across reads); lines that are not
// JSON objects and event types it does not know are skipped. Plain text is passed on as it
// arrives, with UTF-8 sequences split across reads kept whole.
//
// What each format contributes:
// - claude stream-json: "assistant" message text blocks → Content, thinking blocks → Reasoning;
//   with --include-partial-messages, "stream_event" text/thinking deltas instead (the complete
//   "assistant" message that follows is then not repeated); "result" → Usage (input + cache
//   creation + cache read = prompt tokens, cache read = cached), and FatalError when is_error;
//   a result text is used as Content only if nothing else was said.
// - codex --json: item.completed agent_message → Content, reasoning → Reasoning;
//   turn.completed usage → Usage; turn.failed → FatalError; error → Error.
// - gemini stream-json: assistant "message" → Content; "result" stats → Usage, status "error"
//   → FatalError; "error" events → Error.
// Separate messages (a new claude message id, a new codex item, a non-delta gemini message) are
// joined with a blank line.
class CliOutputParser
{
public:
    struct Event
    {
        enum class Kind { Content, Reasoning, Usage, Error, FatalError };
        Kind kind = Kind::Content;
        QString text;      // Content, Reasoning, Error, FatalError
        QJsonObject usage; // Usage: an OpenAI usage object (ChunkBuilder::usageObject)
    };

    explicit CliOutputParser(CliOutputFormat format);

    QList<Event> feed(const QByteArray &data);
    // The end of the output: a last line without a newline is parsed too.
    QList<Event> finish();

private:
    void parseLine(const QByteArray &line, QList<Event> *out);
    void claudeEvent(const QJsonObject &event, QList<Event> *out);
    void codexEvent(const QJsonObject &event, QList<Event> *out);
    void geminiEvent(const QJsonObject &event, QList<Event> *out);
    void text(Event::Kind kind, const QString &text, QList<Event> *out);
    void startMessage(const QString &key);

    CliOutputFormat m_format;
    QByteArray m_line;
    QStringDecoder m_decoder{QStringDecoder::Utf8};
    QString m_messageKey; // the message or item the last text belonged to
    bool m_saidContent = false;
    bool m_saidReasoning = false;
    bool m_contentBreak = false; // a new message started: the next content begins a paragraph
    bool m_reasoningBreak = false;
    int m_turn = 0;                   // gemini: bumped by tool events and whole messages
    QSet<QString> m_streamedMessages; // claude message ids already streamed as deltas
};

} // namespace portico
