#include "JsonSplice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portico::JsonSplice {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Returns the index just past the string that starts at `i` (which holds '"'): the next quote
// that no backslash escapes. Sixteen bytes at a time where SSE2 is there (the chunks of a
// stream are walked this way for the session log: most of their bytes are in strings).
qsizetype skipString(QByteArrayView s, qsizetype i)
{
    const char *const begin = s.data();
    const char *const end = begin + s.size();
    const char *p = begin + i + 1;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const unsigned mask = unsigned(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
        if (mask == 0) {
            p += 16;
            continue;
        }
        p += __builtin_ctz(mask);
        if (*p == '"')
            return p - begin + 1;
        if (end - p < 2)
            return -1;
        p += 2; // the backslash and the character it escapes
    }
#endif
    while (p < end) {
        if (*p == '"')
            return p - begin + 1;
        if (*p == '\\') {
            if (end - p < 2)
                return -1;
            p += 2;
        } else {
            ++p;
        }
    }
    return -1;
}

// Returns the index just past the value that starts at `i`.
qsizetype skipValue(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return -1;
    if (s[i] == '"')
        return skipString(s, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == '"') {
                i = skipString(s, i);
                if (i < 0)
                    return -1;
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            ++i;
        }
        return -1;
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !isSpace(s[i]))
        ++i;
    return i;
}

qsizetype skipSpace(QByteArrayView s, qsizetype i)
{
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return i;
}

} // namespace

std::optional<QByteArray> replaceTopLevelValue(const QByteArray &json, QByteArrayView key,
                                               const QByteArray &valueJson)
{
    const std::optional<QByteArrayView> value = objectValue(json, key);
    if (!value)
        return std::nullopt;
    const qsizetype start = value->data() - json.constData();
    const qsizetype end = start + value->size();
    QByteArray out;
    out.reserve(json.size() + valueJson.size());
    out.append(json.constData(), start);
    out.append(valueJson);
    out.append(json.constData() + end, json.size() - end);
    return out;
}

std::optional<QByteArrayView> objectValue(QByteArrayView json, QByteArrayView key)
{
    std::optional<QByteArrayView> value;
    objectValues(json, {key}, &value);
    return value;
}

bool objectValues(QByteArrayView json, std::initializer_list<QByteArrayView> keys,
                  std::optional<QByteArrayView> *values)
{
    const qsizetype count = qsizetype(keys.size());
    qsizetype found = 0;
    qsizetype i = skipSpace(json, 0);
    if (i >= json.size() || json[i] != '{')
        return false;
    i = skipSpace(json, i + 1);
    while (i < json.size() && json[i] == '"') {
        const qsizetype keyEnd = skipString(json, i);
        if (keyEnd < 0)
            return true;
        const QByteArrayView rawKey = json.sliced(i + 1, keyEnd - i - 2);
        qsizetype match = -1;
        int escaped = -1; // whether rawKey holds a backslash: looked up once, if at all
        for (qsizetype k = 0; k < count && match < 0; ++k) {
            const QByteArrayView key = keys.begin()[k];
            if (values[k])
                continue; // the first occurrence counts
            if (rawKey.size() == key.size() &&
                std::memcmp(rawKey.data(), key.data(), size_t(key.size())) == 0) {
                match = k;
                continue;
            }
            if (escaped < 0)
                escaped = std::memchr(rawKey.data(), '\\', size_t(rawKey.size())) ? 1 : 0;
            if (escaped == 1) {
                // An escaped key ("mod\u0065l") is rare; decode it properly.
                const QJsonDocument doc =
                    QJsonDocument::fromJson("[" + json.sliced(i, keyEnd - i).toByteArray() + "]");
                if (doc.array().at(0).toString() == QString::fromUtf8(key))
                    match = k;
            }
        }
        i = skipSpace(json, keyEnd);
        if (i >= json.size() || json[i] != ':')
            return true;
        const qsizetype valueStart = skipSpace(json, i + 1);
        const qsizetype valueEnd = skipValue(json, valueStart);
        if (valueEnd < 0)
            return true;
        if (match >= 0) {
            values[match] = json.sliced(valueStart, valueEnd - valueStart);
            if (++found == count)
                return true;
        }
        i = skipSpace(json, valueEnd);
        if (i < json.size() && json[i] == ',')
            i = skipSpace(json, i + 1);
        else
            break;
    }
    return true;
}

std::optional<QByteArrayView> firstElementOnwards(QByteArrayView json)
{
    qsizetype i = skipSpace(json, 0);
    if (i >= json.size() || json[i] != '[')
        return std::nullopt;
    i = skipSpace(json, i + 1);
    if (i >= json.size() || json[i] == ']')
        return std::nullopt;
    return json.sliced(i);
}

std::optional<QByteArrayView> arrayElement(QByteArrayView json, qsizetype index)
{
    qsizetype i = skipSpace(json, 0);
    if (i >= json.size() || json[i] != '[')
        return std::nullopt;
    i = skipSpace(json, i + 1);
    for (qsizetype n = 0; i < json.size() && json[i] != ']'; ++n) {
        const qsizetype end = skipValue(json, i);
        if (end < 0)
            return std::nullopt;
        if (n == index)
            return json.sliced(i, end - i);
        i = skipSpace(json, end);
        if (i < json.size() && json[i] == ',')
            i = skipSpace(json, i + 1);
        else
            break;
    }
    return std::nullopt;
}

QByteArray quote(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

} // namespace portico::JsonSplice
