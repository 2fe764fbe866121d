#pragma once

#include <QByteArrayView>

#include <cstring>

namespace portico {

// Strict JSON (RFC 8259) over raw bytes, without building anything: the base of the chat request
// scan (ChatRequestScan, Scan mode) and the session log's check of relayed JSON (readsAsJson,
// Check mode). A reader of the bytes from `p` on: each method consumes what it validated and
// answers false where the text is not (or, in Scan mode, not plainly) fine.
class JsonScanner
{
public:
    // Scan: the chat request's rules. Check: any JSON that QJsonDocument reads (\u escapes, long
    // numbers, nesting to 1,000), also counting what LogRecord's line repairs (see readsAsJson).
    enum class Mode { Scan, Check };

    explicit JsonScanner(QByteArrayView raw, Mode mode = Mode::Scan)
        : p(raw.data())
        , begin(raw.data())
        , end(raw.data() + raw.size())
        , check(mode == Mode::Check)
        , maxDepth(mode == Mode::Check ? 1001 : 64)
    {}

    // One value and nothing else but whitespace; *needsRepair as readsAsJson() says.
    bool wellFormed(bool *needsRepair);

protected:
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

    const char *p;
    const char *const begin;
    const char *const end;
    const bool check;
    const int maxDepth;
    bool repair = false; // Check: whitespace between tokens, a control character in a string
};

// Whether `json` is one JSON value that QJsonDocument reads once LogRecord writes it on one line:
// strict JSON (RFC 8259: valid UTF-8, finite numbers, nesting to 1,000) except for what that
// writing repairs, whitespace between tokens (dropped) and control characters in strings
// (escaped); *needsRepair says whether there is any. An upstream's answer is relayed as it came,
// so this is how the session log knows it can copy it into a line.
bool readsAsJson(QByteArrayView json, bool *needsRepair);

template<typename Member> inline bool JsonScanner::members(bool plainKeys, Member &&member)
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

template<typename Element> inline bool JsonScanner::elements(Element &&element)
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

} // namespace portico
