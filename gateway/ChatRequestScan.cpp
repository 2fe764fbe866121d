#include "ChatRequestScan.h"

#include "JsonScanner.h"

#include <cmath>
#include <utility>

namespace portico {

namespace {

// The chat request on its bytes: strict JSON (JsonScanner), with the checks of
// ChatRequest::parseDocument() for the fields it knows. Everything that is not plainly fine — a
// syntax error, a \u escape, a duplicate known key, a field of the wrong type, a number out of
// range — answers "not sure", and the document path decides (and words the error).
class Scanner : public JsonScanner
{
public:
    explicit Scanner(QByteArrayView raw)
        : JsonScanner(raw, Mode::Scan)
    {}

    std::optional<ChatRequestScan::Fields> scan();

private:
    // Field checks: true when the value is fine, false when not sure.
    bool nullOr(char first);
    bool numberRule(double min, double max, bool integer);
    bool messages();
    bool message();
    bool stop();
    bool streamOptions(bool *includeUsage);
};

// `null`, or a value that starts with `first` (validated).
bool Scanner::nullOr(char first)
{
    if (p < end && *p == 'n')
        return literal("null");
    if (p >= end || *p != first)
        return false;
    return value(1);
}

bool Scanner::numberRule(double min, double max, bool integer)
{
    if (p < end && *p == 'n')
        return literal("null");
    double d = 0;
    if (!number(&d))
        return false;
    return !(integer && d != std::floor(d)) && d >= min && d <= max;
}

// { "role": one of the roles, "content": absent, null, a string or an array, … }
bool Scanner::message()
{
    bool role = false;
    bool content = false;
    return members(true,
                   [&](QByteArrayView key) {
                       if (key == "role") {
                           QByteArrayView text;
                           if (std::exchange(role, true) || !string(&text))
                               return false;
                           return text == "system" || text == "developer" || text == "user" ||
                                  text == "assistant" || text == "tool" || text == "function";
                       }
                       if (key == "content") {
                           if (std::exchange(content, true))
                               return false;
                           return (p < end && *p == '"') ? string(nullptr) : nullOr('[');
                       }
                       return value(2);
                   }) &&
           role;
}

bool Scanner::messages()
{
    int count = 0;
    return elements([&](int) {
               ++count;
               return message();
           }) &&
           count > 0;
}

// null, a string, or an array of at most 4 strings.
bool Scanner::stop()
{
    if (p < end && *p == 'n')
        return literal("null");
    if (p < end && *p == '"')
        return string(nullptr);
    return elements([this](int index) { return index < 4 && string(nullptr); });
}

// null, or an object; include_usage counts only when it is `true`.
bool Scanner::streamOptions(bool *includeUsage)
{
    if (p < end && *p == 'n')
        return literal("null");
    bool seen = false;
    return members(true, [&](QByteArrayView key) {
        if (key == "include_usage") {
            if (std::exchange(seen, true))
                return false;
            *includeUsage = p < end && *p == 't';
        }
        return value(2);
    });
}

std::optional<ChatRequestScan::Fields> Scanner::scan()
{
    enum Known : unsigned {
        Model = 1u << 0,
        Messages = 1u << 1,
        Stream = 1u << 2,
        StreamOptions = 1u << 3,
        User = 1u << 4,
    };
    struct NumberRule
    {
        const char *name;
        double min;
        double max;
        bool integer;
    };
    static constexpr NumberRule numberRules[] = {
        {"temperature", 0, 2, false},
        {"top_p", 0, 1, false},
        {"n", 1, 128, true},
        {"max_tokens", 1, 1e9, true},
        {"max_completion_tokens", 1, 1e9, true},
        {"presence_penalty", -2, 2, false},
        {"frequency_penalty", -2, 2, false},
        {"top_logprobs", 0, 20, true},
    };
    // Keys whose value has a shape to check, beyond the ones above.
    static constexpr const char *shapedKeys[] = {"tools", "logprobs", "stop", "tool_choice"};

    ChatRequestScan::Fields fields;
    unsigned seen = 0;
    unsigned seenRules = 0; // bit i: numberRules[i]; bit 8 + j: shapedKeys[j]
    bool includeUsage = false;
    const auto once = [&seen](unsigned bit) { return !(std::exchange(seen, seen | bit) & bit); };
    const auto member = [&](QByteArrayView key) {
        if (key == "model") {
            QByteArrayView text;
            if (!once(Model) || !string(&text) || text.isEmpty())
                return false;
            fields.model = QString::fromUtf8(text);
            return true;
        }
        if (key == "messages") {
            const char *const start = p;
            if (!once(Messages) || !messages())
                return false;
            fields.messagesOffset = start - begin;
            fields.messagesSize = p - start;
            return true;
        }
        if (key == "stream") {
            if (!once(Stream))
                return false;
            fields.stream = literal("true");
            return fields.stream || literal("false") || literal("null");
        }
        if (key == "stream_options")
            return once(StreamOptions) && streamOptions(&includeUsage);
        if (key == "user") {
            if (!once(User))
                return false;
            if (p >= end || *p != '"')
                return literal("null");
            QByteArrayView text;
            if (!string(&text))
                return false;
            fields.user = QString::fromUtf8(text);
            return true;
        }
        int rule = -1;
        for (size_t i = 0; i < std::size(numberRules) && rule < 0; ++i) {
            if (key == numberRules[i].name)
                rule = int(i);
        }
        int shaped = -1;
        for (size_t j = 0; j < std::size(shapedKeys) && rule < 0 && shaped < 0; ++j) {
            if (key == shapedKeys[j])
                shaped = int(j);
        }
        const unsigned bit = rule >= 0 ? 1u << rule : shaped >= 0 ? 1u << (8 + shaped) : 0;
        if (bit && (std::exchange(seenRules, seenRules | bit) & bit))
            return false; // a duplicate: which one counts is the document's to say
        if (rule >= 0) {
            const NumberRule &r = numberRules[rule];
            return numberRule(r.min, r.max, r.integer);
        }
        switch (shaped) {
        case 0: // tools
            return nullOr('[');
        case 1: // logprobs
            return literal("true") || literal("false") || literal("null");
        case 2:
            return stop();
        case 3: // tool_choice
            return (p < end && *p == '"') ? string(nullptr) : nullOr('{');
        default:
            return value(1);
        }
    };
    skipSpace();
    if (!members(true, member))
        return std::nullopt;
    skipSpace();
    if (p != end || !(seen & Model) || !(seen & Messages))
        return std::nullopt;
    fields.includeUsage = fields.stream && includeUsage;
    return fields;
}

} // namespace

std::optional<ChatRequestScan::Fields> ChatRequestScan::scan(QByteArrayView raw)
{
    return Scanner(raw).scan();
}

} // namespace portico
