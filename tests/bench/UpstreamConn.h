#pragma once

// Connection state and response formatting of fake_upstream: the chat.completion answer, the
// SSE stream events in chunked framing, and the counters behind GET /stats.

#include "BenchCommon.h"
#include "ChunkedDecoder.h"

#include <atomic>
#include <mutex>

namespace portico::bench {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxBody = 16 * 1024 * 1024;
constexpr size_t kHighWater = 256 * 1024; // stop producing while this much output is unsent
constexpr size_t kMaxCloses = 1'000'000;

struct Stats
{
    std::atomic<uint64_t> accepted{0}, open{0}, peakOpen{0}, requests{0}, streams{0},
        midStreamCloses{0};
    std::mutex mutex;
    std::vector<std::pair<std::string, uint64_t>> closes; // bench_id, CLOCK_MONOTONIC ns
};
inline Stats g_stats;

struct Conn
{
    int fd = -1;
    uint64_t serial = 0;
    std::string in;
    std::string out;
    size_t outPos = 0;
    bool wantWrite = false;
    bool closeAfter = false; // close once the output is flushed
    // chunked request body in progress
    size_t headLen = 0;
    size_t chunkPos = 0;
    ChunkedDecoder decoder;
    std::string chunkedBody;
    // SSE stream in progress
    bool streaming = false;
    int chunkTotal = 0;
    int chunkNext = 0;
    int delayMs = 0;
    uint64_t nextDueNs = 0;
    std::string benchId;

    size_t pending() const { return out.size() - outPos; }
};

struct Timer
{
    uint64_t dueNs;
    int fd;
    uint64_t serial;
    bool operator>(const Timer &o) const { return dueNs > o.dueNs; }
};

inline std::string statsJson(std::string_view prefix)
{
    std::string s = "{\"accepted\":" + std::to_string(g_stats.accepted.load()) +
                    ",\"open\":" + std::to_string(g_stats.open.load()) +
                    ",\"peak_open\":" + std::to_string(g_stats.peakOpen.load()) +
                    ",\"requests\":" + std::to_string(g_stats.requests.load()) +
                    ",\"streams\":" + std::to_string(g_stats.streams.load()) +
                    ",\"mid_stream_closes\":" + std::to_string(g_stats.midStreamCloses.load()) +
                    ",\"closes\":[";
    std::lock_guard lock(g_stats.mutex);
    bool first = true;
    for (const auto &[id, t] : g_stats.closes) {
        if (!std::string_view(id).starts_with(prefix))
            continue;
        s += (first ? "" : ",") + ("{\"id\":\"" + id + "\",\"t_ns\":" + std::to_string(t) + "}");
        first = false;
    }
    return s + "]}";
}

inline void appendResponse(Conn &c, int status, std::string_view reason, std::string_view body)
{
    char head[256];
    const int n = std::snprintf(head, sizeof head,
                                "HTTP/1.1 %d %.*s\r\nContent-Type: application/json\r\n"
                                "Content-Length: %zu\r\n%s\r\n",
                                status, static_cast<int>(reason.size()), reason.data(), body.size(),
                                c.closeAfter ? "Connection: close\r\n" : "");
    c.out.append(head, static_cast<size_t>(n));
    c.out.append(body);
}

inline void appendChunk(Conn &c, std::string_view payload)
{
    char size[32];
    const int n = std::snprintf(size, sizeof size, "%zx\r\n", payload.size());
    c.out.append(size, static_cast<size_t>(n));
    c.out.append(payload);
    c.out.append("\r\n");
}

inline void appendStreamEvent(Conn &c)
{
    const int i = c.chunkNext++;
    const bool first = i == 0;
    const bool last = c.chunkNext == c.chunkTotal;
    char delta[64];
    if (last)
        std::snprintf(delta, sizeof delta, first ? "{\"role\":\"assistant\"}" : "{}");
    else
        std::snprintf(delta, sizeof delta, "{%s\"content\":\"w%d \"}",
                      first ? "\"role\":\"assistant\"," : "", i);
    char event[512];
    const int n = std::snprintf(event, sizeof event,
                                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion."
                                "chunk\",\"created\":1700000000,\"model\":\"bench-model\","
                                "\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}"
                                "\n\n",
                                delta, last ? "\"stop\"" : "null");
    appendChunk(c, std::string_view(event, static_cast<size_t>(n)));
    if (last) {
        appendChunk(c, "data: [DONE]\n\n");
        c.out.append("0\r\n\r\n");
        c.streaming = false;
        c.benchId.clear();
    }
}

} // namespace portico::bench
