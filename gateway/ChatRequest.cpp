#include "ChatRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace portico {

namespace {

const QStringList kRoles = {QStringLiteral("system"), QStringLiteral("developer"),
                            QStringLiteral("user"),   QStringLiteral("assistant"),
                            QStringLiteral("tool"),   QStringLiteral("function")};

// QJsonDocument accepts lone surrogates and U+0000 inside strings; upstreams do not. Reject them
// here with the field's path rather than forward text no model can read.
bool cleanString(const QString &s)
{
    const qsizetype n = s.size();
    const QChar *p = s.constData();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i].unicode();
        if (c == 0)
            return false;
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= n || !QChar::isLowSurrogate(p[i + 1].unicode()))
                return false;
            ++i;
        } else if (QChar::isLowSurrogate(c)) {
            return false;
        }
    }
    return true;
}

bool cleanValue(const QJsonValue &v, const QString &path, QString *badPath)
{
    switch (v.type()) {
    case QJsonValue::String:
        if (!cleanString(v.toString())) {
            *badPath = path;
            return false;
        }
        return true;
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!cleanValue(a.at(i), path + QStringLiteral("[%1]").arg(i), badPath))
                return false;
        }
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!cleanString(it.key())) {
                *badPath = path;
                return false;
            }
            if (!cleanValue(it.value(), path.isEmpty() ? it.key() : path + u'.' + it.key(),
                            badPath))
                return false;
        }
        return true;
    }
    default:
        return true;
    }
}

bool fail(ApiError *error, const QString &param, const QString &message)
{
    *error = ApiError::invalidRequest(message, param);
    return false;
}

bool checkNumber(const QJsonObject &body, const char *key, double min, double max, bool integer,
                 ApiError *error)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return true;
    const QString name = QLatin1String(key);
    if (!v.isDouble())
        return fail(error, name, QStringLiteral("'%1' must be a number.").arg(name));
    const double d = v.toDouble();
    if (integer && d != std::floor(d))
        return fail(error, name, QStringLiteral("'%1' must be an integer.").arg(name));
    if (d < min || d > max)
        return fail(error, name,
                    QStringLiteral("'%1' must be between %2 and %3; got %4.")
                        .arg(name)
                        .arg(min)
                        .arg(max)
                        .arg(d));
    return true;
}

bool checkType(const QJsonObject &body, const char *key, QJsonValue::Type type,
               const char *description, ApiError *error)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull() || v.type() == type)
        return true;
    const QString name = QLatin1String(key);
    return fail(error, name,
                QStringLiteral("'%1' must be %2.").arg(name, QLatin1String(description)));
}

bool checkMessages(const QJsonObject &body, ApiError *error)
{
    const QJsonValue messages = body.value(QStringLiteral("messages"));
    if (messages.isUndefined() || messages.isNull())
        return fail(error, QStringLiteral("messages"), QStringLiteral("'messages' is required."));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return fail(error, QStringLiteral("messages"),
                    QStringLiteral("'messages' must be a non-empty array."));
    const QJsonArray array = messages.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("messages[%1]").arg(i);
        if (!array.at(i).isObject())
            return fail(error, path, QStringLiteral("'%1' must be an object.").arg(path));
        const QJsonObject m = array.at(i).toObject();
        const QJsonValue role = m.value(QStringLiteral("role"));
        if (!role.isString() || !kRoles.contains(role.toString()))
            return fail(
                error, path + QStringLiteral(".role"),
                QStringLiteral("'%1.role' must be one of %2.").arg(path, kRoles.join(u", ")));
        const QJsonValue content = m.value(QStringLiteral("content"));
        if (!content.isUndefined() && !content.isNull() && !content.isString() &&
            !content.isArray())
            return fail(
                error, path + QStringLiteral(".content"),
                QStringLiteral("'%1.content' must be a string or an array of parts.").arg(path));
    }
    return true;
}

} // namespace

std::optional<ChatRequest> ChatRequest::parse(const QByteArray &raw, ApiError *error)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = ApiError::invalidRequest(
            QStringLiteral("The request body is not valid JSON: %1 at offset %2.")
                .arg(parseError.errorString())
                .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error =
            ApiError::invalidRequest(QStringLiteral("The request body must be a JSON object."));
        return std::nullopt;
    }
    ChatRequest request;
    request.raw = raw;
    request.body = doc.object();
    const QJsonObject &body = request.body;

    const QJsonValue model = body.value(QStringLiteral("model"));
    if (!model.isString() || model.toString().isEmpty()) {
        fail(error, QStringLiteral("model"),
             QStringLiteral("'model' is required and must be a string."));
        return std::nullopt;
    }
    request.model = model.toString();

    // Lone surrogates and NUL can only arrive as \u escapes: skip the walk when there are none.
    QString badPath;
    if (raw.contains("\\u") && !cleanValue(body, QString(), &badPath)) {
        fail(error, badPath,
             QStringLiteral("'%1' contains an unpaired UTF-16 surrogate or a NUL character.")
                 .arg(badPath));
        return std::nullopt;
    }
    if (!checkMessages(body, error) ||
        !checkType(body, "stream", QJsonValue::Bool, "a boolean", error) ||
        !checkType(body, "stream_options", QJsonValue::Object, "an object", error) ||
        !checkType(body, "user", QJsonValue::String, "a string", error) ||
        !checkType(body, "tools", QJsonValue::Array, "an array", error) ||
        !checkType(body, "logprobs", QJsonValue::Bool, "a boolean", error) ||
        !checkNumber(body, "temperature", 0, 2, false, error) ||
        !checkNumber(body, "top_p", 0, 1, false, error) ||
        !checkNumber(body, "n", 1, 128, true, error) ||
        !checkNumber(body, "max_tokens", 1, 1e9, true, error) ||
        !checkNumber(body, "max_completion_tokens", 1, 1e9, true, error) ||
        !checkNumber(body, "presence_penalty", -2, 2, false, error) ||
        !checkNumber(body, "frequency_penalty", -2, 2, false, error) ||
        !checkNumber(body, "top_logprobs", 0, 20, true, error))
        return std::nullopt;

    const QJsonValue stop = body.value(QStringLiteral("stop"));
    if (!stop.isUndefined() && !stop.isNull() && !stop.isString()) {
        const QJsonArray a = stop.toArray();
        bool ok = stop.isArray() && a.size() <= 4;
        for (const QJsonValue &s : a)
            ok = ok && s.isString();
        if (!ok) {
            fail(error, QStringLiteral("stop"),
                 QStringLiteral("'stop' must be a string or an array of at most 4 strings."));
            return std::nullopt;
        }
    }
    const QJsonValue toolChoice = body.value(QStringLiteral("tool_choice"));
    if (!toolChoice.isUndefined() && !toolChoice.isNull() && !toolChoice.isString() &&
        !toolChoice.isObject()) {
        fail(error, QStringLiteral("tool_choice"),
             QStringLiteral("'tool_choice' must be a string or an object."));
        return std::nullopt;
    }

    request.stream = body.value(QStringLiteral("stream")).toBool(false);
    request.includeUsage = body.value(QStringLiteral("stream_options"))
                               .toObject()
                               .value(QStringLiteral("include_usage"))
                               .toBool(false);
    request.user = body.value(QStringLiteral("user")).toString();
    return request;
}

} // namespace portico
