#include "LogRecord.h"

#include "Utf8Append.h"

#include <array>
#include <charconv>
#include <string>
#include <string_view>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

namespace portico {

namespace {

constexpr int FormatVersion = 1;

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
    if (!requestMessages.isEmpty())
        obj.insert(QLatin1String("requestMessages"), requestMessages);
    else if (!rawRequestMessages.isEmpty())
        obj.insert(QLatin1String("requestMessages"),
                   QJsonDocument::fromJson(rawRequestMessages).array());
    if (!response.isEmpty())
        obj.insert(QLatin1String("response"), response);
    else if (!rawResponse.isEmpty())
        obj.insert(QLatin1String("response"), QJsonDocument::fromJson(rawResponse).object());
    return obj;
}

namespace {

// A JSON string literal exactly as QJsonDocument's compact writer spells it. The line is built
// in a std::string: its small appends inline, where QByteArray's do not.
void appendString(std::string &out, const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const qsizetype n = text.size();
    const char16_t *p = reinterpret_cast<const char16_t *>(text.constData());
    // Most strings need no escaping: one check, then one bulk conversion.
    bool plain = true;
    for (qsizetype i = 0; i < n && plain; ++i)
        plain = p[i] >= 0x20 && p[i] != u'"' && p[i] != u'\\' && !QChar::isSurrogate(p[i]);
    if (plain) {
        appendUtf8(out, text);
        out += '"';
        return;
    }
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i];
        if (c < 0x80) {
            switch (c) {
            case u'"':
                out += "\\\"";
                break;
            case u'\\':
                out += "\\\\";
                break;
            case u'\b':
                out += "\\b";
                break;
            case u'\f':
                out += "\\f";
                break;
            case u'\n':
                out += "\\n";
                break;
            case u'\r':
                out += "\\r";
                break;
            case u'\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                } else {
                    out += char(c);
                }
            }
        } else if (c < 0x800) {
            out += char(0xc0 | (c >> 6));
            out += char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(p[i + 1])) {
            const char32_t u = QChar::surrogateToUcs4(c, p[++i]);
            out += char(0xf0 | (u >> 18));
            out += char(0x80 | ((u >> 12) & 0x3f));
            out += char(0x80 | ((u >> 6) & 0x3f));
            out += char(0x80 | (u & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4)
                out += hex[(c >> shift) & 0xf];
        } else {
            out += char(0xe0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3f));
            out += char(0x80 | (c & 0x3f));
        }
    }
    out += '"';
}

void appendKey(std::string &out, std::string_view key)
{
    if (out.size() > 1)
        out += ',';
    out += '"';
    out += key;
    out += "\":";
}

void appendNumber(std::string &out, qint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

// Whether appendRaw() has anything to drop or escape in `json`: mostly not (clients and upstreams
// send compact JSON), and then it is one append. One table lookup per byte.
bool needsCompacting(const char *p, const char *const end)
{
    // 1: a quote; 2: a backslash; 3: a control character or a space (a space only matters
    // between tokens).
    static constexpr auto kind = [] {
        std::array<quint8, 256> table{};
        for (int k = 0; k <= 0x20; ++k)
            table[size_t(k)] = 3;
        table['"'] = 1;
        table['\\'] = 2;
        return table;
    }();
    bool inString = false;
    for (; p < end; ++p) {
        switch (kind[static_cast<unsigned char>(*p)]) {
        case 0:
            break;
        case 1:
            inString = !inString;
            break;
        case 2:
            if (inString && ++p < end && static_cast<unsigned char>(*p) < 0x20)
                return true;
            break;
        default:
            if (!inString || *p != ' ')
                return true;
        }
    }
    return false;
}

// JSON text as the client or the upstream wrote it, on one line: whitespace between tokens is
// dropped (a pretty-printed request would otherwise split its record over several lines of the
// file), and a control character inside a string (invalid JSON, from a careless upstream) is
// written as a \u escape. Everything else is copied as it is.
void appendRaw(std::string &out, const QByteArray &json)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = json.constData();
    const char *const end = p + json.size();
    if (!needsCompacting(p, end)) {
        out.append(p, size_t(json.size()));
        return;
    }
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

void appendStringField(std::string &out, std::string_view key, const QString &value)
{
    if (value.isEmpty())
        return;
    appendKey(out, key);
    appendString(out, value);
}

void appendCountField(std::string &out, std::string_view key, qint64 value)
{
    if (value < 0)
        return;
    appendKey(out, key);
    appendNumber(out, value);
}

} // namespace

QByteArray LogRecord::toJsonLine(bool withContent) const
{
    // Keys in the order QJsonObject keeps them (sorted), so the bytes match toJson()'s.
    std::string out;
    out.reserve(512 + (withContent ? size_t(rawRequestMessages.size() + rawResponse.size()) : 0));
    out += '{';
    appendStringField(out, "agent", agent);
    appendStringField(out, "clientTokenName", clientTokenName);
    appendStringField(out, "error", error);
    appendCountField(out, "latencyMs", latencyMs);
    appendStringField(out, "provider", provider);
    appendStringField(out, "requestId", requestId);
    if (withContent) {
        if (!rawRequestMessages.isEmpty()) {
            appendKey(out, "requestMessages");
            appendRaw(out, rawRequestMessages);
        } else if (!requestMessages.isEmpty()) {
            appendKey(out, "requestMessages");
            appendRaw(out, QJsonDocument(requestMessages).toJson(QJsonDocument::Compact));
        }
        if (!rawResponse.isEmpty()) {
            appendKey(out, "response");
            appendRaw(out, rawResponse);
        } else if (!response.isEmpty()) {
            appendKey(out, "response");
            appendRaw(out, QJsonDocument(response).toJson(QJsonDocument::Compact));
        }
    }
    appendStringField(out, "sessionKey", sessionKey);
    appendKey(out, "status");
    appendNumber(out, status);
    appendKey(out, "stream");
    out += stream ? "true" : "false";
    appendKey(out, "time");
    appendNumber(out, time);
    appendCountField(out, "ttftMs", ttftMs);
    appendStringField(out, "upstreamModel", upstreamModel);
    if (usage.isKnown()) {
        appendKey(out, "usage");
        std::string u = "{";
        appendCountField(u, "completion_tokens", usage.completionTokens);
        appendCountField(u, "prompt_tokens", usage.promptTokens);
        appendCountField(u, "total_tokens", usage.totalTokens);
        out += u;
        out += '}';
    }
    appendKey(out, "v");
    appendNumber(out, FormatVersion);
    out += "}\n";
    return QByteArray(out.data(), static_cast<qsizetype>(out.size()));
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
    const QJsonObject u = json.value(QLatin1String("usage")).toObject();
    r.usage.promptTokens = count(u, QLatin1String("prompt_tokens"));
    r.usage.completionTokens = count(u, QLatin1String("completion_tokens"));
    r.usage.totalTokens = count(u, QLatin1String("total_tokens"));
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
