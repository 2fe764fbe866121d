#pragma once

// SessionRegistry's internal records, shared by its two source files. Not a public header.

#include "SessionRegistry.h"

namespace portico {

struct SessionRegistry::Request
{
    RequestSnapshot s;
    QByteArrayList chunks;
    qint64 chunkBytes = 0; // kept chunks and completion
    QByteArray completionJson;
    bool truncated = false;
    bool textDirty = false;
    QObject *exchange = nullptr; // alive while the request is live: see stopRequest()
};

struct SessionRegistry::Session
{
    SessionSnapshot s;
    QStringList order; // its requests' ids, oldest first
    int finished = 0;
    bool dirty = false;
};

} // namespace portico
