#include "CredentialScan.h"

#include <QLatin1StringView>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portico::CredentialScan {

namespace {

// Names whose value (after ':' or '=') is a credential, lower case. A name matches at the end of
// a longer one after '-' or '_' too ("x-my-api-key").
constexpr std::string_view CredentialNames[] = {
    "authorization", "x-api-key",     "x-goog-api-key", "api-key",
    "api_key",       "apikey",        "password",       "passwd",
    "client-secret", "client_secret", "access-token",   "access_token",
    "refresh-token", "refresh_token", "secret-key",     "secret_key"};

// credentialValueAt() rules names out by their last three letters before comparing: every name
// above must end in one of these (lower case).
constexpr std::string_view CredentialEndings[] = {"ion", "key", "ord", "swd", "ret", "ken"};
constexpr bool allNamesHaveAKnownEnding()
{
    for (const std::string_view name : CredentialNames) {
        bool found = false;
        for (const std::string_view ending : CredentialEndings)
            found = found || name.ends_with(ending);
        if (!found)
            return false;
    }
    return true;
}
static_assert(allNamesHaveAKnownEnding(), "add the new name's ending to CredentialEndings");

constexpr qsizetype MaxNameScan = 48;

bool isTokenChar(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'-' || c == u'_';
}

bool isSpace(char16_t c)
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n' || c == u'\f' || c == u'\v';
}

bool isValueChar(char16_t c)
{
    return !isSpace(c) && c != u'"' && c != u'\'' && c != u',' && c != u';' && c != u'&' &&
           c != u'\\';
}

// The shapes are looked for in UTF-16 text (QStringView) or in pure ASCII bytes (QByteArrayView:
// a JSON line without a byte above 0x7F). Every anchor, name and key character is ASCII, so the
// two read alike unit by unit.
char16_t unit(QStringView text, qsizetype i)
{
    return text[i].unicode();
}

char16_t unit(QByteArrayView text, qsizetype i)
{
    return static_cast<unsigned char>(text[i]);
}

bool equalsLatin1(QStringView text, QLatin1StringView word, Qt::CaseSensitivity cs)
{
    return text.compare(word, cs) == 0;
}

bool equalsLatin1(QByteArrayView text, QLatin1StringView word, Qt::CaseSensitivity cs)
{
    return text.compare(QByteArrayView(word.data(), word.size()), cs) == 0;
}

bool isLetterOrNumber(QStringView text, qsizetype i)
{
    return text[i].isLetterOrNumber();
}

bool isLetterOrNumber(QByteArrayView text, qsizetype i)
{
    const char c = text[i];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Whether `name` ends with `lowerSuffix` in any case (ASCII), compared from the end: most names
// differ in their last few characters.
template<typename View> bool endsWithIgnoringCase(View name, std::string_view lowerSuffix)
{
    const qsizetype offset = name.size() - qsizetype(lowerSuffix.size());
    if (offset < 0)
        return false;
    for (qsizetype k = qsizetype(lowerSuffix.size()) - 1; k >= 0; --k) {
        char16_t c = unit(name, offset + k);
        if (c >= u'A' && c <= u'Z')
            c += u'a' - u'A';
        if (c != char16_t(lowerSuffix[size_t(k)]))
            return false;
    }
    return true;
}

template<typename View>
bool startsWithLatin1(View text, qsizetype at, QLatin1StringView word,
                      Qt::CaseSensitivity cs = Qt::CaseSensitive)
{
    return at >= 0 && at + word.size() <= text.size() &&
           equalsLatin1(text.sliced(at, word.size()), word, cs);
}

template<typename View> qsizetype runEnd(View text, qsizetype from, bool (*accept)(char16_t))
{
    while (from < text.size() && accept(unit(text, from)))
        ++from;
    return from;
}

// A key shape: `prefix` ends at `sep` (the '-' or '_'), starts a word, and is followed by at
// least `minRun` token characters.
template<typename View>
bool keyAt(View text, qsizetype sep, QLatin1StringView prefix, int minRun, Range *out)
{
    const qsizetype start = sep + 1 - prefix.size();
    if (!startsWithLatin1(text, start, prefix) || (start > 0 && isTokenChar(unit(text, start - 1))))
        return false;
    const qsizetype end = runEnd(text, sep + 1, isTokenChar);
    if (end - sep - 1 < minRun)
        return false;
    *out = {start, end};
    return true;
}

// "name: value", "name=value", "name": "value" with `sep` at the ':' or '='.
template<typename View> bool credentialValueAt(View text, qsizetype sep, Range *out)
{
    qsizetype i = sep;
    while (i > 0 && isSpace(unit(text, i - 1)))
        --i;
    if (i > 0 && (unit(text, i - 1) == u'"' || unit(text, i - 1) == u'\'')) {
        --i;
        // JSON inside a JSON string (tool call arguments): \"api_key\": \"value\"
        if (i > 0 && unit(text, i - 1) == u'\\')
            --i;
    }
    const qsizetype nameEnd = i;
    // Every credential name is 6 to 14 characters and ends in one of CredentialEndings: most keys
    // of a JSON text ("role", "content", "model", "requestId") are ruled out here, before the walk
    // and comparisons below.
    if (nameEnd < 6)
        return false;
    const auto lower = [&](qsizetype k) { return char16_t(unit(text, k) | 0x20); };
    const char16_t last = lower(nameEnd - 1);
    bool ending = false;
    for (const std::string_view e : CredentialEndings) {
        if (last == char16_t(e[2]) && lower(nameEnd - 2) == char16_t(e[1]) &&
            lower(nameEnd - 3) == char16_t(e[0])) {
            ending = true;
            break;
        }
    }
    if (!ending)
        return false;
    while (i > 0 && nameEnd - i < MaxNameScan && isTokenChar(unit(text, i - 1)))
        --i;
    const View name = text.sliced(i, nameEnd - i);
    if (name.size() < 6)
        return false;
    bool known = false;
    for (const std::string_view cn : CredentialNames) {
        if (char16_t(cn.back()) != last)
            continue; // most names are ruled out by their last letter, without a comparison
        const qsizetype length = qsizetype(cn.size());
        if (endsWithIgnoringCase(name, cn) &&
            (name.size() == length || !isLetterOrNumber(text, nameEnd - length - 1))) {
            known = true;
            break;
        }
    }
    if (!known)
        return false;
    qsizetype v = runEnd(text, sep + 1, isSpace);
    if (v + 1 < text.size() && unit(text, v) == u'\\' && unit(text, v + 1) == u'"')
        v += 2;
    else if (v < text.size() && (unit(text, v) == u'"' || unit(text, v) == u'\''))
        ++v;
    for (const char *scheme : {"bearer", "basic", "token"}) {
        const QLatin1StringView s(scheme);
        if (startsWithLatin1(text, v, s, Qt::CaseInsensitive) && v + s.size() < text.size() &&
            isSpace(unit(text, v + s.size()))) {
            v = runEnd(text, v + s.size(), isSpace);
            break;
        }
    }
    const qsizetype end = runEnd(text, v, isValueChar);
    if (end - v < 3)
        return false;
    *out = {v, end};
    return true;
}

// Whether a credential shape starts at the anchor character text[i] ('-', '_', ':', '=', 'A').
// A shape is looked at only when the character before its anchor fits too ('k' of "sk-", 't' of
// "pt_"...), so the ids and keys of a JSON text ("chatcmpl-…", "finish_reason") rarely cost a
// comparison.
template<typename View> bool shapeAt(View text, qsizetype i, Range *r)
{
    const char16_t before = i > 0 ? unit(text, i - 1) : u'\0';
    switch (unit(text, i)) {
    case u'-':
        return (before == u'k' && keyAt(text, i, QLatin1StringView("sk-"), 16, r)) ||
               (before == u'i' && keyAt(text, i, QLatin1StringView("xai-"), 16, r));
    case u'_':
        return (before == u't' && keyAt(text, i, QLatin1StringView("pt_"), 16, r)) ||
               (before == u'k' && keyAt(text, i, QLatin1StringView("gsk_"), 16, r));
    case u'A':
        return i + 3 < text.size() && unit(text, i + 1) == u'I' && unit(text, i + 2) == u'z' &&
               unit(text, i + 3) == u'a' && keyAt(text, i + 3, QLatin1StringView("AIza"), 30, r);
    case u':':
    case u'=':
        return credentialValueAt(text, i, r);
    default:
        return false;
    }
}

// One pass for the credential shapes that have an anchor character: key prefixes ("sk-",
// "pt_", "gsk_", "xai-", "AIza") and header-like names before ':' or '='. Scanning resumes
// after a find. Starts at `from`.
template<typename View> void scanShapesFrom(View text, qsizetype from, QList<Range> *ranges)
{
    // Most characters start no shape: a table lookup skips them.
    static constexpr auto anchors = [] {
        std::array<bool, 128> table{};
        for (const char c : {'-', '_', ':', '=', 'A'})
            table[size_t(c)] = true;
        return table;
    }();
    const qsizetype n = text.size();
    for (qsizetype i = from; i < n; ++i) {
        const char16_t c = unit(text, i);
        if (c >= 128 || !anchors[c])
            continue;
        Range r{};
        if (shapeAt(text, i, &r)) {
            ranges->append(r);
            i = std::max(i, r.end - 1);
        }
    }
}

#if defined(__SSE2__)
// Whether the anchor at data[i] may start a shape: the cheap half of shapeAt() for bytes, so that
// the anchors of an ordinary JSON line (every key's ':', the '-' and '_' of ids and names) are
// ruled out inline.
inline bool mayStartShape(const char *data, qsizetype n, qsizetype i)
{
    const char before = i > 0 ? data[i - 1] : '\0';
    switch (data[i]) {
    case '-':
        return before == 'k' || before == 'i';
    case '_':
        return before == 't' || before == 'k';
    case 'A':
        return i + 3 < n && data[i + 1] == 'I' && data[i + 2] == 'z' && data[i + 3] == 'a';
    default: { // ':' or '=': the name before it must end in d, n, t or y (see credentialValueAt)
        qsizetype j = i;
        while (j > 0 && (data[j - 1] == ' ' || data[j - 1] == '\t'))
            --j;
        if (j > 0 && (data[j - 1] == '"' || data[j - 1] == '\''))
            --j;
        if (j > 0 && data[j - 1] == '\\')
            --j;
        if (j == 0)
            return false;
        const char last = char(data[j - 1] | 0x20);
        return last == 'd' || last == 'n' || last == 't' || last == 'y' || data[j - 1] == '\r' ||
               data[j - 1] == '\n' || data[j - 1] == '\f' || data[j - 1] == '\v';
    }
    }
}

// The byte scan sixteen at a time: a block without an anchor character costs a few vector
// instructions instead of sixteen table lookups. Every session-log line is scanned.
void scanShapesInBytes(QByteArrayView text, QList<Range> *ranges)
{
    const char *const data = text.data();
    const qsizetype n = text.size();
    const __m128i dash = _mm_set1_epi8('-');
    const __m128i underscore = _mm_set1_epi8('_');
    const __m128i colon = _mm_set1_epi8(':');
    const __m128i equals = _mm_set1_epi8('=');
    const __m128i upperA = _mm_set1_epi8('A');
    qsizetype i = 0;
    while (i + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
        const __m128i hits = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, underscore)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, equals))),
            _mm_cmpeq_epi8(v, upperA));
        unsigned mask = unsigned(_mm_movemask_epi8(hits));
        qsizetype next = i + 16;
        while (mask) {
            const qsizetype at = i + __builtin_ctz(mask);
            mask &= mask - 1;
            Range r{};
            if (mayStartShape(data, n, at) && shapeAt(text, at, &r)) {
                ranges->append(r);
                // Resume after the find: drop the block's anchors inside it.
                next = std::max(next, r.end);
                const qsizetype skip = r.end - i;
                mask = skip >= 16 ? 0u : mask & ~((1u << skip) - 1);
            }
        }
        i = next;
    }
    scanShapesFrom(text, i, ranges);
}
#endif

// Whether `text` holds "bearer" in any case: without it (and without a literal secret) the
// regular expression cannot match, and most texts are spared it.
template<typename View> bool mentionsBearerIn(View text)
{
    static constexpr char16_t word[] = u"bearer";
    const qsizetype n = text.size() - 5;
    for (qsizetype i = 0; i < n; ++i) {
        if ((unit(text, i) | 0x20) != u'b')
            continue;
        qsizetype k = 1;
        while (k < 6 && (unit(text, i + k) | 0x20) == word[k])
            ++k;
        if (k == 6)
            return true;
    }
    return false;
}

// Eight bytes at a time: these two run over every session-log line.
quint64 load8(const char *p)
{
    quint64 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

constexpr quint64 Ones = 0x0101010101010101ULL;
constexpr quint64 Highs = 0x8080808080808080ULL;

bool isAsciiBytes(QByteArrayView text)
{
    const char *p = text.data();
    const char *const end = p + text.size();
    quint64 any = 0;
    for (; end - p >= 8; p += 8)
        any |= load8(p);
    for (; p < end; ++p)
        any |= static_cast<unsigned char>(*p);
    return !(any & Highs);
}

// mentionsBearer() for ASCII bytes: aligned words of eight bytes without a 'b' or 'B' are skipped
// whole.
bool mentionsBearerInBytes(QByteArrayView text)
{
    const char *const data = text.data();
    const qsizetype n = text.size();
    const auto cleanWord = [data](qsizetype at) {
        // No zero byte in (v | 0x20) ^ "bbbbbbbb": no byte is 'b' or 'B'.
        const quint64 x = (load8(data + at) | (Ones * 0x20)) ^ (Ones * 'b');
        return !((x - Ones) & ~x & Highs);
    };
    const auto bearerAt = [data](qsizetype at) {
        qsizetype k = 1;
        while (k < 6 && (data[at + k] | 0x20) == "bearer"[k])
            ++k;
        return k == 6;
    };
    qsizetype i = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time while a whole "bearer" fits after the block's start.
    const __m128i lower = _mm_set1_epi8(0x20);
    const __m128i b = _mm_set1_epi8('b');
    for (; i + 16 + 5 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
        unsigned mask = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(v, lower), b)));
        for (; mask; mask &= mask - 1) {
            if (bearerAt(i + __builtin_ctz(mask)))
                return true;
        }
    }
#endif
    while (i + 6 <= n) {
        if (i % 8 == 0 && i + 8 <= n && cleanWord(i)) {
            i += 8;
            continue;
        }
        if ((data[i] | 0x20) == 'b' && bearerAt(i))
            return true;
        ++i;
    }
    return false;
}

// Replaces the ranges (in any order, possibly overlapping) with the placeholder: `Out` is
// QString for UTF-16 text, QByteArray for ASCII bytes.
template<typename Out, typename View> Out replaceRangesIn(View text, QList<Range> ranges)
{
    std::sort(ranges.begin(), ranges.end(),
              [](const Range &a, const Range &b) { return a.start < b.start; });
    Out out;
    out.reserve(text.size());
    qsizetype pos = 0;
    for (qsizetype i = 0; i < ranges.size();) {
        const qsizetype start = ranges.at(i).start;
        qsizetype end = ranges.at(i).end;
        // Overlapping finds become one.
        for (++i; i < ranges.size() && ranges.at(i).start < end; ++i)
            end = std::max(end, ranges.at(i).end);
        out += text.sliced(pos, start - pos);
        out += QLatin1StringView("[REDACTED]"); // Redactor::placeholder()
        pos = end;
    }
    out += text.sliced(pos);
    return out;
}

} // namespace

void scanShapes(QStringView text, QList<Range> *ranges)
{
    scanShapesFrom(text, 0, ranges);
}

void scanShapes(QByteArrayView text, QList<Range> *ranges)
{
#if defined(__SSE2__)
    scanShapesInBytes(text, ranges);
#else
    scanShapesFrom(text, 0, ranges);
#endif
}

bool mentionsBearer(QStringView text)
{
    return mentionsBearerIn(text);
}

bool mentionsBearer(QByteArrayView text)
{
    return mentionsBearerInBytes(text);
}

bool isAscii(QByteArrayView text)
{
    return isAsciiBytes(text);
}

QString replaceRanges(QStringView text, QList<Range> ranges)
{
    return replaceRangesIn<QString>(text, std::move(ranges));
}

QByteArray replaceRanges(QByteArrayView text, QList<Range> ranges)
{
    return replaceRangesIn<QByteArray>(text, std::move(ranges));
}

} // namespace portico::CredentialScan
