#pragma once

#include <QMetaType>
#include <QString>

namespace portico {

// One session as the session registry shows it. A value type, copied out for the UI.
struct SessionSnapshot
{
    QString key;
    QString agent;      // the agent id, or the provider id when the request named no agent
    QString clientName; // the token's name, never the token
    QString user;
    QString model; // the upstream model of the latest request
    qint64 firstActivityMs = 0;
    qint64 lastActivityMs = 0;
    int requestCount = 0;
    int liveCount = 0;    // requests in flight
    qint64 tokensIn = 0;  // sum of reported prompt tokens
    qint64 tokensOut = 0; // sum of reported completion tokens
};

} // namespace portico

Q_DECLARE_METATYPE(portico::SessionSnapshot)
