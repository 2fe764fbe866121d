#!/bin/bash
# The Debian package, end to end (issue 7), from an already built tree:
#   1. `cmake --install --prefix /usr --strip` into a staging folder, then `cpack -G DEB` over it
#      (the main build's objects are reused: nothing is compiled again);
#   2. checks its control fields and contents, runs lintian (no errors), desktop-file-validate and
#      appstreamcli validate on what it ships;
#   3. installs it with `apt-get install ./portico_*.deb`, checks the systemd user unit, runs the
#      installed `portico --version` and `portico --headless` against diagnostic requests (plain,
#      streaming, unauthorised) and `portico log`;
#   4. removes it again and checks the machine's package set is what it was.
# Usage: tst_package.sh <build-dir> <project-version> <cmake> <cpack>
# Needs root (apt-get, dpkg): skipped with exit code 77 otherwise. The tools come from
# `packaging/debian-deps.sh package`.
set -euo pipefail

build_dir=$1
version=$2
cmake=$3
cpack=$4
deb_version="$version-1"

say() { printf 'tst_package: %s\n' "$*"; }
fail() {
    printf 'tst_package: FAIL: %s\n' "$*" >&2
    exit 1
}
if [ "$(id -u)" -ne 0 ]; then
    say "SKIP: not root; this test installs and removes the package with apt-get (run it as root)."
    exit 77
fi
missing=""
for tool in lintian desktop-file-validate appstreamcli dpkg-shlibdeps dpkg-deb apt-get file \
    readelf; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] || fail "missing tools:$missing (install them: packaging/debian-deps.sh package)"
if dpkg-query -W -f='${Status}' portico 2>/dev/null | grep -q "install ok installed"; then
    say "SKIP: a portico package is already installed on this machine; not touching it."
    exit 77
fi

work=$(mktemp -d /tmp/portico-package.XXXXXX)
chmod 755 "$work" # apt's unprivileged _apt user reads the .deb from here
headless_pid=""
installed_by_us=0
cleanup() {
    if [ -n "$headless_pid" ] && kill -0 "$headless_pid" 2>/dev/null; then
        kill -KILL "$headless_pid" 2>/dev/null || true
        wait "$headless_pid" 2>/dev/null || true
    fi
    if [ "$installed_by_us" -eq 1 ] && dpkg-query -W -f='${Status}' portico 2>/dev/null |
        grep -q "install ok installed"; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq portico >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. Build the package from the built tree -----------------------------------------------------
[ -x "$build_dir/app/portico" ] || fail "$build_dir/app/portico is not built"
say "staging: cmake --install $build_dir --prefix /usr --strip"
DESTDIR="$work/stage" "$cmake" --install "$build_dir" --prefix /usr --strip >"$work/install.log" ||
    { cat "$work/install.log"; fail "cmake --install failed"; }
say "packaging: cpack -G DEB"
"$cpack" -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" \
    -D CPACK_INSTALL_CMAKE_PROJECTS= -D "CPACK_INSTALLED_DIRECTORIES=$work/stage;/" \
    >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
debs=("$work"/out/portico_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
    fail "expected one portico_*.deb, got: ${debs[*]}"
fi
deb=${debs[0]}
[ "$(basename "$deb")" = "portico_${deb_version}_$(dpkg --print-architecture).deb" ] ||
    fail "unexpected file name $(basename "$deb")"
say "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# --- 2. Control fields, contents, linters --------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = portico ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$deb_version" ] || fail "Version: $(field Version), want $deb_version"
[ "$(field Section)" = net ] || fail "Section: $(field Section)"
[ "$(field Recommends)" = "gnome-keyring | kwalletmanager" ] ||
    fail "Recommends: $(field Recommends)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
# From dpkg-shlibdeps: the libraries the binary links, with versions.
for lib in libc6 libqt6core6 libqt6network6; do
    grep -Eq "(^|, )$lib \(>= [^)]+\)" <<<"$depends" ||
        fail "Depends lacks a versioned $lib: $depends"
done
say "Depends: $depends"

dpkg-deb -x "$deb" "$work/root"
root=$work/root
for path in usr/bin/portico \
    usr/share/applications/io.portico.Portico.desktop \
    usr/share/metainfo/io.portico.Portico.metainfo.xml \
    usr/share/icons/hicolor/scalable/apps/io.portico.Portico.svg \
    usr/share/icons/hicolor/symbolic/apps/io.portico.Portico-symbolic.svg \
    usr/share/icons/hicolor/symbolic/apps/io.portico.Portico-idle-symbolic.svg \
    usr/lib/systemd/user/portico.service \
    usr/share/man/man1/portico.1.gz \
    usr/share/doc/portico/copyright \
    usr/share/doc/portico/changelog.Debian.gz; do
    [ -s "$root/$path" ] || fail "the package lacks /$path"
done
for size in 16 22 24 32 48 64 128 256; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/io.portico.Portico.png
    file -b "$png" | grep -q "PNG image data, $size x $size" ||
        fail "bad icon $png: $(file -b "$png")"
done
file -b "$root/usr/bin/portico" | grep -q ", stripped" || fail "/usr/bin/portico is not stripped"
if readelf -d "$root/usr/bin/portico" | grep -Eq '\((RPATH|RUNPATH)\)'; then
    fail "/usr/bin/portico has an RPATH/RUNPATH: $(readelf -d "$root/usr/bin/portico" | grep PATH)"
fi
grep -qx 'ExecStart=/usr/bin/portico --headless' "$root/usr/lib/systemd/user/portico.service" ||
    fail "the unit does not run /usr/bin/portico --headless"

say "lintian:"
lintian_status=0
lintian --fail-on error --display-info "$deb" >"$work/lintian.log" 2>&1 || lintian_status=$?
grep -v '^running with root privileges' "$work/lintian.log" || true
[ "$lintian_status" -eq 0 ] || fail "lintian reports errors (above)"
say "desktop-file-validate:"
desktop-file-validate "$root/usr/share/applications/io.portico.Portico.desktop" ||
    fail "desktop-file-validate"
say "appstreamcli validate --no-net:"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.portico.Portico.metainfo.xml" ||
    fail "appstreamcli validate"
grep -q "<release version=\"$version\"" \
    "$root/usr/share/metainfo/io.portico.Portico.metainfo.xml" ||
    fail "the metainfo has no release notes for $version"

# --- 3. Install, and run what was installed ---------------------------------------------------
dpkg-query -W -f='${Package}\n' | sort >"$work/packages.before"
say "apt-get install ./$(basename "$deb")"
installed_by_us=1
(cd "$work/out" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "./$(basename "$deb")") >"$work/apt-install.log" 2>&1 ||
    { cat "$work/apt-install.log"; fail "apt-get install failed"; }
[ "$(dpkg-query -W -f='${Version}' portico)" = "$deb_version" ] || fail "portico is not installed"

out=$(/usr/bin/portico --version)
[ "$out" = "portico $version" ] || fail "portico --version printed '$out'"
say "installed: $out"
if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir -m 700 "$work/runtime"
    XDG_RUNTIME_DIR=$work/runtime systemd-analyze --user verify --man=no \
        /usr/lib/systemd/user/portico.service || fail "systemd-analyze verify portico.service"
fi

# A private home, so the installed binary touches nothing of the machine's user.
home=$work/home
mkdir -p "$home/config/portico" "$home/data" "$home/runtime"
chmod 700 "$home/runtime"
cat >"$home/config/portico/portico.json" <<'JSON'
{ "gateway": { "bind": "127.0.0.1", "port": 18789, "auth": { "mode": "token" },
               "http": { "endpoints": { "chatCompletions": { "enabled": true } } } } }
JSON
token="pkg-test-$RANDOM$RANDOM"
run_env=(env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/config"
    XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime")
"${run_env[@]}" PORTICO_GATEWAY_TOKEN="$token" /usr/bin/portico --headless --port 0 \
    2>"$work/headless.err" &
headless_pid=$!
port=""
for _ in $(seq 1 200); do # up to 20 s
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/v1.*|\1|p' "$work/headless.err")
    [ -n "$port" ] && break
    kill -0 "$headless_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/headless.err"; fail "portico --headless did not start"; }
say "portico --headless listening on 127.0.0.1:$port"

# One HTTP/1.1 request over bash's /dev/tcp (no curl needed); prints the whole response.
http() { # method path body [header...]
    local method=$1 path=$2 body=$3 header
    shift 3
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    {
        printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n' \
            "$method" "$path" "$port"
        for header in "$@"; do printf '%s\r\n' "$header"; done
        if [ -n "$body" ]; then
            printf 'Content-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
                "${#body}" "$body"
        else
            printf '\r\n'
        fi
    } >&3
    timeout 15 cat <&3
    exec 3<&-
}
status_of() { head -n 1 <<<"$1" | cut -d' ' -f2; }

response=$(http GET /healthz "")
[ "$(status_of "$response")" = 200 ] || fail "GET /healthz: $response"
grep -q "\"version\":\"$version\"" <<<"$response" ||
    fail "/healthz does not say $version: $response"

said="package check $RANDOM"
session="pkg-session-$RANDOM"
request="{\"model\":\"agent:main\",\"messages\":[{\"role\":\"user\",\"content\":\"$said\"}]}"
response=$(http POST /v1/chat/completions "$request")
[ "$(status_of "$response")" = 401 ] || fail "a request without a token was not refused: $response"

response=$(http POST /v1/chat/completions "$request" "Authorization: Bearer $token" \
    "x-portico-session-key: $session")
[ "$(status_of "$response")" = 200 ] || fail "diagnostic request: $response"
grep -q '"object":"chat.completion"' <<<"$response" || fail "not a chat.completion: $response"
grep -q 'Hello from Portico' <<<"$response" || fail "not the diagnostic agent: $response"
grep -q "You said: \\\\\"$said\\\\\"" <<<"$response" || fail "the answer does not echo: $response"
grep -qi "^x-portico-session-key: $session" <<<"$response" || fail "no session key: $response"
say "diagnostic request answered: 200 chat.completion"

stream_request="{\"model\":\"agent:main\",\"stream\":true,\"messages\":[{\"role\":\"user\","
stream_request+="\"content\":\"$said\"}]}"
response=$(http POST /v1/chat/completions "$stream_request" "X-Api-Key: $token")
[ "$(status_of "$response")" = 200 ] || fail "streaming request: $response"
grep -qi '^content-type: text/event-stream' <<<"$response" || fail "not SSE: $response"
grep -q 'data: \[DONE\]' <<<"$response" || fail "the stream did not end with [DONE]: $response"
say "streaming request answered: text/event-stream ending in [DONE]"

kill -TERM "$headless_pid"
for _ in $(seq 1 100); do # up to 10 s
    kill -0 "$headless_pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$headless_pid" 2>/dev/null && fail "portico --headless did not stop on SIGTERM"
headless_status=0
wait "$headless_pid" || headless_status=$?
headless_pid=""
[ "$headless_status" -eq 0 ] || { cat "$work/headless.err"; fail "exit status $headless_status"; }

log=$("${run_env[@]}" /usr/bin/portico log --json --session "$session")
[ "$(grep -c . <<<"$log")" -eq 1 ] || fail "portico log --session $session: '$log'"
say "portico log found the session's record"

# --- 4. Remove it, and leave the machine as it was --------------------------------------------
say "apt-get purge portico"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq portico >"$work/apt-remove.log" 2>&1 ||
    { cat "$work/apt-remove.log"; fail "apt-get purge failed"; }
installed_by_us=0
[ ! -e /usr/bin/portico ] || fail "/usr/bin/portico is still there"
[ ! -e /usr/lib/systemd/user/portico.service ] || fail "the unit is still there"
dpkg-query -W -f='${Package}\n' | sort >"$work/packages.after"
pulled=$(comm -13 "$work/packages.before" "$work/packages.after")
if [ -n "$pulled" ]; then # dependencies apt had to bring in for the test: take them away again
    say "removing what apt-get installed along: $pulled"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $pulled >>"$work/apt-remove.log" 2>&1 ||
        { cat "$work/apt-remove.log"; fail "apt-get purge of $pulled failed"; }
    dpkg-query -W -f='${Package}\n' | sort >"$work/packages.after"
fi
diff -u "$work/packages.before" "$work/packages.after" || fail "the package set changed"
say "PASS"
