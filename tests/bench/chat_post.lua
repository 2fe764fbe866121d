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
