// fake_upstream: a fast OpenAI-compatible upstream for the benchmark (no Qt).
//
// One epoll loop per thread, each with its own SO_REUSEPORT listener; HTTP/1.1 keep-alive and
// pipelining; Content-Length and chunked request bodies.
//   POST */chat/completions            a small chat.completion JSON, or with "stream": true an SSE
//                                      stream of N chunks, D ms apart, in chunked encoding.
//                                      N, D: body fields "bench_chunks" / "bench_delay_ms" first,
//                                      then headers x-bench-chunks / x-bench-delay-ms (200 / 0).
//   GET /stats[?prefix=P]              counters, and for streams that carried "bench_id" and were
//                                      closed by the peer mid-stream: {"id","t_ns"} with t_ns on
//                                      CLOCK_MONOTONIC (scenario e of the benchmark).
//   GET /reset                         clears the recorded closes and the peak connection count.
// Usage: fake_upstream [--bind 127.0.0.1] [--port 0] [--threads N] [--port-file FILE]

#include "UpstreamConn.h"

#include <arpa/inet.h>
#include <csignal>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <queue>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>

namespace {

using namespace portico::bench;

class Worker
{
public:
    explicit Worker(int listenFd)
        : m_listen(listenFd)
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            die("epoll_create1");
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = m_listen;
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_listen, &ev) < 0)
            die("epoll_ctl listen");
    }

    [[noreturn]] void run()
    {
        epoll_event events[256];
        for (;;) {
            int timeoutMs = -1;
            if (!m_timers.empty()) {
                const uint64_t now = nowNs();
                const uint64_t due = m_timers.top().dueNs;
                timeoutMs = due <= now ? 0 : static_cast<int>((due - now + 999'999) / 1'000'000);
            }
            const int n = epoll_wait(m_epoll, events, 256, timeoutMs);
            if (n < 0 && errno != EINTR)
                die("epoll_wait");
            for (int i = 0; i < n; ++i) {
                if (events[i].data.fd == m_listen)
                    acceptAll();
                else
                    onEvent(events[i].data.fd, events[i].events);
            }
            runTimers();
        }
    }

private:
    Conn *conn(int fd) const
    {
        return fd >= 0 && static_cast<size_t>(fd) < m_conns.size() ? m_conns[fd].get() : nullptr;
    }

    void acceptAll()
    {
        for (;;) {
            const int fd = accept4(m_listen, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
                return; // EAGAIN, or a transient error such as EMFILE: try again on the next event
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (static_cast<size_t>(fd) >= m_conns.size())
                m_conns.resize(static_cast<size_t>(fd) + 1024);
            m_conns[fd] = std::make_unique<Conn>();
            m_conns[fd]->fd = fd;
            m_conns[fd]->serial = ++m_serial;
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLRDHUP;
            ev.data.fd = fd;
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
            g_stats.accepted++;
            const uint64_t open = ++g_stats.open;
            uint64_t peak = g_stats.peakOpen.load();
            while (open > peak && !g_stats.peakOpen.compare_exchange_weak(peak, open)) {
            }
        }
    }

    void onEvent(int fd, uint32_t events)
    {
        const uint64_t t = nowNs();
        Conn *c = conn(fd);
        if (!c)
            return;
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            char buf[65536];
            for (;;) {
                const ssize_t r = recv(fd, buf, sizeof buf, 0);
                if (r > 0) {
                    c->in.append(buf, static_cast<size_t>(r));
                    if (c->in.size() > kMaxHead + kMaxBody + 65536)
                        return closeConn(*c, t, false);
                    continue;
                }
                if (r < 0 && errno == EINTR)
                    continue;
                if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                    break;
                return closeConn(*c, t, true); // orderly shutdown or reset by the peer
            }
        }
        progress(*c, t);
    }

    void runTimers()
    {
        while (!m_timers.empty() && m_timers.top().dueNs <= nowNs()) {
            const Timer timer = m_timers.top();
            m_timers.pop();
            Conn *c = conn(timer.fd);
            if (!c || c->serial != timer.serial || !c->streaming)
                continue;
            appendStreamEvent(*c);
            if (c->streaming) {
                c->nextDueNs += static_cast<uint64_t>(c->delayMs) * 1'000'000ULL;
                m_timers.push({c->nextDueNs, c->fd, c->serial});
            }
            progress(*c, nowNs());
        }
    }

    // Produces what can be produced, then writes it.
    void progress(Conn &c, uint64_t t)
    {
        for (;;) {
            if (c.streaming && c.delayMs == 0) {
                while (c.streaming && c.pending() < kHighWater)
                    appendStreamEvent(c);
            }
            if (c.streaming || c.closeAfter || c.pending() >= kHighWater || !parseRequest(c))
                break;
        }
        flush(c, t);
    }

    void flush(Conn &c, uint64_t t)
    {
        while (c.pending() > 0) {
            const ssize_t w = send(c.fd, c.out.data() + c.outPos, c.pending(), MSG_NOSIGNAL);
            if (w > 0) {
                c.outPos += static_cast<size_t>(w);
                continue;
            }
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            return closeConn(c, t, true);
        }
        if (c.pending() == 0) {
            c.out.clear();
            c.outPos = 0;
            if (c.closeAfter && !c.streaming)
                return closeConn(c, t, false);
        }
        const bool want = c.pending() > 0;
        if (want != c.wantWrite) {
            c.wantWrite = want;
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0U);
            ev.data.fd = c.fd;
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
        }
    }

    void closeConn(Conn &c, uint64_t t, bool byPeer)
    {
        if (c.streaming) {
            g_stats.midStreamCloses++;
            if (byPeer && !c.benchId.empty()) {
                std::lock_guard lock(g_stats.mutex);
                if (g_stats.closes.size() < kMaxCloses)
                    g_stats.closes.emplace_back(c.benchId, t);
            }
        }
        g_stats.open--;
        const int fd = c.fd;
        close(fd);
        m_conns[fd].reset();
    }

    // Parses and answers one complete request from the input buffer. False: incomplete (or the
    // connection is to be closed after an error answer).
    bool parseRequest(Conn &c)
    {
        const size_t headEnd = c.in.find("\r\n\r\n");
        if (headEnd == std::string::npos) {
            if (c.in.size() > kMaxHead)
                return fail(c, 431, "Request Header Fields Too Large");
            return false;
        }
        const std::string_view head(c.in.data(), headEnd + 2);
        const size_t bodyStart = headEnd + 4;
        std::string_view body;
        size_t total = 0;
        const auto te = headerValue(head, "transfer-encoding");
        if (te && iequals(*te, "chunked")) {
            if (c.headLen != bodyStart) { // a new chunked body
                c.headLen = bodyStart;
                c.chunkPos = bodyStart;
                c.decoder.reset();
                c.chunkedBody.clear();
            }
            size_t used = 0;
            const auto status =
                c.decoder.feed(std::string_view(c.in).substr(c.chunkPos), c.chunkedBody, used);
            c.chunkPos += used;
            if (status == ChunkedDecoder::Status::Error || c.chunkedBody.size() > kMaxBody)
                return fail(c, 400, "Bad Request");
            if (status == ChunkedDecoder::Status::NeedMore)
                return false;
            body = c.chunkedBody;
            total = c.chunkPos;
            c.headLen = 0;
        } else {
            const auto cl = headerValue(head, "content-length");
            const size_t length = cl ? std::strtoull(std::string(*cl).c_str(), nullptr, 10) : 0;
            if (length > kMaxBody)
                return fail(c, 413, "Content Too Large");
            if (c.in.size() < bodyStart + length)
                return false;
            body = std::string_view(c.in).substr(bodyStart, length);
            total = bodyStart + length;
        }
        handle(c, head, body);
        c.in.erase(0, total);
        return true;
    }

    bool fail(Conn &c, int status, std::string_view reason)
    {
        c.closeAfter = true;
        appendResponse(c, status, reason, "{\"error\":{\"message\":\"bad request\"}}");
        return false;
    }

    void handle(Conn &c, std::string_view head, std::string_view body)
    {
        g_stats.requests++;
        const size_t sp1 = head.find(' ');
        const size_t sp2 = head.find(' ', sp1 + 1);
        const size_t eol = head.find("\r\n");
        if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || sp2 > eol) {
            fail(c, 400, "Bad Request");
            return;
        }
        const std::string_view method = head.substr(0, sp1);
        const std::string_view target = head.substr(sp1 + 1, sp2 - sp1 - 1);
        const std::string_view version = head.substr(sp2 + 1, eol - sp2 - 1);
        const std::string_view path = target.substr(0, target.find('?'));
        const auto connection = headerValue(head, "connection");
        if (version == "HTTP/1.0")
            c.closeAfter = !(connection && iequals(*connection, "keep-alive"));
        else if (connection && iequals(*connection, "close"))
            c.closeAfter = true;

        if (method == "GET" && path == "/stats") {
            const size_t q = target.find("prefix=");
            return appendResponse(
                c, 200, "OK", statsJson(q == std::string_view::npos ? "" : target.substr(q + 7)));
        }
        if (method == "GET" && path == "/reset") {
            {
                std::lock_guard lock(g_stats.mutex);
                g_stats.closes.clear();
            }
            g_stats.peakOpen = g_stats.open.load();
            return appendResponse(c, 200, "OK", "{\"ok\":true}");
        }
        if (method == "GET" && (path == "/health" || path == "/"))
            return appendResponse(c, 200, "OK", "{\"ok\":true}");
        if (method != "POST" || !path.ends_with("/chat/completions"))
            return appendResponse(c, 404, "Not Found", "{\"error\":{\"message\":\"not found\"}}");

        if (!jsonBool(body, "stream").value_or(false)) {
            return appendResponse(
                c, 200, "OK",
                "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                "\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                "\"assistant\",\"content\":\"Hello from the bench upstream.\"},\"finish_reason\":"
                "\"stop\"}],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":7,"
                "\"total_tokens\":15}}");
        }
        auto headerInt = [&](std::string_view name, long long fallback) {
            const auto v = headerValue(head, name);
            return v ? std::strtoll(std::string(*v).c_str(), nullptr, 10) : fallback;
        };
        const long long chunks =
            jsonInt(body, "bench_chunks").value_or(headerInt("x-bench-chunks", 200));
        const long long delay =
            jsonInt(body, "bench_delay_ms").value_or(headerInt("x-bench-delay-ms", 0));
        g_stats.streams++;
        c.streaming = true;
        c.chunkTotal = static_cast<int>(std::clamp(chunks, 1LL, 10'000'000LL));
        c.chunkNext = 0;
        c.delayMs = static_cast<int>(std::clamp(delay, 0LL, 600'000LL));
        c.benchId = jsonString(body, "bench_id").value_or("");
        c.out.append("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n");
        c.out.append(c.closeAfter ? "Connection: close\r\n\r\n" : "\r\n");
        if (c.delayMs > 0) {
            appendStreamEvent(c);
            c.nextDueNs = nowNs() + static_cast<uint64_t>(c.delayMs) * 1'000'000ULL;
            if (c.streaming)
                m_timers.push({c.nextDueNs, c.fd, c.serial});
        }
    }

    int m_epoll = -1;
    int m_listen = -1;
    uint64_t m_serial = 0;
    std::vector<std::unique_ptr<Conn>> m_conns;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> m_timers;
};

int makeListener(const char *bind, uint16_t port)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1)
        die("inet_pton");
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0)
        die("bind");
    if (listen(fd, 65535) < 0)
        die("listen");
    return fd;
}

} // namespace

int main(int argc, char **argv)
{
    const char *bind = "127.0.0.1";
    long port = 0;
    unsigned threads = std::max(1U, std::thread::hardware_concurrency());
    const char *portFile = nullptr;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view a = i + 1 < argc ? argv[i] : "--help"; // every option has a value
        if (a == "--bind")
            bind = argv[i + 1];
        else if (a == "--port")
            port = std::strtol(argv[i + 1], nullptr, 10);
        else if (a == "--threads")
            threads = static_cast<unsigned>(std::max(1L, std::strtol(argv[i + 1], nullptr, 10)));
        else if (a == "--port-file")
            portFile = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: fake_upstream [--bind ADDR] [--port N] [--threads N] "
                                 "[--port-file FILE]\n");
            return 2;
        }
    }
    std::signal(SIGPIPE, SIG_IGN);

    std::vector<int> listeners{makeListener(bind, static_cast<uint16_t>(port))};
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    getsockname(listeners[0], reinterpret_cast<sockaddr *>(&addr), &len);
    const uint16_t actualPort = ntohs(addr.sin_port);
    for (unsigned i = 1; i < threads; ++i)
        listeners.push_back(makeListener(bind, actualPort));

    std::vector<std::thread> workers;
    for (const int fd : listeners)
        workers.emplace_back([fd] { Worker(fd).run(); });

    std::fprintf(stderr, "fake_upstream listening on %s:%u with %u threads\n", bind, actualPort,
                 threads);
    if (portFile) {
        const std::string tmp = std::string(portFile) + ".tmp";
        if (FILE *f = std::fopen(tmp.c_str(), "w")) {
            std::fprintf(f, "%u\n", actualPort);
            std::fclose(f);
            std::rename(tmp.c_str(), portFile);
        }
    }
    std::printf("%u\n", actualPort);
    std::fflush(stdout);
    for (auto &w : workers)
        w.join();
    return 0;
}
