#include "LogRecord.h"

#include "JsonScanner.h"

#include <array>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portico {

namespace {

constexpr int FormatVersion = 1;

// A message that is not JSON QJsonDocument reads (an upstream's answer is relayed as it came, so
// a careless upstream's can be anything): kept as the text of its content, which the log view
// shows, rather than lost or written into the line as it is (which would make the line unreadable).
QJsonObject unreadableMessage(const QByteArray &raw)
{
    return {{QLatin1String("content"), QString::fromUtf8(raw)}};
}

QJsonArray unreadableMessages(const QByteArray &raw)
{
    return {unreadableMessage(raw)};
}

bool isReadableJson(const QByteArray &raw)
{
    bool repair = false;
    return readsAsJson(raw, &repair);
}

void putString(QJsonObject &obj, QLatin1String key, const QString &value)
{
    if (!value.isEmpty())
        obj.insert(key, value);
}

void putCount(QJsonObject &obj, QLatin1String key, qint64 value)
{
    if (value >= 0)
        obj.insert(key, QJsonValue(value));
}

qint64 count(const QJsonObject &obj, QLatin1String key)
{
    const QJsonValue v = obj.value(key);
    return v.isDouble() ? v.toInteger(-1) : -1;
}

QString textOf(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    const QJsonArray parts = content.toArray();
    for (const QJsonValue &part : parts) {
        const QJsonObject p = part.toObject();
        if (p.value(QLatin1String("type")).toString() != QLatin1String("text"))
            continue;
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += p.value(QLatin1String("text")).toString();
    }
    return text;
}

} // namespace

void LogRecord::dropContent()
{
    readCompletion();
    requestMessages = QJsonArray();
    response = QJsonObject();
    rawRequestMessages.clear();
    rawResponse.clear();
}

QString LogRecord::lastUserText() const
{
    const QJsonArray requestMessages =
        this->requestMessages.isEmpty() && !rawRequestMessages.isEmpty()
            ? QJsonDocument::fromJson(rawRequestMessages).array()
            : this->requestMessages;
    for (qsizetype i = requestMessages.size() - 1; i >= 0; --i) {
        const QJsonObject m = requestMessages.at(i).toObject();
        if (m.value(QLatin1String("role")).toString() == QLatin1String("user"))
            return textOf(m.value(QLatin1String("content")));
    }
    return {};
}

QJsonObject LogRecord::toJson() const
{
    if (!rawCompletion.isEmpty()) {
        LogRecord read = *this;
        read.readCompletion();
        return read.toJson();
    }
    QJsonObject obj;
    obj.insert(QLatin1String("v"), FormatVersion);
    obj.insert(QLatin1String("time"), QJsonValue(time));
    putString(obj, QLatin1String("requestId"), requestId);
    putString(obj, QLatin1String("sessionKey"), sessionKey);
    putString(obj, QLatin1String("agent"), agent);
    putString(obj, QLatin1String("provider"), provider);
    putString(obj, QLatin1String("upstreamModel"), upstreamModel);
    putString(obj, QLatin1String("clientTokenName"), clientTokenName);
    obj.insert(QLatin1String("status"), status);
    putString(obj, QLatin1String("error"), error);
    putCount(obj, QLatin1String("latencyMs"), latencyMs);
    putCount(obj, QLatin1String("ttftMs"), ttftMs);
    if (usage.isKnown()) {
        QJsonObject u;
        putCount(u, QLatin1String("prompt_tokens"), usage.promptTokens);
        putCount(u, QLatin1String("completion_tokens"), usage.completionTokens);
        putCount(u, QLatin1String("total_tokens"), usage.totalTokens);
        obj.insert(QLatin1String("usage"), u);
    }
    obj.insert(QLatin1String("stream"), stream);
    if (!requestMessages.isEmpty()) {
        obj.insert(QLatin1String("requestMessages"), requestMessages);
    } else if (!rawRequestMessages.isEmpty()) {
        obj.insert(QLatin1String("requestMessages"),
                   isReadableJson(rawRequestMessages)
                       ? QJsonDocument::fromJson(rawRequestMessages).array()
                       : unreadableMessages(rawRequestMessages));
    }
    if (!response.isEmpty()) {
        obj.insert(QLatin1String("response"), response);
    } else if (!rawResponse.isEmpty()) {
        obj.insert(QLatin1String("response"), isReadableJson(rawResponse)
                                                  ? QJsonDocument::fromJson(rawResponse).object()
                                                  : unreadableMessage(rawResponse));
    }
    return obj;
}

namespace {

// The line is written through a cursor into a buffer sized once for the whole record: every
// append below is a store or a memcpy, with no capacity check (this runs for every request).
class LineWriter
{
public:
    explicit LineWriter(qsizetype bound)
        : m_out(bound, Qt::Uninitialized)
        , m_p(m_out.data())
    {}
    void put(char c) { *m_p++ = c; }
    void put(std::string_view s)
    {
        std::memcpy(m_p, s.data(), s.size());
        m_p += s.size();
    }
    // `"key":`, after a comma unless it opens the object.
    void key(std::string_view k)
    {
        if (m_p[-1] != '{')
            *m_p++ = ',';
        *m_p++ = '"';
        put(k);
        *m_p++ = '"';
        *m_p++ = ':';
    }
    void number(qint64 value) { m_p = std::to_chars(m_p, m_p + 20, value).ptr; }
    void string(const QString &text);
    QByteArray finish()
    {
        m_out.truncate(m_p - m_out.constData());
        return std::move(m_out);
    }

private:
    QByteArray m_out;
    char *m_p;
};

// The room string() may take: six bytes a UTF-16 unit at most (a \u escape), and the quotes.
qsizetype stringBound(const QString &text)
{
    return 6 * text.size() + 2;
}

// A JSON string literal exactly as QJsonDocument's compact writer spells it.
void LineWriter::string(const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    *m_p++ = '"';
    const qsizetype n = text.size();
    const char16_t *p = reinterpret_cast<const char16_t *>(text.constData());
    // Most strings are printable ASCII with no quote or backslash: narrowed as they are checked,
    // eight units at a time where SSE2 is there; the rest from the first unit that is not.
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i high = _mm_set1_epi16(short(0xFF80));
    const __m128i space = _mm_set1_epi16(0x20);
    const __m128i quote = _mm_set1_epi16('"');
    const __m128i backslash = _mm_set1_epi16('\\');
    for (; i + 8 <= n; i += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        // Below 0x80 the signed comparison with 0x20 is the unsigned one.
        const __m128i bad = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)),
            _mm_or_si128(_mm_cmplt_epi16(v, space),
                         _mm_xor_si128(_mm_cmpeq_epi16(_mm_and_si128(v, high), _mm_setzero_si128()),
                                       _mm_set1_epi16(-1))));
        if (_mm_movemask_epi8(bad) != 0)
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i *>(m_p), _mm_packus_epi16(v, v));
        m_p += 8;
    }
#endif
    for (; i < n; ++i) {
        const char16_t c = p[i];
        if (c < 0x80) {
            switch (c) {
            case u'"':
                put("\\\"");
                break;
            case u'\\':
                put("\\\\");
                break;
            case u'\b':
                put("\\b");
                break;
            case u'\f':
                put("\\f");
                break;
            case u'\n':
                put("\\n");
                break;
            case u'\r':
                put("\\r");
                break;
            case u'\t':
                put("\\t");
                break;
            default:
                if (c < 0x20) {
                    put("\\u00");
                    *m_p++ = hex[c >> 4];
                    *m_p++ = hex[c & 0xf];
                } else {
                    *m_p++ = char(c);
                }
            }
        } else if (c < 0x800) {
            *m_p++ = char(0xc0 | (c >> 6));
            *m_p++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(p[i + 1])) {
            const char32_t u = QChar::surrogateToUcs4(c, p[++i]);
            *m_p++ = char(0xf0 | (u >> 18));
            *m_p++ = char(0x80 | ((u >> 12) & 0x3f));
            *m_p++ = char(0x80 | ((u >> 6) & 0x3f));
            *m_p++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            put("\\u");
            for (int shift = 12; shift >= 0; shift -= 4)
                *m_p++ = hex[(c >> shift) & 0xf];
        } else {
            *m_p++ = char(0xe0 | (c >> 12));
            *m_p++ = char(0x80 | ((c >> 6) & 0x3f));
            *m_p++ = char(0x80 | (c & 0x3f));
        }
    }
    *m_p++ = '"';
}

// JSON text as the client or the upstream wrote it, on one line: whitespace between tokens is
// dropped (a pretty-printed request would otherwise split its record over several lines of the
// file), and a control character inside a string (invalid JSON, from a careless upstream) is
// written as a \u escape. Everything else is copied as it is: only for text that
// readsAsJson() accepts.
void appendRaw(std::string &out, const QByteArray &json)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = json.constData();
    const char *const end = p + json.size();
    out.reserve(out.size() + size_t(json.size()));
    bool inString = false;
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (inString) {
            // Copy the run up to the next quote, backslash or control character at once.
            static constexpr auto stops = [] {
                std::array<bool, 256> table{};
                for (int k = 0; k < 0x20; ++k)
                    table[size_t(k)] = true;
                table['"'] = table['\\'] = true;
                return table;
            }();
            const char *run = p;
            while (run < end && !stops[static_cast<unsigned char>(*run)])
                ++run;
            out.append(p, size_t(run - p));
            p = run;
            if (p == end)
                break;
            const auto d = static_cast<unsigned char>(*p);
            if (d == '"') {
                out += '"';
                inString = false;
                ++p;
            } else if (d == '\\') {
                out += '\\';
                if (++p < end) {
                    if (static_cast<unsigned char>(*p) >= 0x20)
                        out += *p;
                    else
                        out += 'n'; // "\<control>" is invalid either way; keep one line
                    ++p;
                }
            } else {
                out += "\\u00";
                out += hex[d >> 4];
                out += hex[d & 0xf];
                ++p;
            }
            continue;
        }
        // Between tokens: copy the run up to the next quote, space or control character at once.
        static constexpr auto outside = [] {
            std::array<bool, 256> table{};
            for (int k = 0; k <= 0x20; ++k)
                table[size_t(k)] = true; // controls (never a line break in the file) and space
            table['"'] = true;
            return table;
        }();
        if (!outside[c]) {
            const char *run = p + 1;
            while (run < end && !outside[static_cast<unsigned char>(*run)])
                ++run;
            out.append(p, size_t(run - p));
            p = run;
            continue;
        }
        if (c == '"') {
            inString = true;
            out += '"';
        }
        ++p; // whitespace, or a control character (not JSON) dropped
    }
}

// A part of the line: JSON text as it came, compacted (rare: pretty-printed text, or a control
// character in a string), or serialised.
struct RawPart
{
    QByteArrayView text;
    std::string compacted;
    QByteArray serialised;

    // `json` if it reads as JSON (with repairs); false leaves the part empty.
    bool setRaw(const QByteArray &json)
    {
        bool repair = false;
        if (!readsAsJson(json, &repair))
            return false;
        if (!repair) {
            text = json;
            return true;
        }
        appendRaw(compacted, json);
        text = QByteArrayView(compacted.data(), qsizetype(compacted.size()));
        return true;
    }
    template<typename Json> void setSerialised(const Json &json)
    {
        serialised = QJsonDocument(json).toJson(QJsonDocument::Compact);
        text = serialised;
    }
};

} // namespace

QByteArray LogRecord::toJsonLine(bool withContent) const
{
    if (!rawCompletion.isEmpty()) {
        LogRecord read = *this;
        read.readCompletion();
        return read.toJsonLine(withContent);
    }
    RawPart messages;
    RawPart answer;
    if (withContent) {
        if (!rawRequestMessages.isEmpty()) {
            if (!messages.setRaw(rawRequestMessages))
                messages.setSerialised(unreadableMessages(rawRequestMessages));
        } else if (!requestMessages.isEmpty()) {
            messages.setSerialised(requestMessages);
        }
        if (!rawResponse.isEmpty()) {
            if (!answer.setRaw(rawResponse))
                answer.setSerialised(unreadableMessage(rawResponse));
        } else if (!response.isEmpty()) {
            answer.setSerialised(response);
        }
    }
    // Keys, punctuation and the seven numbers fit in 512 bytes with room to spare.
    LineWriter out(512 + stringBound(agent) + stringBound(clientTokenName) + stringBound(error) +
                   stringBound(provider) + stringBound(requestId) + stringBound(sessionKey) +
                   stringBound(upstreamModel) + messages.text.size() + answer.text.size());
    const auto stringField = [&out](std::string_view key, const QString &value) {
        if (value.isEmpty())
            return;
        out.key(key);
        out.string(value);
    };
    const auto countField = [&out](std::string_view key, qint64 value) {
        if (value < 0)
            return;
        out.key(key);
        out.number(value);
    };
    // Keys in the order QJsonObject keeps them (sorted), so the bytes match toJson()'s.
    out.put('{');
    stringField("agent", agent);
    stringField("clientTokenName", clientTokenName);
    stringField("error", error);
    countField("latencyMs", latencyMs);
    stringField("provider", provider);
    stringField("requestId", requestId);
    if (!messages.text.isEmpty()) {
        out.key("requestMessages");
        out.put(std::string_view(messages.text.data(), size_t(messages.text.size())));
    }
    if (!answer.text.isEmpty()) {
        out.key("response");
        out.put(std::string_view(answer.text.data(), size_t(answer.text.size())));
    }
    stringField("sessionKey", sessionKey);
    out.key("status");
    out.number(status);
    out.key("stream");
    out.put(stream ? std::string_view("true") : std::string_view("false"));
    out.key("time");
    out.number(time);
    countField("ttftMs", ttftMs);
    stringField("upstreamModel", upstreamModel);
    if (usage.isKnown()) {
        out.key("usage");
        out.put('{');
        countField("completion_tokens", usage.completionTokens);
        countField("prompt_tokens", usage.promptTokens);
        countField("total_tokens", usage.totalTokens);
        out.put('}');
    }
    out.key("v");
    out.number(FormatVersion);
    out.put("}\n");
    return out.finish();
}

bool LogRecord::fromJson(const QJsonObject &json, LogRecord *out)
{
    const QJsonValue t = json.value(QLatin1String("time"));
    if (!t.isDouble())
        return false;
    LogRecord r;
    r.time = t.toInteger();
    r.requestId = json.value(QLatin1String("requestId")).toString();
    r.sessionKey = json.value(QLatin1String("sessionKey")).toString();
    r.agent = json.value(QLatin1String("agent")).toString();
    r.provider = json.value(QLatin1String("provider")).toString();
    r.upstreamModel = json.value(QLatin1String("upstreamModel")).toString();
    r.clientTokenName = json.value(QLatin1String("clientTokenName")).toString();
    r.status = json.value(QLatin1String("status")).toInt();
    r.error = json.value(QLatin1String("error")).toString();
    r.latencyMs = count(json, QLatin1String("latencyMs"));
    r.ttftMs = count(json, QLatin1String("ttftMs"));
    r.usage = Usage::fromJson(json.value(QLatin1String("usage")).toObject());
    r.stream = json.value(QLatin1String("stream")).toBool();
    r.requestMessages = json.value(QLatin1String("requestMessages")).toArray();
    r.response = json.value(QLatin1String("response")).toObject();
    *out = std::move(r);
    return true;
}

bool LogRecord::fromJsonLine(const QByteArray &line, LogRecord *out)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    return fromJson(doc.object(), out);
}

} // namespace portico
