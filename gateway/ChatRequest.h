#pragma once

#include "ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace portico {

// A validated `POST /v1/chat/completions` body. The raw bytes are kept so a relay can forward
// them untouched: fields we do not know pass through exactly as the client sent them.
//
// The common request is checked on its bytes (ChatRequestScan) and its document is built only
// when something needs it (ensureBody()): a relay that forwards the bytes never does.
struct ChatRequest
{
    QByteArray raw;
    QJsonObject body; // empty until ensureBody()
    QString model;
    QString user;
    bool stream = false;
    bool includeUsage = false;

    // The "messages" value as the client wrote it (found by the scan, or looked for).
    std::optional<QByteArrayView> rawMessages() const;

    // Returns the request, or a 400 error naming the offending field.
    static std::optional<ChatRequest> parse(const QByteArray &raw, ApiError *error);
    // The same through QJsonDocument always (the reference for parse(); its errors are these).
    static std::optional<ChatRequest> parseDocument(const QByteArray &raw, ApiError *error);

    // Builds `body` from `raw` if it is not built yet.
    void ensureBody();
    bool hasBody() const { return m_bodyBuilt; }

private:
    bool m_bodyBuilt = false;
    qsizetype m_messagesOffset = -1; // in raw, when the scan read the request
    qsizetype m_messagesSize = 0;
};

} // namespace portico
