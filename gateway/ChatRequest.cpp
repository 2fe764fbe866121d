#include "ChatRequest.h"

#include "ChatRequestScan.h"
#include "JsonSplice.h"

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

// The typed top-level fields we check. Walking the body's keys once against this table costs
// far less than looking each rule's key up.
struct FieldRule
{
    const char *name;
    QJsonValue::Type type; // Double: a number within [min, max]
    const char *description;
    double min = 0;
    double max = 0;
    bool integer = false;
};

constexpr FieldRule kRules[] = {
    {"stream", QJsonValue::Bool, "a boolean"},
    {"stream_options", QJsonValue::Object, "an object"},
    {"user", QJsonValue::String, "a string"},
    {"tools", QJsonValue::Array, "an array"},
    {"logprobs", QJsonValue::Bool, "a boolean"},
    {"temperature", QJsonValue::Double, "a number", 0, 2},
    {"top_p", QJsonValue::Double, "a number", 0, 1},
    {"n", QJsonValue::Double, "an integer", 1, 128, true},
    {"max_tokens", QJsonValue::Double, "an integer", 1, 1e9, true},
    {"max_completion_tokens", QJsonValue::Double, "an integer", 1, 1e9, true},
    {"presence_penalty", QJsonValue::Double, "a number", -2, 2},
    {"frequency_penalty", QJsonValue::Double, "a number", -2, 2},
    {"top_logprobs", QJsonValue::Double, "an integer", 0, 20, true},
};

bool checkField(const FieldRule &rule, const QJsonValue &v, ApiError *error)
{
    if (v.isNull())
        return true;
    const QString name = QLatin1String(rule.name);
    if (v.type() != rule.type)
        return fail(error, name,
                    QStringLiteral("'%1' must be %2.").arg(name, QLatin1String(rule.description)));
    if (rule.type != QJsonValue::Double)
        return true;
    const double d = v.toDouble();
    if (rule.integer && d != std::floor(d))
        return fail(error, name, QStringLiteral("'%1' must be an integer.").arg(name));
    if (d < rule.min || d > rule.max)
        return fail(error, name,
                    QStringLiteral("'%1' must be between %2 and %3; got %4.")
                        .arg(name)
                        .arg(rule.min)
                        .arg(rule.max)
                        .arg(d));
    return true;
}

bool checkFields(const QJsonObject &body, ApiError *error)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        for (const FieldRule &rule : kRules) {
            if (key == QLatin1String(rule.name)) {
                if (!checkField(rule, it.value(), error))
                    return false;
                break;
            }
        }
    }
    return true;
}

bool checkMessages(const QJsonObject &body, ApiError *error)
{
    const QJsonValue messages = body.value(QLatin1String("messages"));
    if (messages.isUndefined() || messages.isNull())
        return fail(error, QStringLiteral("messages"), QStringLiteral("'messages' is required."));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return fail(error, QStringLiteral("messages"),
                    QStringLiteral("'messages' must be a non-empty array."));
    const QJsonArray array = messages.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const auto path = [i] { return QStringLiteral("messages[%1]").arg(i); };
        if (!array.at(i).isObject())
            return fail(error, path(), QStringLiteral("'%1' must be an object.").arg(path()));
        const QJsonObject m = array.at(i).toObject();
        const QJsonValue role = m.value(QLatin1String("role"));
        if (!role.isString() || !kRoles.contains(role.toString()))
            return fail(
                error, path() + QStringLiteral(".role"),
                QStringLiteral("'%1.role' must be one of %2.").arg(path(), kRoles.join(u", ")));
        const QJsonValue content = m.value(QLatin1String("content"));
        if (!content.isUndefined() && !content.isNull() && !content.isString() &&
            !content.isArray())
            return fail(
                error, path() + QStringLiteral(".content"),
                QStringLiteral("'%1.content' must be a string or an array of parts.").arg(path()));
    }
    return true;
}

} // namespace

std::optional<ChatRequest> ChatRequest::parse(const QByteArray &raw, ApiError *error)
{
    if (std::optional<ChatRequestScan::Fields> fields = ChatRequestScan::scan(raw)) {
        ChatRequest request;
        request.raw = raw;
        request.model = std::move(fields->model);
        request.user = std::move(fields->user);
        request.stream = fields->stream;
        request.includeUsage = fields->includeUsage;
        request.m_messagesOffset = fields->messagesOffset;
        request.m_messagesSize = fields->messagesSize;
        return request;
    }
    return parseDocument(raw, error);
}

std::optional<QByteArrayView> ChatRequest::rawMessages() const
{
    if (m_messagesOffset >= 0 && m_messagesOffset + m_messagesSize <= raw.size())
        return QByteArrayView(raw).sliced(m_messagesOffset, m_messagesSize);
    return JsonSplice::objectValue(raw, "messages");
}

void ChatRequest::ensureBody()
{
    if (m_bodyBuilt)
        return;
    body = QJsonDocument::fromJson(raw).object();
    m_bodyBuilt = true;
}

std::optional<ChatRequest> ChatRequest::parseDocument(const QByteArray &raw, ApiError *error)
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
    request.m_bodyBuilt = true;
    const QJsonObject &body = request.body;

    const QJsonValue model = body.value(QLatin1String("model"));
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
    if (!checkMessages(body, error) || !checkFields(body, error))
        return std::nullopt;

    const QJsonValue stop = body.value(QLatin1String("stop"));
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
    const QJsonValue toolChoice = body.value(QLatin1String("tool_choice"));
    if (!toolChoice.isUndefined() && !toolChoice.isNull() && !toolChoice.isString() &&
        !toolChoice.isObject()) {
        fail(error, QStringLiteral("tool_choice"),
             QStringLiteral("'tool_choice' must be a string or an object."));
        return std::nullopt;
    }

    request.stream = body.value(QLatin1String("stream")).toBool(false);
    if (request.stream)
        request.includeUsage = body.value(QLatin1String("stream_options"))
                                   .toObject()
                                   .value(QLatin1String("include_usage"))
                                   .toBool(false);
    request.user = body.value(QLatin1String("user")).toString();
    return request;
}

} // namespace portico
