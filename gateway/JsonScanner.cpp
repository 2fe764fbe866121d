#include "JsonScanner.h"

#include <charconv>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portico {

namespace {

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

} // namespace

// A string without escapes other than the two-character ones: `text` is its content as it is
// in the bytes (valid UTF-8, no control character), and needs no decoding unless it holds a
// backslash. A \u escape is left to the document path (it may hide a lone surrogate or U+0000).
// In Check mode a \u escape with four hex digits is fine, and a control character (alone or
// after a backslash) is one that LogRecord's line repairs.
bool JsonScanner::string(QByteArrayView *text)
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
bool JsonScanner::utf8Sequence()
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

bool JsonScanner::number(double *value)
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

bool JsonScanner::value(int depth)
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

bool JsonScanner::wellFormed(bool *needsRepair)
{
    skipSpace();
    if (!value(1))
        return false;
    skipSpace();
    *needsRepair = repair;
    return p == end;
}

bool readsAsJson(QByteArrayView json, bool *needsRepair)
{
    return JsonScanner(json, JsonScanner::Mode::Check).wellFormed(needsRepair);
}

} // namespace portico
