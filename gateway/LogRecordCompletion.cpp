// LogRecord's reading of a relayed chat.completion: its message and usage sliced out of the
// upstream's text (the session log's thread does this for every non-streamed request).
#include "LogRecord.h"

#include "JsonSplice.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <optional>
#include <utility>

namespace portico {

namespace {

// A count off the raw text of a usage object: a tiny object that is not worth a document.
qint64 integerOf(const std::optional<QByteArrayView> &raw)
{
    if (!raw)
        return -1;
    // Digits only, as every upstream writes a count: read by hand.
    if (!raw->isEmpty() && raw->size() <= 18) {
        qint64 n = 0;
        bool digits = true;
        for (const char c : *raw) {
            digits = digits && c >= '0' && c <= '9';
            n = n * 10 + (c - '0');
        }
        if (digits)
            return n;
    }
    bool ok = false;
    const qint64 n = raw->toLongLong(&ok);
    if (ok)
        return n;
    const double d = raw->toDouble(&ok); // 12.0, 1e3: integral doubles count, as in QJsonValue
    return ok && d == double(qint64(d)) ? qint64(d) : -1;
}

LogRecord::Usage usageOf(QByteArrayView usage)
{
    std::optional<QByteArrayView> v[3];
    JsonSplice::objectValues(usage, {"prompt_tokens", "completion_tokens", "total_tokens"}, v);
    return {integerOf(v[0]), integerOf(v[1]), integerOf(v[2])};
}

// choices[0].message and usage of a chat.completion, as raw JSON text, in one pass over it.
struct RawCompletion
{
    std::optional<QByteArrayView> message;
    std::optional<QByteArrayView> usage;
};

RawCompletion rawCompletionOf(const QByteArray &completion)
{
    std::optional<QByteArrayView> top[2]; // choices, usage
    JsonSplice::objectValues(completion, {"choices", "usage"}, top);
    const auto first = top[0] ? JsonSplice::firstElementOnwards(*top[0]) : std::nullopt;
    const auto message = first ? JsonSplice::objectValue(*first, "message") : std::nullopt;
    if (!message || !message->startsWith('{'))
        return {};
    return {message, top[1]};
}

} // namespace

LogRecord::Usage LogRecord::Usage::fromJson(const QJsonObject &usage)
{
    // toInteger(-1): -1 for a missing value or one that is not a number.
    return {usage.value(QLatin1String("prompt_tokens")).toInteger(-1),
            usage.value(QLatin1String("completion_tokens")).toInteger(-1),
            usage.value(QLatin1String("total_tokens")).toInteger(-1)};
}

void LogRecord::readCompletion()
{
    if (rawCompletion.isEmpty())
        return;
    const QByteArray completion = std::exchange(rawCompletion, QByteArray());
    if (const RawCompletion raw = rawCompletionOf(completion); raw.message) {
        // Its message as the upstream wrote it, and only its small usage object read.
        rawResponse = raw.message->toByteArray();
        if (raw.usage)
            usage = usageOf(*raw.usage);
        return;
    }
    const QJsonObject object = QJsonDocument::fromJson(completion).object();
    const QJsonObject choice = object.value(QLatin1String("choices")).toArray().first().toObject();
    response = choice.value(QLatin1String("message")).toObject();
    usage = Usage::fromJson(object.value(QLatin1String("usage")).toObject());
}

} // namespace portico
