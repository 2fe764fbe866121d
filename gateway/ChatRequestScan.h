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

} // namespace ChatRequestScan
} // namespace portico
