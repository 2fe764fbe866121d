#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>

namespace portico {

// The character scans behind Redactor: credential shapes that need no regular expression (key
// prefixes such as "sk-" and "AIza", values after credential names such as "password=" or
// "Authorization:"), the word "bearer", and the replacement of what was found. Each works on
// UTF-16 text and on pure ASCII bytes alike (a session-log line is scanned without a round trip
// through UTF-16).
namespace CredentialScan {

struct Range
{
    qsizetype start;
    qsizetype end;
};

// Appends the ranges of the credential shapes in `text` (ASCII only, for the bytes overload).
void scanShapes(QStringView text, QList<Range> *ranges);
void scanShapes(QByteArrayView text, QList<Range> *ranges);
// Whether `text` holds "bearer" in any case.
bool mentionsBearer(QStringView text);
bool mentionsBearer(QByteArrayView text); // ASCII only
bool isAscii(QByteArrayView text);
// `text` with the ranges (in any order, possibly overlapping) replaced by "[REDACTED]".
QString replaceRanges(QStringView text, QList<Range> ranges);
QByteArray replaceRanges(QByteArrayView text, QList<Range> ranges);

} // namespace CredentialScan
} // namespace portico
