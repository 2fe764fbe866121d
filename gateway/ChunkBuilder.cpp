#include "ChunkBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace portico {

ChunkBuilder::ChunkBuilder(const QString &id, qint64 created, const QString &model)
    : m_id(id)
    , m_created(created)
    , m_model(model)
{}

QJsonObject ChunkBuilder::envelope() const
{
    return QJsonObject{
        {QStringLiteral("id"), m_id},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("created"), m_created},
        {QStringLiteral("model"), m_model},
    };
}

QByteArray ChunkBuilder::compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray ChunkBuilder::delta(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    QJsonObject choice{
        {QStringLiteral("index"), 0},
        {QStringLiteral("delta"), delta},
        {QStringLiteral("finish_reason"), finishReason},
    };
    QJsonObject chunk = envelope();
    chunk.insert(QStringLiteral("choices"), QJsonArray{choice});
    return compact(chunk);
}

QByteArray ChunkBuilder::role(const QString &role) const
{
    return delta(QJsonObject{{QStringLiteral("role"), role}});
}

QByteArray ChunkBuilder::content(const QString &text) const
{
    return delta(QJsonObject{{QStringLiteral("content"), text}});
}

QByteArray ChunkBuilder::reasoning(const QString &text) const
{
    return delta(QJsonObject{{QStringLiteral("reasoning_content"), text}});
}

QByteArray ChunkBuilder::toolCall(int index, const QString &callId, const QString &name,
                                  const QString &argumentsFragment) const
{
    QJsonObject function{{QStringLiteral("arguments"), argumentsFragment}};
    if (!name.isEmpty())
        function.insert(QStringLiteral("name"), name);
    QJsonObject call{
        {QStringLiteral("index"), index},
        {QStringLiteral("function"), function},
    };
    if (!callId.isEmpty()) {
        call.insert(QStringLiteral("id"), callId);
        call.insert(QStringLiteral("type"), QStringLiteral("function"));
    }
    return delta(QJsonObject{{QStringLiteral("tool_calls"), QJsonArray{call}}});
}

QByteArray ChunkBuilder::finish(const QString &reason) const
{
    return delta(QJsonObject{}, reason);
}

QByteArray ChunkBuilder::usage(const QJsonObject &usage) const
{
    QJsonObject chunk = envelope();
    chunk.insert(QStringLiteral("choices"), QJsonArray{});
    chunk.insert(QStringLiteral("usage"), usage);
    return compact(chunk);
}

QJsonObject ChunkBuilder::usageObject(qint64 promptTokens, qint64 completionTokens,
                                      qint64 cachedTokens, qint64 reasoningTokens)
{
    QJsonObject usage{
        {QStringLiteral("prompt_tokens"), promptTokens},
        {QStringLiteral("completion_tokens"), completionTokens},
        {QStringLiteral("total_tokens"), promptTokens + completionTokens},
    };
    if (cachedTokens >= 0)
        usage.insert(QStringLiteral("prompt_tokens_details"),
                     QJsonObject{{QStringLiteral("cached_tokens"), cachedTokens}});
    if (reasoningTokens >= 0)
        usage.insert(QStringLiteral("completion_tokens_details"),
                     QJsonObject{{QStringLiteral("reasoning_tokens"), reasoningTokens}});
    return usage;
}

} // namespace portico
