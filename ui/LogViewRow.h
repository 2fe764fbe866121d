#pragma once

#include "LogReader.h"
#include "LogRecord.h"

#include <QMetaType>
#include <QString>

namespace portico {

// One record of the session log as the log view lists it: the metadata and a short preview;
// the full record (messages, response) stays on disk at `where` until it is opened.
struct LogViewRow
{
    qint64 time = 0;
    QString requestId;
    QString sessionKey;
    QString agent;
    QString provider;
    QString model;
    QString client;
    int status = 0;
    QString error; // its start
    qint64 latencyMs = -1;
    qint64 ttftMs = -1;
    LogRecord::Usage usage;
    bool stream = false;
    bool hasContent = false;
    QString preview; // the start of the last user message
    LogLocation where;

    static LogViewRow from(const LogRecord &record, const LogLocation &where)
    {
        LogViewRow row;
        row.time = record.time;
        row.requestId = record.requestId;
        row.sessionKey = record.sessionKey;
        row.agent = record.agent;
        row.provider = record.provider;
        row.model = record.upstreamModel;
        row.client = record.clientTokenName;
        row.status = record.status;
        row.error = record.error.left(300);
        row.latencyMs = record.latencyMs;
        row.ttftMs = record.ttftMs;
        row.usage = record.usage;
        row.stream = record.stream;
        row.hasContent = record.hasContent();
        row.preview = record.lastUserText().left(160).simplified();
        row.where = where;
        return row;
    }
};

} // namespace portico

Q_DECLARE_METATYPE(portico::LogViewRow)
