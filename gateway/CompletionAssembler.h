#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

namespace portico {

// Builds one `chat.completion` from a sequence of `chat.completion.chunk` objects: content and
// reasoning concatenated, tool calls merged by index, finish reason and usage kept. Used for
// non-streaming clients of providers that stream, and to record what a stream said.
class CompletionAssembler
{
public:
    void add(const QByteArray &chunkJson);
    void add(const QJsonObject &chunk);

    bool isEmpty() const { return m_chunks == 0; }
    QJsonObject message() const; // {"role":"assistant","content":…,"tool_calls":[…]}
    QJsonObject usage() const { return m_usage; }
    QString finishReason() const { return m_finishReason; }
    QByteArray completionJson(const QString &fallbackId, const QString &fallbackModel,
                              qint64 fallbackCreated) const;

private:
    bool addCommon(QByteArrayView chunk); // false: not the common shape, parse it whole

    struct ToolCall
    {
        QString id;
        QString type = QStringLiteral("function");
        QString name;
        QString arguments;
    };
    int m_chunks = 0;
    QString m_id;
    QString m_model;
    qint64 m_created = 0;
    QString m_content;
    QString m_reasoning;
    bool m_sawContent = false;
    QMap<int, ToolCall> m_toolCalls;
    QString m_finishReason;
    QJsonObject m_usage;
    QJsonObject m_extra; // e.g. system_fingerprint
};

} // namespace portico
