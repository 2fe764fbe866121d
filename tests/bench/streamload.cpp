// streamload: a load generator for streaming chat completions (no Qt, one epoll loop).
//
// Runs --streams requests against host:port, at most --concurrency at once (stream i starts no
// earlier than i * --ramp-ms / --streams), and prints one JSON line: completed/streams, time to
// first SSE data event and total time (p50/p99, ms), error counts. A stream is complete when the
// response is 200, holds at least --chunks data events, and ends with `data: [DONE]` and a clean
// end of body.
// --disconnect: close each connection right after its first data event, then ask the fake
//   upstream (GET /stats on --stats-port) when it saw each of those connections closed and
//   report the delay (p50/p99, ms). Both sides use CLOCK_MONOTONIC.
// --nonstream: plain chat.completion requests (used to check a target before measuring).
// --stats / --stats-reset: print the fake upstream's GET /stats or GET /reset (at --port).
// --free-port: print a free loopback TCP port and exit.

#include "BenchCommon.h"
#include "ControlClient.h"
#include "SseResponseReader.h"
#include "StreamloadOptions.h"

#include <arpa/inet.h>
#include <csignal>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

namespace {

using namespace portico::bench;

struct Slot
{
    int fd = -1;
    uint32_t generation = 0;
    int index = -1; // stream being run, -1 when idle
    bool connected = false;
    uint64_t startNs = 0;
    uint64_t firstNs = 0;
    std::string request;
    size_t written = 0;
    bool wantWrite = false;
    SseResponseReader reader;
};

struct Results
{
    int completed = 0, closed = 0, errConnect = 0, errStatus = 0, errProtocol = 0, errTimeout = 0,
        exactEvents = 0;
    int minEvents = -1, maxEvents = 0;
    int active = 0, peakActive = 0;
    std::vector<double> ttfbMs, totalMs;
    std::vector<std::pair<std::string, uint64_t>> disconnects; // bench_id, close time
};

class Load
{
public:
    explicit Load(const Options &o)
        : m_o(o)
        , m_prefix("b" + std::to_string(getpid()) + "x" + std::to_string(nowNs() % 1'000'000'000))
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            die("epoll_create1");
        const int c = o.concurrency > 0 ? std::min(o.concurrency, o.streams) : o.streams;
        m_slots.resize(static_cast<size_t>(c));
    }

    const std::string &prefix() const { return m_prefix; }
    Results &results() { return m_r; }

    void run()
    {
        const uint64_t t0 = nowNs();
        const uint64_t deadline = t0 + static_cast<uint64_t>(m_o.timeoutS * 1e9);
        // Stream i may start at t0 + i * ramp / streams, on any idle slot.
        auto startTime = [&](int i) -> uint64_t {
            return t0 + static_cast<uint64_t>(m_o.rampMs) * 1'000'000U * static_cast<uint64_t>(i) /
                            static_cast<uint64_t>(m_o.streams);
        };
        for (size_t s = m_slots.size(); s-- > 0;)
            m_idle.push_back(s);
        epoll_event events[512];
        for (;;) {
            uint64_t now = nowNs();
            while (!m_idle.empty() && m_next < m_o.streams && startTime(m_next) <= now) {
                const size_t s = m_idle.back();
                m_idle.pop_back();
                startNext(m_slots[s]);
                now = nowNs();
            }
            if (now >= deadline || (m_next == m_o.streams && m_r.active == 0))
                break;
            uint64_t wake = deadline;
            if (!m_idle.empty() && m_next < m_o.streams)
                wake = std::min(wake, startTime(m_next));
            const int timeoutMs =
                static_cast<int>((wake - std::min(wake, now) + 999'999) / 1'000'000);
            const int k = epoll_wait(m_epoll, events, 512, timeoutMs);
            if (k < 0 && errno != EINTR)
                die("epoll_wait");
            for (int i = 0; i < k; ++i) {
                Slot &slot = m_slots[events[i].data.u64 & 0xffffffffULL];
                if (slot.generation != (events[i].data.u64 >> 32) || slot.fd < 0)
                    continue;
                if (slot.index >= 0)
                    onEvent(slot, events[i].events);
                else
                    dropConnection(slot); // an idle keep-alive connection the server closed
            }
        }
        for (Slot &slot : m_slots) { // whatever is still running at the deadline
            if (slot.index >= 0) {
                m_r.errTimeout++;
                endStream(slot, false);
            }
        }
        m_r.errTimeout += m_o.streams - m_next; // never started
        m_elapsedS = static_cast<double>(nowNs() - t0) / 1e9;
    }

    double elapsedS() const { return m_elapsedS; }

private:
    void startNext(Slot &slot)
    {
        slot.index = m_next++;
        if (slot.fd >= 0 || openConnection(slot))
            return begin(slot);
        slot.index = -1;
        m_idle.push_back(static_cast<size_t>(&slot - m_slots.data()));
    }

    void dropConnection(Slot &slot)
    {
        close(slot.fd);
        slot.fd = -1;
        slot.connected = false;
    }

    bool openConnection(Slot &slot)
    {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            m_r.errConnect++;
            return false;
        }
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const sockaddr_in a = address(m_o.host, m_o.port);
        if (connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) < 0 &&
            errno != EINPROGRESS) {
            close(fd);
            m_r.errConnect++;
            return false;
        }
        slot.fd = fd;
        slot.connected = false;
        slot.generation++;
        const size_t index = static_cast<size_t>(&slot - m_slots.data());
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
        ev.data.u64 = (static_cast<uint64_t>(slot.generation) << 32) | index;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        slot.wantWrite = true;
        slot.startNs = nowNs();
        return true;
    }

    void begin(Slot &slot)
    {
        if (slot.connected)
            slot.startNs = nowNs();
        slot.firstNs = 0;
        slot.reader.reset();
        const std::string id = m_prefix + "-" + std::to_string(slot.index);
        std::string body = "{\"model\":\"bench-model\",\"stream\":";
        body += m_o.nonStream ? "false" : "true";
        body += ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"bench_chunks\":" +
                std::to_string(m_o.chunks) + ",\"bench_delay_ms\":" + std::to_string(m_o.delayMs) +
                ",\"bench_id\":\"" + id + "\"}";
        slot.request = "POST " + m_o.path + " HTTP/1.1\r\nHost: " + m_o.host + ":" +
                       std::to_string(m_o.port) + "\r\nContent-Type: application/json\r\nAccept: " +
                       (m_o.nonStream ? "application/json" : "text/event-stream") + "\r\n";
        if (!m_o.token.empty())
            slot.request += "Authorization: Bearer " + m_o.token + "\r\n";
        slot.request += "x-bench-chunks: " + std::to_string(m_o.chunks) +
                        "\r\nx-bench-delay-ms: " + std::to_string(m_o.delayMs) +
                        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        slot.written = 0;
        m_r.active++;
        m_r.peakActive = std::max(m_r.peakActive, m_r.active);
        if (slot.connected)
            writeRequest(slot);
    }

    void onEvent(Slot &slot, uint32_t events)
    {
        if (!slot.connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(slot.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0) {
                m_r.errConnect++;
                return endStream(slot, false);
            }
            slot.connected = true;
        }
        if (slot.connected && slot.written < slot.request.size() && (events & EPOLLOUT) &&
            !writeRequest(slot))
            return;
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            readResponse(slot);
    }

    bool writeRequest(Slot &slot)
    {
        while (slot.written < slot.request.size()) {
            const ssize_t w = send(slot.fd, slot.request.data() + slot.written,
                                   slot.request.size() - slot.written, MSG_NOSIGNAL);
            if (w > 0) {
                slot.written += static_cast<size_t>(w);
            } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                break;
            } else if (!(w < 0 && errno == EINTR)) {
                m_r.errProtocol++;
                endStream(slot, false);
                return false;
            }
        }
        const bool want = slot.written < slot.request.size();
        if (want != slot.wantWrite) {
            slot.wantWrite = want;
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0U);
            ev.data.u64 = (static_cast<uint64_t>(slot.generation) << 32) |
                          static_cast<size_t>(&slot - m_slots.data());
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, slot.fd, &ev);
        }
        return true;
    }

    void readResponse(Slot &slot)
    {
        char buf[65536];
        for (;;) {
            const ssize_t r = recv(slot.fd, buf, sizeof buf, 0);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (r <= 0) { // closed by the server
                const bool ok = slot.reader.finishOnEof() == SseResponseReader::Result::Complete;
                return finish(slot, ok, false);
            }
            const auto result = slot.reader.feed(std::string_view(buf, static_cast<size_t>(r)));
            if (slot.firstNs == 0 && slot.reader.sawData()) {
                slot.firstNs = nowNs();
                if (m_o.disconnect && !m_o.nonStream) {
                    m_r.closed++;
                    m_r.disconnects.emplace_back(m_prefix + "-" + std::to_string(slot.index),
                                                 nowNs());
                    return endStream(slot, false); // closes the socket at once
                }
            }
            if (result == SseResponseReader::Result::Error)
                return finish(slot, false, false);
            if (result == SseResponseReader::Result::Complete)
                return finish(slot, true, slot.reader.keepAlive());
        }
    }

    void finish(Slot &slot, bool bodyOk, bool reusable)
    {
        const auto &rd = slot.reader;
        const uint64_t end = nowNs();
        bool ok = bodyOk && rd.status() == 200;
        if (bodyOk && rd.status() != 200)
            m_r.errStatus++;
        else if (!bodyOk)
            m_r.errProtocol++;
        if (ok && m_o.nonStream) {
            ok = rd.body().find("chat.completion") != std::string::npos;
        } else if (ok) {
            m_r.minEvents =
                m_r.minEvents < 0 ? rd.dataEvents() : std::min(m_r.minEvents, rd.dataEvents());
            m_r.maxEvents = std::max(m_r.maxEvents, rd.dataEvents());
            m_r.exactEvents += rd.dataEvents() == m_o.chunks ? 1 : 0;
            ok = rd.doneSeen() && rd.dataEvents() >= m_o.chunks;
        }
        if (bodyOk && rd.status() == 200 && !ok)
            m_r.errProtocol++;
        if (ok) {
            m_r.completed++;
            m_r.totalMs.push_back(static_cast<double>(end - slot.startNs) / 1e6);
            if (slot.firstNs != 0)
                m_r.ttfbMs.push_back(static_cast<double>(slot.firstNs - slot.startNs) / 1e6);
        }
        endStream(slot, m_o.keepAlive && reusable && ok);
    }

    // Ends the slot's current stream, keeps or closes its connection, and makes the slot idle.
    void endStream(Slot &slot, bool keepConnection)
    {
        if (slot.index < 0)
            return;
        m_r.active--;
        slot.index = -1;
        if (!keepConnection && slot.fd >= 0)
            dropConnection(slot);
        m_idle.push_back(static_cast<size_t>(&slot - m_slots.data()));
    }

    const Options &m_o;
    std::string m_prefix;
    int m_epoll = -1;
    int m_next = 0;
    double m_elapsedS = 0;
    std::vector<Slot> m_slots;
    std::vector<size_t> m_idle;
    Results m_r;
};

} // namespace

int main(int argc, char **argv)
{
    const Options o = parseOptions(argc, argv);
    if (o.freePort) {
        std::printf("%d\n", freePort());
        return 0;
    }
    if (!o.control.empty()) {
        const std::string body = httpGet(o.host, o.port, o.control);
        std::printf("%s\n", body.c_str());
        return body.empty() ? 1 : 0;
    }
    std::signal(SIGPIPE, SIG_IGN);

    Load load(o);
    load.run();
    Results &r = load.results();
    std::string json = std::string("{\"mode\":\"") +
                       (o.disconnect  ? "disconnect"
                        : o.nonStream ? "nonstream"
                                      : "stream") +
                       "\",\"streams\":" + std::to_string(o.streams) +
                       ",\"completed\":" + std::to_string(r.completed) +
                       ",\"peak_concurrent\":" + std::to_string(r.peakActive) +
                       ",\"elapsed_s\":" + jsonNumber(load.elapsedS()) +
                       ",\"ttfb_ms\":{\"p50\":" + jsonNumber(percentile(r.ttfbMs, 0.50)) +
                       ",\"p99\":" + jsonNumber(percentile(r.ttfbMs, 0.99)) +
                       "},\"total_ms\":{\"p50\":" + jsonNumber(percentile(r.totalMs, 0.50)) +
                       ",\"p99\":" + jsonNumber(percentile(r.totalMs, 0.99)) +
                       "},\"events\":{\"min\":" + std::to_string(r.minEvents) +
                       ",\"max\":" + std::to_string(r.maxEvents) +
                       ",\"exact\":" + std::to_string(r.exactEvents) +
                       "},\"errors\":{\"connect\":" + std::to_string(r.errConnect) +
                       ",\"status\":" + std::to_string(r.errStatus) +
                       ",\"protocol\":" + std::to_string(r.errProtocol) +
                       ",\"timeout\":" + std::to_string(r.errTimeout) + "}";
    if (o.disconnect) {
        // Wait until the upstream has seen every disconnected stream go, or the settle time.
        const uint64_t until = nowNs() + static_cast<uint64_t>(o.settleMs) * 1'000'000ULL;
        std::map<std::string, uint64_t> closes;
        do {
            usleep(50'000);
            closes = upstreamCloses(o.host, o.statsPort, load.prefix());
        } while (closes.size() < r.disconnects.size() && nowNs() < until);
        std::vector<double> delays;
        for (const auto &[id, t] : r.disconnects) {
            const auto it = closes.find(id);
            if (it != closes.end())
                delays.push_back((static_cast<double>(it->second) - static_cast<double>(t)) / 1e6);
        }
        json += ",\"closed\":" + std::to_string(r.closed) +
                ",\"upstream_saw_close\":" + std::to_string(delays.size()) +
                ",\"close_delay_ms\":{\"p50\":" + jsonNumber(percentile(delays, 0.50)) +
                ",\"p99\":" + jsonNumber(percentile(delays, 0.99)) +
                ",\"max\":" + jsonNumber(percentile(delays, 1.0)) + "}";
    }
    std::printf("%s}\n", json.c_str());
    return 0;
}
