# Summarises tests/bench/run.sh results: input lines "run<TAB>target<TAB>figure<TAB>value".
# Prints the medians over the runs as a table with ratios against direct, the issue's targets
# for nginx (reference) and portico, and one JSON line per figure.
# Variables: runs (number of runs), d_streams (streams in scenario d).
BEGIN {
    FS = "\t"
    ntargets = split("direct nginx portico portico_token", targets, " ")
    nfig = split("a_p50_ms a_p99_ms a_requests b_rps b_p99_ms b_errors b_cpu_us_per_req " \
                 "c_ttfb_p50_ms c_ttfb_p99_ms c_total_p50_ms c_total_p99_ms c_completed " \
                 "d_completed d_ttfb_p99_ms d_peak_rss_mib d_upstream_conns d_listen_drops " \
                 "e_close_p50_ms e_close_p99_ms e_upstream_saw_close " \
                 "idle_rss_mib idle_cpu_ms idle_wakeups_per_s rss_after_mib exit_code",
                 figures, " ")
}
$4 != "" && $4 != "null" {
    key = $2 SUBSEP $3
    n[key]++
    v[key, n[key]] = $4 + 0
}
function median(key,    i, j, m, t, a) {
    m = n[key]
    if (m == 0)
        return ""
    for (i = 1; i <= m; i++)
        a[i] = v[key, i]
    for (i = 2; i <= m; i++) {
        t = a[i]
        for (j = i - 1; j >= 1 && a[j] > t; j--)
            a[j + 1] = a[j]
        a[j + 1] = t
    }
    return a[int((m + 1) / 2)]
}
function fmt(x) {
    if (x == "")
        return "-"
    return (x >= 1000 || x <= -1000) ? sprintf("%.0f", x) : sprintf("%.4g", x)
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }
function diff(a, b) { return (a == "" || b == "") ? "" : a - b }
function js(x) { return x == "" ? "null" : sprintf("%.6g", x) }
function med(t, f) { return median(t SUBSEP f) }
function verdict(ok, x) { return x == "" ? "n/a" : (ok ? "PASS" : "FAIL") }
function check(label, t, value, ok, limit) {
    printf "  %-9s %-44s %10s  %-4s (target %s)\n", t, label, fmt(value), verdict(ok, value), limit
}
END {
    printf "\nPortico benchmark: medians of %d run(s); ratios are against direct\n\n", runs
    printf "%-22s %10s %10s %10s %10s %9s %9s %9s %9s\n", "figure", "direct", "nginx", "portico",
           "p+token", "ngx/dir", "por/dir", "por-dir", "por/ngx"
    for (i = 1; i <= nfig; i++) {
        f = figures[i]
        for (k = 1; k <= ntargets; k++)
            m[targets[k]] = med(targets[k], f)
        if (m["direct"] == "" && m["nginx"] == "" && m["portico"] == "" && m["portico_token"] == "")
            continue
        printf "%-22s %10s %10s %10s %10s %9s %9s %9s %9s\n", f, fmt(m["direct"]), fmt(m["nginx"]),
               fmt(m["portico"]), fmt(m["portico_token"]), fmt(ratio(m["nginx"], m["direct"])),
               fmt(ratio(m["portico"], m["direct"])), fmt(diff(m["portico"], m["direct"])),
               fmt(ratio(m["portico"], m["nginx"]))
    }

    printf "\nTargets of issue 6 (nginx shown for reference)\n"
    for (k = 2; k <= 3; k++) {
        t = targets[k]
        if (med(t, "a_p50_ms") == "")
            continue
        x = diff(med(t, "a_p50_ms"), med("direct", "a_p50_ms"))
        check("(a) added latency p50, ms", t, x, x <= 0.10, "<= 0.10")
        x = diff(med(t, "a_p99_ms"), med("direct", "a_p99_ms"))
        check("(a) added latency p99, ms", t, x, x <= 0.5, "<= 0.5")
        x = ratio(med(t, "b_rps"), med("nginx", "b_rps"))
        check("(b) requests/s vs nginx", t, x, x >= 1.0, ">= 1.0, < 0.5 is a defect")
        x = ratio(med(t, "b_cpu_us_per_req"), med("nginx", "b_cpu_us_per_req"))
        check("(b) CPU per request vs nginx", t, x, x <= 1.0, "<= 1.0")
        x = med(t, "b_errors")
        check("(b) errors", t, x, x == 0, "0")
        x = diff(med(t, "c_ttfb_p50_ms"), med("direct", "c_ttfb_p50_ms"))
        check("(c) added time to first byte p50, ms", t, x, x <= 0.2, "<= 0.2")
        x = med(t, "d_completed")
        check("(d) streams completed", t, x, x == d_streams, d_streams)
        x = ratio(med(t, "d_ttfb_p99_ms"), med("direct", "d_ttfb_p99_ms"))
        check("(d) TTFB p99 vs direct", t, x, x <= 2.0, "<= 2.0")
        x = med(t, "d_peak_rss_mib")
        check("(d) peak RSS, MiB", t, x, x <= 64, "<= 64")
        x = med(t, "e_close_p50_ms")
        check("(e) upstream closed after disconnect p50, ms", t, x, x <= 5, "<= 5")
        x = med(t, "idle_rss_mib")
        check("idle RSS, MiB", t, x, x <= 30, "<= 30")
        x = med(t, "idle_wakeups_per_s")
        check("idle wake-ups per second", t, x, x <= 0.1, "0")
    }

    printf "\n"
    for (i = 1; i <= nfig; i++) {
        f = figures[i]
        for (k = 1; k <= ntargets; k++)
            m[targets[k]] = med(targets[k], f)
        if (m["direct"] == "" && m["nginx"] == "" && m["portico"] == "" && m["portico_token"] == "")
            continue
        printf "{\"figure\":\"%s\",\"runs\":%d", f, runs
        for (k = 1; k <= ntargets; k++)
            printf ",\"%s\":%s", targets[k], js(m[targets[k]])
        printf ",\"nginx_vs_direct\":%s,\"portico_vs_direct\":%s,\"portico_minus_direct\":%s," \
               "\"portico_vs_nginx\":%s}\n", js(ratio(m["nginx"], m["direct"])),
               js(ratio(m["portico"], m["direct"])), js(diff(m["portico"], m["direct"])),
               js(ratio(m["portico"], m["nginx"]))
    }
}
