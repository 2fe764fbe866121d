#include "AnthropicRequestTranslator.h"

#include "AnthropicMessageTranslator.h"

#include <QJsonArray>
#include <cmath>

namespace portico {

namespace {

class Parameters
{
public:
    Parameters(const QJsonObject &request, ApiError *error)
        : m_request(request)
        , m_error(error)
    {}

    bool sampling(int defaultMaxTokens, QJsonObject *out);
    bool tools(QJsonObject *out);

private:
    bool fail(const QString &param, const QString &problem)
    {
        *m_error = ApiError::invalidRequest(
            QLatin1Char('\'') + param + QStringLiteral("' ") + problem, param);
        return false;
    }
    QJsonValue value(const char *key) const { return m_request.value(QLatin1String(key)); }
    static bool present(const QJsonValue &v) { return !v.isNull() && !v.isUndefined(); }
    bool toolChoice(bool haveTools, QJsonObject *out);

    const QJsonObject &m_request;
    ApiError *m_error;
};

bool Parameters::sampling(int defaultMaxTokens, QJsonObject *out)
{
    qint64 maxTokens = defaultMaxTokens;
    for (const char *key : {"max_tokens", "max_completion_tokens"}) { // the latter wins
        const QJsonValue v = value(key);
        if (!present(v))
            continue;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 1 || d != std::floor(d) || d > 1e9)
            return fail(QLatin1String(key), QStringLiteral("must be a positive integer"));
        maxTokens = static_cast<qint64>(d);
    }
    (*out)[QStringLiteral("max_tokens")] = maxTokens;

    for (const char *key : {"temperature", "top_p"}) {
        const QJsonValue v = value(key);
        if (!present(v))
            continue;
        if (!v.isDouble() || v.toDouble() < 0)
            return fail(QLatin1String(key), QStringLiteral("must be a non-negative number"));
        (*out)[QLatin1String(key)] = v;
    }

    const QJsonValue n = value("n");
    if (present(n) && n.toDouble(-1) != 1)
        return fail(QStringLiteral("n"), QStringLiteral("must be 1: Anthropic returns one "
                                                        "choice"));

    const QJsonValue stop = value("stop");
    QJsonArray sequences;
    if (stop.isString()) {
        sequences.append(stop);
    } else if (stop.isArray()) {
        for (const QJsonValue &s : stop.toArray()) {
            if (!s.isString())
                return fail(QStringLiteral("stop"),
                            QStringLiteral("must be a string or an array of strings"));
            sequences.append(s);
        }
    } else if (present(stop)) {
        return fail(QStringLiteral("stop"),
                    QStringLiteral("must be a string or an array of strings"));
    }
    if (!sequences.isEmpty())
        (*out)[QStringLiteral("stop_sequences")] = sequences;

    const QJsonValue user = value("user");
    if (user.isString() && !user.toString().isEmpty())
        (*out)[QStringLiteral("metadata")] = QJsonObject{{QStringLiteral("user_id"), user}};
    return true;
}

bool Parameters::tools(QJsonObject *out)
{
    const QJsonValue toolsValue = value("tools");
    if (present(toolsValue) && !toolsValue.isArray())
        return fail(QStringLiteral("tools"), QStringLiteral("must be an array"));
    const QJsonArray tools = toolsValue.toArray();
    QJsonArray translated;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString p = QStringLiteral("tools[%1]").arg(i);
        const QJsonObject tool = tools.at(i).toObject();
        if (tool.value(QLatin1String("type")).toString() != QLatin1String("function"))
            return fail(p + QStringLiteral(".type"), QStringLiteral("must be \"function\""));
        const QJsonObject function = tool.value(QLatin1String("function")).toObject();
        const QString name = function.value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return fail(p + QStringLiteral(".function.name"),
                        QStringLiteral("must be a non-empty string"));
        const QJsonValue parameters = function.value(QLatin1String("parameters"));
        if (present(parameters) && !parameters.isObject())
            return fail(p + QStringLiteral(".function.parameters"),
                        QStringLiteral("must be a JSON Schema object"));
        QJsonObject schema = parameters.toObject();
        if (!schema.contains(QLatin1String("type")))
            schema[QStringLiteral("type")] = QStringLiteral("object");
        QJsonObject translatedTool{{QStringLiteral("name"), name},
                                   {QStringLiteral("input_schema"), schema}};
        const QString description = function.value(QLatin1String("description")).toString();
        if (!description.isEmpty())
            translatedTool[QStringLiteral("description")] = description;
        translated.append(translatedTool);
    }
    if (!translated.isEmpty())
        (*out)[QStringLiteral("tools")] = translated;
    return toolChoice(!translated.isEmpty(), out);
}

bool Parameters::toolChoice(bool haveTools, QJsonObject *out)
{
    const QJsonValue choice = value("tool_choice");
    const QString param = QStringLiteral("tool_choice");
    QJsonObject translated;
    if (choice.isString()) {
        const QString mode = choice.toString();
        if (mode == QLatin1String("auto") || mode == QLatin1String("none"))
            translated = {{QStringLiteral("type"), mode}};
        else if (mode == QLatin1String("required"))
            translated = {{QStringLiteral("type"), QStringLiteral("any")}};
        else
            return fail(param, QStringLiteral("must be \"auto\", \"none\", \"required\" or a "
                                              "named function"));
    } else if (choice.isObject()) {
        const QJsonObject object = choice.toObject();
        const QString name = object.value(QLatin1String("function"))
                                 .toObject()
                                 .value(QLatin1String("name"))
                                 .toString();
        if (object.value(QLatin1String("type")).toString() != QLatin1String("function") ||
            name.isEmpty())
            return fail(param, QStringLiteral("must name a function as {\"type\":\"function\","
                                              "\"function\":{\"name\":…}}"));
        translated = {{QStringLiteral("type"), QStringLiteral("tool")},
                      {QStringLiteral("name"), name}};
    } else if (present(choice)) {
        return fail(param, QStringLiteral("must be a string or an object"));
    }

    const QString type = translated.value(QLatin1String("type")).toString();
    if (!haveTools) {
        if (type == QLatin1String("any") || type == QLatin1String("tool"))
            return fail(param, QStringLiteral("requires tools"));
        return true; // auto/none without tools: nothing to tell Anthropic
    }
    if (value("parallel_tool_calls") == QJsonValue(false) && type != QLatin1String("none")) {
        if (translated.isEmpty())
            translated = {{QStringLiteral("type"), QStringLiteral("auto")}};
        translated[QStringLiteral("disable_parallel_tool_use")] = true;
    }
    if (!translated.isEmpty())
        (*out)[QStringLiteral("tool_choice")] = translated;
    return true;
}

} // namespace

bool AnthropicRequestTranslator::translate(const QJsonObject &request,
                                           const AnthropicRequestOptions &options, QJsonObject *out,
                                           ApiError *error)
{
    QJsonObject body;
    body[QStringLiteral("model")] =
        options.model.isEmpty() ? request.value(QLatin1String("model")) : QJsonValue(options.model);
    if (body.value(QLatin1String("model")).toString().isEmpty()) {
        *error = ApiError::invalidRequest(QStringLiteral("'model' must be a non-empty string"),
                                          QStringLiteral("model"));
        return false;
    }
    Parameters parameters(request, error);
    if (!AnthropicMessageTranslator::translate(request.value(QLatin1String("messages")), &body,
                                               error) ||
        !parameters.sampling(options.defaultMaxTokens, &body) || !parameters.tools(&body))
        return false;
    if (options.stream)
        body[QStringLiteral("stream")] = true;
    *out = body;
    return true;
}

} // namespace portico
