#include "ChatRequestScan.h"

#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portico {

namespace {

// Strict JSON (RFC 8259) over the raw bytes, with the checks of ChatRequest::parseDocument()
// for the fields it knows. Everything that is not plainly fine — a syntax error, a \u escape, a
// duplicate known key, a field of the wrong type, a number out of range — answers "not sure",
// and the document path decides (and words the error).
class Scanner
{
public:
    // Scan: the chat request's rules. Check: any JSON that QJsonDocument reads (\u escapes, long
    // numbers, nesting to 1,000), also counting what LogRecord's line repairs (see readsAsJson).
    enum class Mode { Scan, Check };

    explicit Scanner(QByteArrayView raw, Mode mode = Mode::Scan)
        : p(raw.data())
        , begin(raw.data())
        , end(raw.data() + raw.size())
        , check(mode == Mode::Check)
        , maxDepth(mode == Mode::Check ? 1001 : 64)
    {}

    std::optional<ChatRequestScan::Fields> scan();
    bool wellFormed(bool *needsRepair);

private:
    void skipSpace()
    {
        const char *const start = p;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            ++p;
        repair |= p != start;
    }
    bool literal(const char *word)
    {
        const size_t n = std::strlen(word);
        if (size_t(end - p) < n || std::memcmp(p, word, n) != 0)
            return false;
        p += n;
        return true;
    }
    bool string(QByteArrayView *text);
    bool utf8Sequence();
    bool number(double *value);
    bool value(int depth);
    // The members of an object (p at its '{'): `member(key)` is called with p at each value and
    // must consume it. With `plainKeys`, a key with an escape is "not sure"; else keys are only
    // validated and `key` is empty.
    template<typename Member> bool members(bool plainKeys, Member &&member);
    // The elements of an array (p at its '['): `element(index)` must consume each one.
    template<typename Element> bool elements(Element &&element);
    // Field checks: true when the value is fine, false when not sure.
    bool nullOr(char first);
    bool numberRule(double min, double max, bool integer);
    bool messages();
    bool message();
    bool stop();
    bool streamOptions(bool *includeUsage);

    const char *p;
    const char *const begin;
    const char *const end;
    const bool check;
    const int maxDepth;
    bool repair = false; // Check: whitespace between tokens, a control character in a string
};

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A string without escapes other than the two-character ones: `text` is its content as it is
// in the bytes (valid UTF-8, no control character), and needs no decoding unless it holds a
// backslash. A \u escape is left to the document path (it may hide a lone surrogate or U+0000).
// In Check mode a \u escape with four hex digits is fine, and a control character (alone or
// after a backslash) is one that LogRecord's line repairs.
bool Scanner::string(QByteArrayView *text)
{
    if (p >= end || *p != '"')
        return false;
    const char *const start = ++p;
    bool escaped = false;
    while (p < end) {
#if defined(__SSE2__)
        // Sixteen bytes at a time to the next one that needs a look: a quote, a backslash, a
        // control character or a byte of a UTF-8 sequence (signed: both below 0x20).
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        while (end - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            const unsigned mask = unsigned(_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                             _mm_cmplt_epi8(v, space))));
            if (mask) {
                p += __builtin_ctz(mask);
                break;
            }
            p += 16;
        }
        if (p >= end)
            break;
#endif
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            if (text)
                *text = escaped ? QByteArrayView() : QByteArrayView(start, p - start);
            ++p;
            return !text || !escaped; // callers that read the text want it plain
        }
        if (c < 0x20) {
            if (!check)
                return false;
            repair = true; // Check: written as a \u escape
            ++p;
            continue;
        }
        if (c == '\\') {
            if (p + 1 >= end)
                return false;
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                escaped = true;
                p += 2;
                continue;
            case 'u':
                if (check && end - p >= 6 && isHexDigit(p[2]) && isHexDigit(p[3]) &&
                    isHexDigit(p[4]) && isHexDigit(p[5])) {
                    escaped = true;
                    p += 6;
                    continue;
                }
                return false; // Scan: left to the document path (a lone surrogate, U+0000)
            default:
                if (check && static_cast<unsigned char>(p[1]) < 0x20) {
                    repair = true; // Check: written as "\n"
                    escaped = true;
                    p += 2;
                    continue;
                }
                return false;
            }
        }
        if (c >= 0x80) {
            if (!utf8Sequence())
                return false;
            continue;
        }
        ++p;
    }
    return false;
}

// One well-formed UTF-8 sequence of two to four bytes (no overlong form, no surrogate, nothing
// above U+10FFFF).
bool Scanner::utf8Sequence()
{
    const auto b0 = static_cast<unsigned char>(p[0]);
    int length = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return false;
    }
    if (end - p < length)
        return false;
    for (int i = 1; i < length; ++i) {
        const auto b = static_cast<unsigned char>(p[i]);
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return false;
    }
    p += length;
    return true;
}

bool Scanner::number(double *value)
{
    const char *const start = p;
    if (p < end && *p == '-')
        ++p;
    if (p >= end)
        return false;
    if (*p == '0') {
        ++p;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    } else {
        return false;
    }
    if (p < end && *p == '.') {
        ++p;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    }
    if (!check && p - start > 32)
        return false; // long spellings (big integers, many digits) are the document's to read
    double d = 0;
    const auto [ptr, ec] = std::from_chars(start, p, d);
    if (ec != std::errc() || ptr != p || !std::isfinite(d))
        return false;
    if (value)
        *value = d;
    return true;
}

bool Scanner::value(int depth)
{
    if (p >= end)
        return false;
    switch (*p) {
    case '"':
        return string(nullptr);
    case '{':
        return depth < maxDepth &&
               members(false, [this, depth](QByteArrayView) { return value(depth + 1); });
    case '[':
        return depth < maxDepth && elements([this, depth](int) { return value(depth + 1); });
    case 't':
        return literal("true");
    case 'f':
        return literal("false");
    case 'n':
        return literal("null");
    default:
        return number(nullptr);
    }
}

template<typename Member> bool Scanner::members(bool plainKeys, Member &&member)
{
    if (p >= end || *p != '{')
        return false;
    ++p;
    skipSpace();
    if (p < end && *p == '}') {
        ++p;
        return true;
    }
    for (;;) {
        skipSpace();
        QByteArrayView key;
        if (!string(plainKeys ? &key : nullptr))
            return false;
        skipSpace();
        if (p >= end || *p != ':')
            return false;
        ++p;
        skipSpace();
        if (!member(key))
            return false;
        skipSpace();
        if (p < end && *p == ',') {
            ++p;
            continue;
        }
        if (p < end && *p == '}') {
            ++p;
            return true;
        }
        return false;
    }
}

template<typename Element> bool Scanner::elements(Element &&element)
{
    if (p >= end || *p != '[')
        return false;
    ++p;
    skipSpace();
    if (p < end && *p == ']') {
        ++p;
        return true;
    }
    for (int index = 0;; ++index) {
        skipSpace();
        if (!element(index))
            return false;
        skipSpace();
        if (p < end && *p == ',') {
            ++p;
            continue;
        }
        if (p < end && *p == ']') {
            ++p;
            return true;
        }
        return false;
    }
}

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

bool Scanner::wellFormed(bool *needsRepair)
{
    skipSpace();
    if (!value(1))
        return false;
    skipSpace();
    *needsRepair = repair;
    return p == end;
}

} // namespace

std::optional<ChatRequestScan::Fields> ChatRequestScan::scan(QByteArrayView raw)
{
    return Scanner(raw).scan();
}

bool ChatRequestScan::readsAsJson(QByteArrayView json, bool *needsRepair)
{
    return Scanner(json, Scanner::Mode::Check).wellFormed(needsRepair);
}

} // namespace portico
