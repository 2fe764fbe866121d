#pragma once

#include "HttpTypes.h"

#include <QByteArray>
#include <QByteArrayView>

namespace portico {

// The header lines of an HTTP response as they were received, one "Name: value" per line, kept
// as one buffer and read on demand. A relay looks at the framing headers while parsing and at
// no other header of a successful response, so lower-casing every name and copying every value
// into a list of pairs (about 500 instructions and two allocations a header; upstreams such as
// OpenAI's send twenty) would be work for nobody.
class HeaderBlock
{
public:
    // A header line without its line break; the caller has checked its name is a token and that
    // it has a colon.
    void appendLine(QByteArrayView line);

    // The value (trimmed) of the first header named `lowerName` (lower case), or a null array.
    QByteArray value(QByteArrayView lowerName) const;
    // Every header, names lower-cased and values trimmed, in the order received.
    HeaderList toList() const;

private:
    // Calls f(name, value) for each line until f returns true.
    template<typename F> void forEach(F f) const;

    QByteArray m_lines; // "Name: value\n" for each header
};

} // namespace portico
