#pragma once

#include "LogRecord.h"

#include <QString>

namespace portico {

// A `curl` command that sends a logged request again to the gateway at `baseUrl` (e.g.
// "http://127.0.0.1:18789/v1"). The token is never in it: the command reads it from the
// $PORTICO_TOKEN environment variable. Empty if the record kept no messages.
QString curlCommandFor(const LogRecord &record, const QString &baseUrl);

} // namespace portico
