#pragma once

// Small helpers shared by the benchmark tools (fake_upstream, streamload). Plain C++20 and
// POSIX: no Qt, so the tools cost as little as possible next to the gateway they measure.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace portico::bench {

// CLOCK_MONOTONIC in nanoseconds: the same clock in every process on the machine, so the
// client's and the upstream's timestamps can be subtracted.
inline uint64_t nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

inline bool setNonBlocking(int fd)
{
    const int flags = fcntl(fd, F_GETFL, 0);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

[[noreturn]] inline void die(const char *what)
{
    std::fprintf(stderr, "%s: %s\n", what, std::strerror(errno));
    std::exit(2);
}

// Nearest-rank percentile of an unsorted sample, q in (0, 1]. NaN when empty.
inline double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
    rank = std::clamp<size_t>(rank, 1, values.size());
    return values[rank - 1];
}

// Formats a number for JSON output; NaN becomes null.
inline std::string jsonNumber(double v)
{
    if (std::isnan(v))
        return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

inline bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Value of header `name` in a raw HTTP head ("...\r\nName: value\r\n..."), case-insensitive.
inline std::optional<std::string_view> headerValue(std::string_view head, std::string_view name)
{
    size_t pos = head.find("\r\n");
    while (pos != std::string_view::npos && pos + 2 < head.size()) {
        const size_t start = pos + 2;
        const size_t end = head.find("\r\n", start);
        const std::string_view line =
            head.substr(start, end == std::string_view::npos ? head.npos : end - start);
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name))
            return trim(line.substr(colon + 1));
        pos = end;
    }
    return std::nullopt;
}

// Position just after `"key"` followed by optional blanks and a colon in a JSON text, or npos.
// A shallow scan, enough for the flat request bodies the bench sends.
inline size_t jsonValueStart(std::string_view json, std::string_view key)
{
    const std::string quoted = "\"" + std::string(key) + "\"";
    size_t pos = 0;
    while ((pos = json.find(quoted, pos)) != std::string_view::npos) {
        size_t i = pos + quoted.size();
        while (i < json.size() && std::isspace(static_cast<unsigned char>(json[i])))
            ++i;
        if (i < json.size() && json[i] == ':') {
            ++i;
            while (i < json.size() && std::isspace(static_cast<unsigned char>(json[i])))
                ++i;
            return i;
        }
        pos += quoted.size();
    }
    return std::string_view::npos;
}

inline std::optional<long long> jsonInt(std::string_view json, std::string_view key)
{
    const size_t i = jsonValueStart(json, key);
    if (i == std::string_view::npos || i >= json.size())
        return std::nullopt;
    char *end = nullptr;
    const std::string tail(json.substr(i, 24));
    const long long v = std::strtoll(tail.c_str(), &end, 10);
    if (end == tail.c_str())
        return std::nullopt;
    return v;
}

inline std::optional<bool> jsonBool(std::string_view json, std::string_view key)
{
    const size_t i = jsonValueStart(json, key);
    if (i == std::string_view::npos)
        return std::nullopt;
    if (json.substr(i, 4) == "true")
        return true;
    if (json.substr(i, 5) == "false")
        return false;
    return std::nullopt;
}

// A JSON string value without escapes (the bench's ids are plain ASCII).
inline std::optional<std::string> jsonString(std::string_view json, std::string_view key)
{
    const size_t i = jsonValueStart(json, key);
    if (i == std::string_view::npos || i >= json.size() || json[i] != '"')
        return std::nullopt;
    const size_t end = json.find('"', i + 1);
    if (end == std::string_view::npos)
        return std::nullopt;
    return std::string(json.substr(i + 1, end - i - 1));
}

} // namespace portico::bench
