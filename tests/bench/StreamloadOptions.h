#pragma once

// Command line of streamload.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace portico::bench {

struct Options
{
    std::string host = "127.0.0.1";
    int port = 0;
    std::string path = "/v1/chat/completions";
    int streams = 1;
    int concurrency = 0; // 0: all at once
    int chunks = 200;
    int delayMs = 0;
    std::string token;
    int rampMs = 0;
    double timeoutS = 60;
    bool keepAlive = true;
    bool disconnect = false;
    bool nonStream = false;
    int statsPort = 0;
    int settleMs = 3000;
    std::string control; // --stats / --stats-reset: a GET on the fake upstream at --port
    bool freePort = false;
};

[[noreturn]] inline void usage()
{
    std::fprintf(stderr,
                 "usage: streamload --port N [--host H] [--path P] [--streams K] "
                 "[--concurrency C] [--chunks N] [--delay-ms D] [--token T] [--ramp-ms R] "
                 "[--timeout-s S] [--no-keepalive] [--nonstream] [--disconnect --stats-port N "
                 "[--settle-ms M]] | --port N --stats | --port N --stats-reset | --free-port\n");
    std::exit(2);
}

inline Options parseOptions(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> const char * { return i + 1 < argc ? argv[++i] : (usage(), ""); };
        if (a == "--free-port")
            o.freePort = true;
        else if (a == "--stats" || a == "--stats-reset")
            o.control = a == "--stats" ? "/stats" : "/reset";
        else if (a == "--no-keepalive")
            o.keepAlive = false;
        else if (a == "--disconnect")
            o.disconnect = true;
        else if (a == "--nonstream")
            o.nonStream = true;
        else if (a == "--host")
            o.host = value();
        else if (a == "--port")
            o.port = std::atoi(value());
        else if (a == "--path")
            o.path = value();
        else if (a == "--streams")
            o.streams = std::max(1, std::atoi(value()));
        else if (a == "--concurrency")
            o.concurrency = std::atoi(value());
        else if (a == "--chunks")
            o.chunks = std::max(1, std::atoi(value()));
        else if (a == "--delay-ms")
            o.delayMs = std::atoi(value());
        else if (a == "--token")
            o.token = value();
        else if (a == "--ramp-ms")
            o.rampMs = std::atoi(value());
        else if (a == "--timeout-s")
            o.timeoutS = std::atof(value());
        else if (a == "--stats-port")
            o.statsPort = std::atoi(value());
        else if (a == "--settle-ms")
            o.settleMs = std::atoi(value());
        else
            usage();
    }
    if (!o.freePort && (o.port <= 0 || (o.disconnect && o.statsPort <= 0)))
        usage();
    return o;
}

} // namespace portico::bench
