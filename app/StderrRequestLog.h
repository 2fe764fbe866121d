#pragma once

#include "RequestObserver.h"

// Prints one line per request to stderr (headless mode). Thread-safe: lines from the worker
// threads never interleave. A worker thread's lines are written once per turn of its event loop
// (one write(2) for the requests the turn finished), at once elsewhere.
class StderrRequestLog : public portico::RequestObserver
{
public:
    void requestFinished(const portico::RequestSummary &summary) override;
    void requestRejected(const QByteArray &method, const QByteArray &path, int status,
                         const QString &message, const QString &peer) override;

private:
    static void writeLine(QByteArrayView line);
};
