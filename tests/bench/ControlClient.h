#pragma once

// Blocking helpers of streamload for talking to the fake upstream's control endpoints.

#include "BenchCommon.h"

#include <arpa/inet.h>
#include <map>
#include <netinet/in.h>
#include <sys/socket.h>

namespace portico::bench {

inline sockaddr_in address(const std::string &host, int port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
        die("inet_pton");
    return a;
}

// GET `path` with Connection: close; returns the body ("" on any failure).
inline std::string httpGet(const std::string &host, int port, const std::string &path)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in a = address(host, port);
    if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) < 0) {
        if (fd >= 0)
            close(fd);
        return {};
    }
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const std::string req =
        "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    std::string resp;
    if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
        char buf[65536];
        ssize_t r = 0;
        while ((r = recv(fd, buf, sizeof buf, 0)) > 0)
            resp.append(buf, static_cast<size_t>(r));
    }
    close(fd);
    const size_t body = resp.find("\r\n\r\n");
    return body == std::string::npos ? std::string() : resp.substr(body + 4);
}

// The fake upstream's record of streams closed by their peer: bench_id -> CLOCK_MONOTONIC ns.
inline std::map<std::string, uint64_t> upstreamCloses(const std::string &host, int port,
                                                      const std::string &prefix)
{
    std::map<std::string, uint64_t> closes;
    const std::string json = httpGet(host, port, "/stats?prefix=" + prefix);
    size_t pos = 0;
    while ((pos = json.find("{\"id\":\"", pos)) != std::string::npos) {
        const size_t end = json.find('}', pos);
        if (end == std::string::npos)
            break;
        const std::string_view item(json.data() + pos, end - pos + 1);
        const auto id = jsonString(item, "id");
        const auto t = jsonInt(item, "t_ns");
        if (id && t)
            closes[*id] = static_cast<uint64_t>(*t);
        pos = end;
    }
    return closes;
}

inline int freePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = address("127.0.0.1", 0);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) < 0 ||
        getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) < 0)
        die("free port");
    close(fd);
    return ntohs(a.sin_port);
}

} // namespace portico::bench
