#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace portico {

// Header names are stored lower-cased; values as received (trimmed).
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

inline QByteArray headerValue(const HeaderList &headers, QByteArrayView lowerName)
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

inline bool hasHeader(const HeaderList &headers, QByteArrayView lowerName)
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

// One parsed client request. It is a value: the connection hands it over and forgets it.
struct HttpRequest
{
    QByteArray method;
    QByteArray path;  // the target without its query, percent-encoding kept
    QByteArray query; // after '?', may be empty
    HeaderList headers;
    QByteArray body;
    QHostAddress peer;

    QByteArray header(QByteArrayView lowerName) const { return headerValue(headers, lowerName); }
};

} // namespace portico
