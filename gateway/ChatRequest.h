#pragma once

#include "ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace portico {

// A validated `POST /v1/chat/completions` body. The raw bytes are kept so a relay can forward
// them untouched: fields we do not know pass through exactly as the client sent them.
struct ChatRequest
{
    QByteArray raw;
    QJsonObject body;
    QString model;
    QString user;
    bool stream = false;
    bool includeUsage = false;

    // Returns the request, or a 400 error naming the offending field.
    static std::optional<ChatRequest> parse(const QByteArray &raw, ApiError *error);
};

} // namespace portico
