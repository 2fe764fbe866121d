#include "DiagnosticProvider.h"

#include "ChunkBuilder.h"

#include <QBasicTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimerEvent>

namespace portico {

namespace {

QString lastUserText(const QJsonObject &body)
{
    const QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages.at(i).toObject();
        if (m.value(QStringLiteral("role")).toString() != u"user")
            continue;
        const QJsonValue content = m.value(QStringLiteral("content"));
        if (content.isString())
            return content.toString();
        QString text;
        for (const QJsonValue &part : content.toArray()) {
            if (part.toObject().value(QStringLiteral("type")).toString() == u"text")
                text += part.toObject().value(QStringLiteral("text")).toString();
        }
        return text;
    }
    return {};
}

// Splits text into word-sized pieces, each keeping its trailing space, like a tokenizer would.
QStringList pieces(const QString &text)
{
    QStringList out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u' ' || text[i] == u'\n') {
            out << text.mid(start, i - start + 1);
            start = i + 1;
        }
    }
    if (start < text.size())
        out << text.mid(start);
    return out;
}

class DiagnosticCall : public ProviderCall
{
public:
    DiagnosticCall(const CallContext &context, int delayMs, QObject *parent)
        : ProviderCall(parent)
        , m_context(context)
        , m_chunks(context.requestId, context.created, context.upstreamModel)
        , m_delayMs(delayMs)
    {
        m_pieces = pieces(DiagnosticProvider::answerText(context));
        m_promptTokens = 0;
        for (const QJsonValue &m : context.body.value(QStringLiteral("messages")).toArray())
            m_promptTokens += 4 + static_cast<int>(QJsonDocument(m.toObject()).toJson().size() / 4);
    }

    void start() override { m_timer.start(0, this); }
    void abort() override
    {
        m_timer.stop();
        m_done = true;
    }

protected:
    void timerEvent(QTimerEvent *event) override
    {
        if (event->timerId() != m_timer.timerId() || m_done)
            return;
        if (!m_context.stream) {
            m_timer.stop();
            m_done = true;
            deliverCompletion(completionJson());
            deliverSucceeded();
            return;
        }
        if (m_next == 0)
            deliverChunk(
                m_chunks.delta(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                           {QStringLiteral("content"), QString()}}));
        if (m_next < m_pieces.size()) {
            deliverChunk(m_chunks.content(m_pieces.at(m_next++)));
            m_timer.start(m_delayMs, this);
            return;
        }
        m_timer.stop();
        m_done = true;
        deliverChunk(m_chunks.finish(QStringLiteral("stop")));
        if (m_context.includeUsage)
            deliverChunk(m_chunks.usage(usage()));
        deliverSucceeded();
    }

private:
    QJsonObject usage() const { return ChunkBuilder::usageObject(m_promptTokens, m_pieces.size()); }

    QByteArray completionJson() const
    {
        QJsonObject out = m_chunks.envelope();
        out[QStringLiteral("object")] = QStringLiteral("chat.completion");
        out[QStringLiteral("choices")] = QJsonArray{
            QJsonObject{{QStringLiteral("index"), 0},
                        {QStringLiteral("message"),
                         QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                     {QStringLiteral("content"), m_pieces.join(QString())}}},
                        {QStringLiteral("finish_reason"), QStringLiteral("stop")}}};
        out[QStringLiteral("usage")] = usage();
        return QJsonDocument(out).toJson(QJsonDocument::Compact);
    }

    CallContext m_context;
    ChunkBuilder m_chunks;
    int m_delayMs;
    QStringList m_pieces;
    int m_promptTokens = 0;
    qsizetype m_next = 0;
    bool m_done = false;
    QBasicTimer m_timer;
};

} // namespace

DiagnosticProvider::DiagnosticProvider(const QString &id, int chunkDelayMs)
    : m_id(id)
    , m_chunkDelayMs(chunkDelayMs)
{}

ProviderCall *DiagnosticProvider::createCall(const CallContext &context, QObject *parent) const
{
    return new DiagnosticCall(context, m_chunkDelayMs, parent);
}

QString DiagnosticProvider::answerText(const CallContext &context)
{
    QString said = lastUserText(context.body).simplified();
    if (said.size() > 200)
        said = said.left(200) + QStringLiteral("…");
    return QStringLiteral(
               "Hello from Portico. Your request reached the gateway and was answered by the "
               "built-in diagnostic agent, which works offline.\n"
               "Agent: %1. Session: %2. Model: %3.\n"
               "You said: \"%4\"\n"
               "To answer with a real model, add a provider (for example "
               "{\"type\": \"openai\", \"baseUrl\": \"http://127.0.0.1:11434/v1\", \"models\": "
               "[\"llama3.2\"]} for Ollama) and point agent \"main\" at it, in the settings "
               "window or in portico.json.")
        .arg(context.agentId.isEmpty() ? QStringLiteral("main") : context.agentId,
             context.sessionKey, context.upstreamModel, said);
}

} // namespace portico
