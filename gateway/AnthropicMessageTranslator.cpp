#include "AnthropicMessageTranslator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace portico {

namespace {

QString at(const QString &param, qsizetype index)
{
    return param + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

QJsonObject textBlock(const QString &text, const QJsonObject &part = {})
{
    QJsonObject block{{QStringLiteral("type"), QStringLiteral("text")},
                      {QStringLiteral("text"), text}};
    // OpenAI-compatible clients that target Anthropic put cache_control on text parts.
    const QJsonValue cacheControl = part.value(QLatin1String("cache_control"));
    if (cacheControl.isObject())
        block[QStringLiteral("cache_control")] = cacheControl;
    return block;
}

class Translation
{
public:
    explicit Translation(ApiError *error)
        : m_error(error)
    {}

    bool messages(const QJsonValue &value, QJsonObject *out);

private:
    bool fail(const QString &param, const QString &problem)
    {
        *m_error = ApiError::invalidRequest(
            QLatin1Char('\'') + param + QStringLiteral("' ") + problem, param);
        return false;
    }
    // Text parts (and, for assistants, refusal parts) of a message → text blocks.
    bool textBlocks(const QJsonValue &content, const QString &param, bool allowRefusal,
                    QJsonArray *blocks);
    bool userBlocks(const QJsonValue &content, const QString &param, QJsonArray *blocks);
    bool imageBlock(const QJsonObject &part, const QString &param, QJsonArray *blocks);
    bool toolUseBlocks(const QJsonValue &toolCalls, const QString &param, QJsonArray *blocks);
    void appendTurn(const QString &role, const QJsonArray &blocks);

    ApiError *m_error;
    QJsonArray m_turns;
    QJsonArray m_system;
};

bool Translation::textBlocks(const QJsonValue &content, const QString &param, bool allowRefusal,
                             QJsonArray *blocks)
{
    if (content.isNull() || content.isUndefined())
        return true;
    if (content.isString()) {
        if (!content.toString().isEmpty())
            blocks->append(textBlock(content.toString()));
        return true;
    }
    if (!content.isArray())
        return fail(param, QStringLiteral("must be a string or an array of content parts"));
    const QJsonArray parts = content.toArray();
    for (qsizetype j = 0; j < parts.size(); ++j) {
        const QJsonObject part = parts.at(j).toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        const QString key = (allowRefusal && type == QLatin1String("refusal"))
                                ? QStringLiteral("refusal")
                                : QStringLiteral("text");
        if (type != key)
            return fail(at(param, j) + QStringLiteral(".type"),
                        QStringLiteral("must be \"text\" here"));
        const QJsonValue text = part.value(key);
        if (!text.isString())
            return fail(at(param, j) + QLatin1Char('.') + key, QStringLiteral("must be a string"));
        if (!text.toString().isEmpty())
            blocks->append(textBlock(text.toString(), part));
    }
    return true;
}

bool Translation::imageBlock(const QJsonObject &part, const QString &param, QJsonArray *blocks)
{
    const QJsonValue imageUrl = part.value(QLatin1String("image_url"));
    const QString url = imageUrl.isString()
                            ? imageUrl.toString()
                            : imageUrl.toObject().value(QLatin1String("url")).toString();
    const QString urlParam = param + QStringLiteral(".image_url.url");
    QJsonObject source;
    if (url.startsWith(QLatin1String("data:"))) {
        const qsizetype comma = url.indexOf(QLatin1Char(','));
        const QString header = url.mid(5, comma - 5);
        QStringList params = header.split(QLatin1Char(';'));
        const QString mediaType = params.takeFirst().trimmed().toLower();
        static const QStringList kMediaTypes{
            QStringLiteral("image/jpeg"), QStringLiteral("image/png"), QStringLiteral("image/gif"),
            QStringLiteral("image/webp")};
        if (comma < 0 || !params.contains(QLatin1String("base64")))
            return fail(urlParam, QStringLiteral("must be a base64 data URI or an http(s) URL"));
        if (!kMediaTypes.contains(mediaType))
            return fail(urlParam, QStringLiteral("has media type \"%1\"; Anthropic accepts "
                                                 "image/jpeg, image/png, image/gif and image/webp")
                                      .arg(mediaType));
        source = {{QStringLiteral("type"), QStringLiteral("base64")},
                  {QStringLiteral("media_type"), mediaType},
                  {QStringLiteral("data"), url.mid(comma + 1)}};
    } else if (url.startsWith(QLatin1String("https://")) ||
               url.startsWith(QLatin1String("http://"))) {
        source = {{QStringLiteral("type"), QStringLiteral("url")}, {QStringLiteral("url"), url}};
    } else {
        return fail(urlParam, QStringLiteral("must be a base64 data URI or an http(s) URL"));
    }
    blocks->append(QJsonObject{{QStringLiteral("type"), QStringLiteral("image")},
                               {QStringLiteral("source"), source}});
    return true;
}

bool Translation::userBlocks(const QJsonValue &content, const QString &param, QJsonArray *blocks)
{
    if (!content.isArray())
        return textBlocks(content, param, false, blocks);
    const QJsonArray parts = content.toArray();
    for (qsizetype j = 0; j < parts.size(); ++j) {
        const QJsonObject part = parts.at(j).toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        if (type == QLatin1String("image_url")) {
            if (!imageBlock(part, at(param, j), blocks))
                return false;
        } else if (type == QLatin1String("text")) {
            if (!textBlocks(QJsonArray{part}, at(param, j), false, blocks))
                return false;
        } else {
            return fail(at(param, j) + QStringLiteral(".type"),
                        QStringLiteral("\"%1\" is not supported by Anthropic providers; use "
                                       "\"text\" or \"image_url\"")
                            .arg(type));
        }
    }
    return true;
}

bool Translation::toolUseBlocks(const QJsonValue &toolCalls, const QString &param,
                                QJsonArray *blocks)
{
    if (toolCalls.isNull() || toolCalls.isUndefined())
        return true;
    if (!toolCalls.isArray())
        return fail(param, QStringLiteral("must be an array"));
    const QJsonArray calls = toolCalls.toArray();
    for (qsizetype j = 0; j < calls.size(); ++j) {
        const QString p = at(param, j);
        const QJsonObject call = calls.at(j).toObject();
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        const QString id = call.value(QLatin1String("id")).toString();
        const QString name = function.value(QLatin1String("name")).toString();
        if (id.isEmpty())
            return fail(p + QStringLiteral(".id"), QStringLiteral("must be a non-empty string"));
        if (name.isEmpty())
            return fail(p + QStringLiteral(".function.name"),
                        QStringLiteral("must be a non-empty string"));
        const QJsonValue arguments = function.value(QLatin1String("arguments"));
        QJsonObject input;
        if (arguments.isObject()) {
            input = arguments.toObject();
        } else if (arguments.isString() && !arguments.toString().trimmed().isEmpty()) {
            QJsonParseError parseError;
            const QJsonDocument doc =
                QJsonDocument::fromJson(arguments.toString().toUtf8(), &parseError);
            if (!doc.isObject())
                return fail(p + QStringLiteral(".function.arguments"),
                            QStringLiteral("must be a JSON object encoded as a string (%1)")
                                .arg(parseError.error == QJsonParseError::NoError
                                         ? QStringLiteral("not an object")
                                         : parseError.errorString()));
            input = doc.object();
        } else if (!arguments.isString() && !arguments.isNull() && !arguments.isUndefined()) {
            return fail(p + QStringLiteral(".function.arguments"),
                        QStringLiteral("must be a string"));
        }
        blocks->append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                   {QStringLiteral("id"), id},
                                   {QStringLiteral("name"), name},
                                   {QStringLiteral("input"), input}});
    }
    return true;
}

void Translation::appendTurn(const QString &role, const QJsonArray &blocks)
{
    if (blocks.isEmpty())
        return;
    if (!m_turns.isEmpty()) {
        QJsonObject last = m_turns.last().toObject();
        if (last.value(QLatin1String("role")).toString() == role) {
            QJsonArray content = last.value(QLatin1String("content")).toArray();
            for (const QJsonValue &block : blocks)
                content.append(block);
            last[QStringLiteral("content")] = content;
            m_turns.replace(m_turns.size() - 1, last);
            return;
        }
    }
    m_turns.append(
        QJsonObject{{QStringLiteral("role"), role}, {QStringLiteral("content"), blocks}});
}

bool Translation::messages(const QJsonValue &value, QJsonObject *out)
{
    const QString param = QStringLiteral("messages");
    if (!value.isArray() || value.toArray().isEmpty())
        return fail(param, QStringLiteral("must be a non-empty array"));
    const QJsonArray messages = value.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString p = at(param, i);
        if (!messages.at(i).isObject())
            return fail(p, QStringLiteral("must be an object"));
        const QJsonObject message = messages.at(i).toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        const QJsonValue content = message.value(QLatin1String("content"));
        const QString contentParam = p + QStringLiteral(".content");
        QJsonArray blocks;
        if (role == QLatin1String("system") || role == QLatin1String("developer")) {
            if (!textBlocks(content, contentParam, false, &blocks))
                return false;
            for (const QJsonValue &block : std::as_const(blocks))
                m_system.append(block);
        } else if (role == QLatin1String("user")) {
            if (!userBlocks(content, contentParam, &blocks))
                return false;
            appendTurn(role, blocks);
        } else if (role == QLatin1String("assistant")) {
            if (!textBlocks(content, contentParam, true, &blocks) ||
                !toolUseBlocks(message.value(QLatin1String("tool_calls")),
                               p + QStringLiteral(".tool_calls"), &blocks))
                return false;
            appendTurn(role, blocks);
        } else if (role == QLatin1String("tool")) {
            const QString id = message.value(QLatin1String("tool_call_id")).toString();
            if (id.isEmpty())
                return fail(p + QStringLiteral(".tool_call_id"),
                            QStringLiteral("must be a non-empty string"));
            QJsonArray texts;
            if (!textBlocks(content, contentParam, false, &texts))
                return false;
            QJsonObject result{{QStringLiteral("type"), QStringLiteral("tool_result")},
                               {QStringLiteral("tool_use_id"), id}};
            if (!texts.isEmpty())
                result[QStringLiteral("content")] = texts;
            appendTurn(QStringLiteral("user"), QJsonArray{result});
        } else {
            return fail(p + QStringLiteral(".role"),
                        QStringLiteral("must be one of system, developer, user, assistant, tool"));
        }
    }
    if (m_turns.isEmpty())
        return fail(param, QStringLiteral("must contain a user or assistant message with content"));

    // Anthropic wants a user turn's tool results before its other blocks.
    for (qsizetype t = 0; t < m_turns.size(); ++t) {
        QJsonObject turn = m_turns.at(t).toObject();
        const QJsonArray content = turn.value(QLatin1String("content")).toArray();
        QJsonArray results;
        QJsonArray others;
        for (const QJsonValue &block : content) {
            const bool isResult = block.toObject().value(QLatin1String("type")).toString() ==
                                  QLatin1String("tool_result");
            (isResult ? results : others).append(block);
        }
        for (const QJsonValue &block : std::as_const(others))
            results.append(block);
        turn[QStringLiteral("content")] = results;
        m_turns.replace(t, turn);
    }
    (*out)[QStringLiteral("messages")] = m_turns;

    if (!m_system.isEmpty()) {
        bool plain = true;
        QStringList texts;
        for (const QJsonValue &block : std::as_const(m_system)) {
            plain = plain && !block.toObject().contains(QLatin1String("cache_control"));
            texts.append(block.toObject().value(QLatin1String("text")).toString());
        }
        (*out)[QStringLiteral("system")] =
            plain ? QJsonValue(texts.join(QStringLiteral("\n\n"))) : QJsonValue(m_system);
    }
    return true;
}

} // namespace

bool AnthropicMessageTranslator::translate(const QJsonValue &messages, QJsonObject *out,
                                           ApiError *error)
{
    return Translation(error).messages(messages, out);
}

} // namespace portico
