#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace portico {

// The common chat request read straight off its bytes: strict JSON, the checks of
// ChatRequest::parseDocument() for the fields it knows, and the few fields the gateway needs
// (model, user, stream, stream_options.include_usage), without building a QJsonDocument (which
// costs more than the rest of a relayed request's parsing). It answers only for bodies it is sure
// the document path accepts; for anything else (an error, a \u escape, a duplicate known key,
// nesting deeper than 64) it answers nothing and the document path decides.
namespace ChatRequestScan {

struct Fields
{
    QString model;
    QString user;
    bool stream = false;
    bool includeUsage = false;
    // Where the "messages" array is in the bytes (its value as written, validated): the session
    // log copies it from there without looking for it again.
    qsizetype messagesOffset = -1;
    qsizetype messagesSize = 0;
};

std::optional<Fields> scan(QByteArrayView raw);

// Whether `json` is one JSON value that QJsonDocument reads once LogRecord writes it on one line:
// strict JSON (RFC 8259: valid UTF-8, finite numbers, nesting to 1,000) except for what that
// writing repairs, whitespace between tokens (dropped) and control characters in strings
// (escaped); *needsRepair says whether there is any. An upstream's answer is relayed as it came,
// so this is how the session log knows it can copy it into a line.
bool readsAsJson(QByteArrayView json, bool *needsRepair);

} // namespace ChatRequestScan
} // namespace portico
