#pragma once

#include "LogRecord.h"

#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QTextStream;
QT_END_NAMESPACE

namespace portico {

// `portico log [--session KEY] [--since TIME] [--json] …`: prints the session log for scripts and
// headless use, oldest first like `tail`. `args` are the arguments after "log"; an empty
// `logDir` means Config::dataDir() + "/logs". Returns the exit code: 0, 1 when the log cannot be
// read, 2 for a usage error (`--help` prints the usage and returns 0).
int runLogCommand(const QStringList &args, QTextStream &out, QTextStream &err,
                  const QString &logDir);

// TIME for --since/--until: ISO 8601 (a date, or a date and time; UTC unless it has an offset)
// or a span before `nowMs`: "30s", "15m", "2h", "3d", "1w". Returns -1 if it is neither.
qint64 parseLogTime(const QString &text, qint64 nowMs);

// The human line for a record: time (UTC), status, latency, agent/model, session, the first 80
// characters of the last user message, then the error if there is one.
QString formatLogLine(const LogRecord &record);

} // namespace portico
