-- wrk script for the non-streaming scenarios (a) and (b) of tests/bench/run.sh:
-- POST /v1/chat/completions with a small JSON body, optionally with a bearer token
-- (environment BENCH_TOKEN), and one machine-readable summary line at the end:
--   WRKJSON {"requests":..,"rps":..,"p50_us":..,"p99_us":..,"errors":..,...}
-- errors = non-2xx/3xx responses + connect/read/write errors + timeouts.

wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/v1/chat/completions"
wrk.body = '{"model":"bench-model","stream":false,'
    .. '"messages":[{"role":"user","content":"Say hello."}]}'
wrk.headers["Content-Type"] = "application/json"
-- BENCH_SDK_HEADERS=1: also the headers the OpenAI Python SDK sends with every request (a
-- client's usual head, for the instruction counts in README.md; run.sh does not set it).
local sdkHeaders = {
    ["Accept-Encoding"] = "gzip, deflate", ["Accept"] = "application/json",
    ["User-Agent"] = "OpenAI/Python 1.54.4", ["X-Stainless-Lang"] = "python",
    ["X-Stainless-Package-Version"] = "1.54.4", ["X-Stainless-OS"] = "Linux",
    ["X-Stainless-Arch"] = "x64", ["X-Stainless-Runtime"] = "CPython",
    ["X-Stainless-Runtime-Version"] = "3.11.7", ["X-Stainless-Async"] = "false",
    ["x-stainless-retry-count"] = "0", ["x-stainless-read-timeout"] = "600",
}
if os.getenv("BENCH_SDK_HEADERS") == "1" then
    for name, value in pairs(sdkHeaders) do
        wrk.headers[name] = value
    end
end
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
    local e = summary.errors
    local errors = e.connect + e.read + e.write + e.status + e.timeout
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'WRKJSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_us":%d,"p90_us":%d,'
            .. '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"errors":%d,"err_connect":%d,'
            .. '"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        latency.mean, errors, e.connect, e.read, e.write, e.status, e.timeout))
end
