#!/usr/bin/env bash
# Portico benchmark (issue 6): the same workloads directly against a fast fake upstream, through
# nginx as a reverse proxy, and through `portico --headless`, on 127.0.0.1 only.
#
#   tests/bench/run.sh [--runs N] [--portico PATH] [--build-dir DIR] [--quick] [--no-token]
#
# Prints a table (medians over the runs; ratios against direct) and one JSON line per figure.
# See tests/bench/README.md for what each figure means and the targets.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
RUNS=1
QUICK=0
TOKEN_ROW=1
BUILD_DIR=${BENCH_BUILD_DIR:-$REPO/build}
PORTICO=""

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --portico) PORTICO=$2; shift 2 ;;
        --build-dir) BUILD_DIR=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --no-token) TOKEN_ROW=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || { echo "--runs wants 1..99" >&2; exit 2; }
PORTICO=${PORTICO:-$BUILD_DIR/app/portico}

# Workload sizes. --quick is a smoke test of the harness, not a measurement.
if [[ $QUICK == 1 ]]; then
    A_SECS=1 B_SECS=3 C_STREAMS=200 D_STREAMS=1000 E_STREAMS=30 IDLE_SECS=3
else
    A_SECS=3 B_SECS=10 C_STREAMS=1000 D_STREAMS=1000 E_STREAMS=100 IDLE_SECS=10
fi
B_CONNS=64 B_THREADS=2
C_CHUNKS=200 D_CHUNKS=50 D_DELAY_MS=100 D_RAMP_MS=1000
E_CHUNKS=200 E_DELAY_MS=50 E_RAMP_MS=2000
TOKEN="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---- tools: build ours if missing, install wrk / nginx-light only if missing -------------------
FAKE=$BUILD_DIR/tests/bench/fake_upstream
LOAD=$BUILD_DIR/tests/bench/streamload
if [[ ! -x $FAKE || ! -x $LOAD ]]; then
    [[ -f $BUILD_DIR/CMakeCache.txt ]] || {
        echo "no CMake build in $BUILD_DIR (configure it, or pass --build-dir)" >&2; exit 2; }
    log "building bench_tools in $BUILD_DIR"
    cmake --build "$BUILD_DIR" --target bench_tools >&2
fi
apt_install() {
    local sudo=""
    [[ $EUID -eq 0 ]] || sudo=sudo
    log "installing $1"
    $sudo apt-get install -y "$1" >&2
}
command -v wrk >/dev/null || apt_install wrk
NGINX=$(command -v nginx || true)
[[ -n $NGINX ]] || NGINX=/usr/sbin/nginx
[[ -x $NGINX ]] || { apt_install nginx-light; NGINX=/usr/sbin/nginx; }

ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) >= 4200 )) || log "warning: fd limit $(ulimit -n) is low for 1,000 streams"

# ---- processes: all ours, all killed on exit -------------------------------------------------
TMP=$(mktemp -d /tmp/portico-bench.XXXXXX)
PIDS=()
declare -A TPID TPORT # target -> process id / port
stop_pid() { # pid: SIGTERM, wait up to 5 s, then SIGKILL; exit status in STOP_RC
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    STOP_RC=0
    wait "$pid" 2>/dev/null || STOP_RC=$?
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null && stop_pid "$pid"
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
forget_pid() { # pid: no longer ours to clean up
    local p keep=()
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

wait_port() { # port: up to 10 s for a listener
    local i
    for ((i = 0; i < 200; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
free_port() { "$LOAD" --free-port; }

start_upstream() {
    rm -f "$TMP/upstream.port"
    "$FAKE" --port 0 --port-file "$TMP/upstream.port" >/dev/null 2>"$TMP/upstream.log" &
    UP_PID=$!
    PIDS+=("$UP_PID")
    TPID[direct]=$UP_PID
    local i
    for ((i = 0; i < 200; i++)); do [[ -s $TMP/upstream.port ]] && break; sleep 0.05; done
    UP_PORT=$(cat "$TMP/upstream.port")
    TPORT[direct]=$UP_PORT
}

start_nginx() {
    NGX_PORT=$(free_port)
    TPORT[nginx]=$NGX_PORT
    local d=$TMP/nginx
    mkdir -p "$d"
    cat >"$d/nginx.conf" <<EOF
$([[ $EUID -eq 0 ]] && echo "user root;")
worker_processes auto;
worker_rlimit_nofile 16384;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 8192; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    upstream fake {
        server 127.0.0.1:$UP_PORT;
        keepalive 256;
        keepalive_requests 1000000;
        keepalive_timeout 120s;
    }
    server {
        listen 127.0.0.1:$NGX_PORT backlog=4096;
        location / {
            proxy_pass http://fake;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }
    }
}
EOF
    "$NGINX" -p "$d" -c "$d/nginx.conf" -g 'daemon off;' 2>"$d/stderr.log" &
    NGX_PID=$!
    PIDS+=("$NGX_PID")
    TPID[nginx]=$NGX_PID
    wait_port "$NGX_PORT" || { log "nginx did not start: $(tail -3 "$d/stderr.log")"; return 1; }
}

start_portico() { # name auth-mode: sets TPORT[name] and TPID[name]
    local name=$1 mode=$2 port
    port=$(free_port)
    local d=$TMP/$name
    mkdir -p "$d"
    cat >"$d/config.json" <<EOF
{"gateway":{"bind":"127.0.0.1","port":$port,"auth":{"mode":"$mode"},
            "http":{"endpoints":{"chatCompletions":{"enabled":true}}}},
 "providers":{"fake":{"type":"openai","baseUrl":"http://127.0.0.1:$UP_PORT/v1",
                      "models":["bench-model"]}},
 "routes":[{"match":"*","provider":"fake"}]}
EOF
    local token=""
    [[ $mode == token ]] && token=$TOKEN
    env ${token:+PORTICO_GATEWAY_TOKEN="$token"} XDG_CONFIG_HOME="$d" XDG_DATA_HOME="$d" \
        "$PORTICO" --headless --config "$d/config.json" --bind 127.0.0.1 --port "$port" \
        >"$d/stdout.log" 2>"$d/requests.log" &
    local pid=$!
    PIDS+=("$pid")
    TPORT[$name]=$port
    TPID[$name]=$pid
    wait_port "$port" || { log "$name did not start: $(tail -3 "$d/requests.log")"; return 1; }
}

# ---- /proc readings --------------------------------------------------------------------------
proc_tree() { # pid: the pid and its direct children (nginx: master and workers)
    echo "$1"
    cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' || true
}
cpu_ticks() { # pids...: utime+stime in clock ticks
    local pid total=0 line f
    for pid in "$@"; do
        line=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        read -ra f <<<"${line##*) }"
        total=$((total + f[11] + f[12]))
    done
    echo "$total"
}
status_kb() { # field pids...: sum of a /proc/<pid>/status field in kB
    local field=$1 pid total=0 v
    shift
    for pid in "$@"; do
        v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}
ctx_switches() { # pid: voluntary + nonvoluntary context switches of all their threads
    cat /proc/"$1"/task/*/status 2>/dev/null |
        awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { s += $2 } END { print s + 0 }'
}
thread_ctx() { # pids...: "tid name switches" per thread, for the idle log line
    local pid task
    for pid in "$@"; do
        for task in /proc/"$pid"/task/*; do
            awk -v tid="${task##*/}" '/^Name:/ { n = $2 } /_ctxt_switches:/ { s += $2 }
                END { print tid, n, s + 0 }' "$task/status" 2>/dev/null || true
        done
    done
}
ctx_all() { # pids...: ctx_switches summed over processes
    local pid total=0
    for pid in "$@"; do total=$((total + $(ctx_switches "$pid"))); done
    echo "$total"
}
listen_drops() { # SYNs or connections dropped because a listen queue was full (whole netns)
    awk '/^TcpExt:/ { if (!c) { for (i = 1; i <= NF; i++) if ($i == "ListenDrops") c = i }
                      else print $c }' /proc/net/netstat
}
reset_hwm() { # pids...: restart VmHWM from the current RSS
    local pid
    for pid in "$@"; do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done
}
HZ=$(getconf CLK_TCK)

# ---- results ---------------------------------------------------------------------------------
RESULTS=$TMP/results.tsv
: >"$RESULTS"
record() { printf '%s\t%s\t%s\t%s\n' "$RUN" "$1" "$2" "$3" >>"$RESULTS"; }
jget() { # json key [subkey]: a number from a flat JSON line
    if [[ $# -eq 3 ]]; then
        sed -n "s/.*\"$2\":{[^}]*\"$3\":\([^,}]*\).*/\1/p" <<<"$1"
    else
        sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" <<<"$1"
    fi
}
calc() { awk "BEGIN { v = $1; printf \"%.4f\", v }" 2>/dev/null || echo null; }

target_pids() { # target -> pids whose CPU and memory are the target's
    case $1 in
        nginx) proc_tree "${TPID[nginx]}" ;;
        *) echo "${TPID[$1]}" ;;
    esac
}
target_port() { echo "${TPORT[$1]}"; }
target_token() { if [[ $1 == portico_token ]]; then echo "$TOKEN"; fi; }

check_target() { # target: one plain and one streaming request must succeed
    local port tok out1 out2
    port=$(target_port "$1")
    tok=$(target_token "$1")
    out1=$("$LOAD" --port "$port" ${tok:+--token "$tok"} --nonstream --streams 2 --timeout-s 10) ||
        true
    out2=$("$LOAD" --port "$port" ${tok:+--token "$tok"} --streams 2 --chunks 5 --timeout-s 10) ||
        true
    if [[ $(jget "$out1" completed) != 2 || $(jget "$out2" completed) != 2 ]]; then
        log "$1 failed its check: $out1 $out2"
        return 1
    fi
}

run_wrk() { # target threads conns secs -> WRKJSON line
    local port tok
    port=$(target_port "$1")
    tok=$(target_token "$1")
    BENCH_TOKEN="$tok" wrk -t"$2" -c"$3" -d"$4"s --latency -s "$SCRIPT_DIR/chat_post.lua" \
        "http://127.0.0.1:$port/v1/chat/completions" | sed -n 's/^WRKJSON //p'
}

scenario_a() {
    local out secs
    out=$(run_wrk "$1" 1 1 "$A_SECS") || true
    if [[ $QUICK == 0 && -n $out ]] && (($(jget "$out" requests) < 2000)); then
        # a slow target: run again, long enough for 2,000 requests (at most 30 s)
        secs=$(awk -v r="$(jget "$out" rps)" \
            'BEGIN { s = int(2400 / (r + 1)) + 1; print (s > 30 ? 30 : s) }')
        log "$1 (a) only $(jget "$out" requests) requests; again for ${secs}s"
        out=$(run_wrk "$1" 1 1 "$secs") || true
    fi
    log "$1 (a) $out"
    record "$1" a_p50_ms "$(calc "$(jget "$out" p50_us) / 1000")"
    record "$1" a_p99_ms "$(calc "$(jget "$out" p99_us) / 1000")"
    record "$1" a_requests "$(jget "$out" requests)"
}

scenario_b() {
    local pids t0 t1 out req
    mapfile -t pids < <(target_pids "$1")
    t0=$(cpu_ticks "${pids[@]}")
    out=$(run_wrk "$1" "$B_THREADS" "$B_CONNS" "$B_SECS") || true
    t1=$(cpu_ticks "${pids[@]}")
    log "$1 (b) $out cpu_ticks=$((t1 - t0))"
    req=$(jget "$out" requests)
    record "$1" b_rps "$(jget "$out" rps)"
    record "$1" b_p99_ms "$(calc "$(jget "$out" p99_us) / 1000")"
    record "$1" b_errors "$(jget "$out" errors)"
    record "$1" b_cpu_us_per_req "$(calc "($t1 - $t0) * 1000000 / $HZ / $req")"
}

scenario_c() {
    local out
    out=$("$LOAD" --port "$(target_port "$1")" --streams "$C_STREAMS" --concurrency 1 \
        --chunks "$C_CHUNKS" --timeout-s 60) || true
    log "$1 (c) $out"
    record "$1" c_completed "$(jget "$out" completed)"
    record "$1" c_ttfb_p50_ms "$(jget "$out" ttfb_ms p50)"
    record "$1" c_ttfb_p99_ms "$(jget "$out" ttfb_ms p99)"
    record "$1" c_total_p50_ms "$(jget "$out" total_ms p50)"
    record "$1" c_total_p99_ms "$(jget "$out" total_ms p99)"
}

scenario_d() {
    local pids out stats drops
    mapfile -t pids < <(target_pids "$1")
    reset_hwm "${pids[@]}"
    drops=$(listen_drops)
    "$LOAD" --port "$UP_PORT" --stats-reset >/dev/null || true
    out=$("$LOAD" --port "$(target_port "$1")" --streams "$D_STREAMS" --chunks "$D_CHUNKS" \
        --delay-ms "$D_DELAY_MS" --ramp-ms "$D_RAMP_MS" --timeout-s 40) || true
    stats=$("$LOAD" --port "$UP_PORT" --stats) || true
    log "$1 (d) $out upstream_peak_open=$(jget "$stats" peak_open)"
    record "$1" d_completed "$(jget "$out" completed)"
    record "$1" d_ttfb_p99_ms "$(jget "$out" ttfb_ms p99)"
    record "$1" d_peak_rss_mib "$(calc "$(status_kb VmHWM "${pids[@]}") / 1024")"
    record "$1" d_upstream_conns "$(jget "$stats" peak_open)"
    record "$1" d_listen_drops "$(($(listen_drops) - drops))"
}

scenario_e() {
    local out
    out=$("$LOAD" --port "$(target_port "$1")" --disconnect --stats-port "$UP_PORT" \
        --streams "$E_STREAMS" --chunks "$E_CHUNKS" --delay-ms "$E_DELAY_MS" \
        --ramp-ms "$E_RAMP_MS" --settle-ms 3000 --timeout-s 30) || true
    log "$1 (e) $out"
    record "$1" e_close_p50_ms "$(jget "$out" close_delay_ms p50)"
    record "$1" e_close_p99_ms "$(jget "$out" close_delay_ms p99)"
    record "$1" e_upstream_saw_close "$(jget "$out" upstream_saw_close)"
}

measure_idle() { # targets...: all at once, each its own processes
    local t pids c0=() k0=() c1 k1 i=0 busy
    for t in "$@"; do
        mapfile -t pids < <(target_pids "$t")
        c0+=("$(cpu_ticks "${pids[@]}")")
        k0+=("$(ctx_all "${pids[@]}")")
        thread_ctx "${pids[@]}" >"$TMP/idle-$t.threads"
    done
    sleep "$IDLE_SECS"
    for t in "$@"; do
        mapfile -t pids < <(target_pids "$t")
        c1=$(cpu_ticks "${pids[@]}")
        k1=$(ctx_all "${pids[@]}")
        record "$t" idle_rss_mib "$(calc "$(status_kb VmRSS "${pids[@]}") / 1024")"
        record "$t" idle_cpu_ms "$(calc "($c1 - ${c0[i]}) * 1000 / $HZ")"
        record "$t" idle_wakeups_per_s "$(calc "($k1 - ${k0[i]}) / $IDLE_SECS")"
        busy=$(thread_ctx "${pids[@]}" | awk 'NR == FNR { s[$1] = $3; next }
            $3 - s[$1] > 0 { printf "%s%s/%s:%d", sep, $2, $1, $3 - s[$1]; sep = " " }' \
            "$TMP/idle-$t.threads" -)
        log "$t idle: rss_kb=$(status_kb VmRSS "${pids[@]}") cpu_ticks=$((c1 - c0[i]))" \
            "switches=$((k1 - k0[i])) ${busy:+by thread: $busy}"
        i=$((i + 1))
    done
}

one_run() {
    local targets=(direct nginx) t
    start_upstream
    log "run $RUN: upstream on :$UP_PORT"
    if start_nginx && check_target nginx; then :; else targets=(direct); fi
    local have_portico=0
    if [[ -x $PORTICO ]]; then
        if start_portico portico none && check_target portico; then
            targets+=(portico)
            have_portico=1
        else
            stop_pid "${TPID[portico]}"
            forget_pid "${TPID[portico]}"
        fi
    elif [[ $RUN == 1 ]]; then
        log "no portico binary at $PORTICO: measuring direct and nginx only"
    fi
    check_target direct
    sleep 1
    log "idle ${IDLE_SECS}s: ${targets[*]}"
    measure_idle "${targets[@]}"
    for t in "${targets[@]}"; do
        scenario_a "$t"
        scenario_b "$t"
        scenario_c "$t"
        scenario_d "$t"
        scenario_e "$t"
        mapfile -t pids < <(target_pids "$t")
        record "$t" rss_after_mib "$(calc "$(status_kb VmRSS "${pids[@]}") / 1024")"
    done
    if [[ $have_portico == 1 && $TOKEN_ROW == 1 ]]; then
        if start_portico portico_token token && check_target portico_token; then
            scenario_a portico_token
            scenario_b portico_token
        fi
        if [[ -n ${TPID[portico_token]:-} ]]; then
            stop_pid "${TPID[portico_token]}"
            record portico_token exit_code "$STOP_RC"
            forget_pid "${TPID[portico_token]}"
        fi
    fi
    if [[ $have_portico == 1 ]]; then
        stop_pid "${TPID[portico]}"
        record portico exit_code "$STOP_RC"
        forget_pid "${TPID[portico]}"
    fi
    if [[ -n ${TPID[nginx]:-} ]]; then
        stop_pid "${TPID[nginx]}"
        forget_pid "${TPID[nginx]}"
    fi
    stop_pid "$UP_PID"
    forget_pid "$UP_PID"
    TPID=() TPORT=()
}

START=$SECONDS
for ((RUN = 1; RUN <= RUNS; RUN++)); do
    one_run
done
log "done in $((SECONDS - START)) s"
awk -v runs="$RUNS" -v d_streams="$D_STREAMS" -f "$SCRIPT_DIR/report.awk" "$RESULTS"
