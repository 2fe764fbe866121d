#pragma once

#include <QMetaType>
#include <QString>

namespace portico {

// One request as the session registry shows it: in flight or recently finished. A value type,
// copied out of the registry for the UI.
struct RequestSnapshot
{
    enum class State {
        Waiting,    // started, no output yet
        Streaming,  // output is arriving
        Stopping,   // stop() was asked for, the request has not ended yet
        Succeeded,  // answered completely
        Failed,     // ended with an error (upstream, timeout…)
        Stopped,    // cancelled through stop()
        ClientGone, // the client went away first
    };

    QString requestId;
    QString sessionKey;
    QString agent;
    QString provider;
    QString model; // the upstream model
    QString requestedModel;
    bool stream = false;
    State state = State::Waiting;
    qint64 startedMs = 0;     // ms since the epoch
    qint64 endedMs = 0;       // 0 while live
    qint64 lastChunkMs = 0;   // ms since the epoch of the latest chunk, 0 if none
    qint64 ttftMs = -1;       // -1 until the first output
    int chunks = 0;           // chunks received so far
    qint64 bytes = 0;         // bytes of output (chunk JSON while live, sent to the client after)
    qint64 promptTokens = -1; // from the usage the upstream reported, -1 if unknown
    qint64 completionTokens = -1;
    int status = 0; // the HTTP status, once ended
    QString error;

    bool isLive() const
    {
        return state == State::Waiting || state == State::Streaming || state == State::Stopping;
    }
    // Output tokens: the reported count, else the number of chunks (about one token each).
    qint64 outputTokens() const { return completionTokens >= 0 ? completionTokens : chunks; }
    bool outputTokensEstimated() const { return completionTokens < 0; }
    // Output tokens per second since the first token; 0 when it cannot be told yet.
    double tokensPerSecond(qint64 nowMs) const
    {
        if (ttftMs < 0)
            return 0;
        const qint64 end = endedMs > 0 ? endedMs : (isLive() ? nowMs : lastChunkMs);
        const qint64 span = end - (startedMs + ttftMs);
        return span > 0 ? double(outputTokens()) * 1000.0 / double(span) : 0;
    }
    qint64 elapsedMs(qint64 nowMs) const { return (endedMs > 0 ? endedMs : nowMs) - startedMs; }
};

} // namespace portico

Q_DECLARE_METATYPE(portico::RequestSnapshot)
