#include "CliPrompt.h"

#include <QJsonObject>
#include <QStringList>

namespace portico {

namespace {

QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray())
        return {};
    QStringList parts;
    for (const QJsonValue &partValue : content.toArray()) {
        const QJsonObject part = partValue.toObject();
        const QString type = part.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("text") || type == QLatin1String("input_text")) {
            parts.append(part.value(QStringLiteral("text")).toString());
        } else if (type == QLatin1String("image_url")) {
            parts.append(QStringLiteral("[image omitted]"));
        } else if (!type.isEmpty()) {
            QString kind = type;
            kind.replace(QLatin1Char('_'), QLatin1Char(' '));
            parts.append(QStringLiteral("[%1 omitted]").arg(kind));
        }
    }
    return parts.join(QLatin1Char('\n'));
}

QString label(const QJsonObject &message)
{
    const QString role = message.value(QStringLiteral("role")).toString();
    QString text;
    if (role == QLatin1String("system") || role == QLatin1String("developer"))
        text = QStringLiteral("System");
    else if (role == QLatin1String("assistant"))
        text = QStringLiteral("Assistant");
    else if (role == QLatin1String("tool"))
        text = QStringLiteral("Tool result ") +
               message.value(QStringLiteral("tool_call_id")).toString();
    else if (role == QLatin1String("user"))
        text = QStringLiteral("User");
    else
        text = role.isEmpty() ? QStringLiteral("User") : role;
    const QString name = message.value(QStringLiteral("name")).toString();
    if (!name.isEmpty())
        text += QLatin1Char(' ') + name;
    return QLatin1Char('[') + text.trimmed() + QLatin1Char(']');
}

QString toolCalls(const QJsonObject &message)
{
    QStringList lines;
    for (const QJsonValue &callValue : message.value(QStringLiteral("tool_calls")).toArray()) {
        const QJsonObject call = callValue.toObject();
        const QJsonObject function = call.value(QStringLiteral("function")).toObject();
        lines.append(QStringLiteral("[Tool call %1] %2(%3)")
                         .arg(call.value(QStringLiteral("id")).toString(),
                              function.value(QStringLiteral("name")).toString(),
                              function.value(QStringLiteral("arguments")).toString()));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QString CliPrompt::render(const QJsonArray &messages)
{
    if (messages.size() == 1) {
        const QJsonObject only = messages.first().toObject();
        if (only.value(QStringLiteral("role")).toString() == QLatin1String("user") &&
            !only.contains(QStringLiteral("name")))
            return contentText(only.value(QStringLiteral("content")));
    }
    QStringList turns;
    for (const QJsonValue &value : messages) {
        const QJsonObject message = value.toObject();
        QString body = contentText(message.value(QStringLiteral("content")));
        const QString calls = toolCalls(message);
        if (!calls.isEmpty())
            body = body.isEmpty() ? calls : body + QLatin1Char('\n') + calls;
        turns.append(label(message) + QLatin1Char('\n') + body);
    }
    return turns.join(QStringLiteral("\n\n"));
}

} // namespace portico
