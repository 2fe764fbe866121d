#!/bin/sh
# The two commands of the README.
#   packaging/setup.sh run    install what is missing, build, start Portico (tray with a
#                             display, headless without one); extra arguments go to portico
#   packaging/setup.sh test   install what is missing, build, run the whole test suite (with its
#                             own virtual display and D-Bus session with a Secret Service)
#   packaging/setup.sh test-core   the gateway alone: build with the UI switched off (no Qt
#                             Widgets) and run its tests; CI runs it after `test`
# BUILD_DIR (default: build) and JOBS (default: number of cores) can be set.
set -eu
cd "$(dirname "$0")/.."
mode="${1:-}"
[ $# -gt 0 ] && shift
build_dir="${BUILD_DIR:-build}"
jobs="${JOBS:-$(nproc)}"

install_e2e() {
    # The end-to-end tests use the official openai npm SDK, pinned in tests/e2e/package-lock.json.
    if [ -f tests/e2e/package.json ]; then
        (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

configure_and_build() {
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    cmake --build "$build_dir" -j "$jobs"
}

case "$mode" in
run)
    packaging/debian-deps.sh build run
    configure_and_build -DBUILD_TESTING=OFF -DBUILD_BENCH=OFF
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec "$build_dir/app/portico" "$@"
    fi
    echo "setup: no display: starting headless (portico --headless)."
    exec "$build_dir/app/portico" --headless "$@"
    ;;
test)
    packaging/debian-deps.sh test package
    configure_and_build -DBUILD_TESTING=ON -DENABLE_WERROR=ON
    install_e2e
    # A virtual display (Xvfb) and a private D-Bus session with an unlocked gnome-keyring, so the
    # widget and keychain tests run the same on a desktop, a server and in CI.
    exec dbus-run-session -- sh -c '
        printf "portico-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
        exec xvfb-run -a -s "-screen 0 1280x1024x24" \
            ctest --test-dir "$0" --output-on-failure --timeout 300 -j "$1"' \
        "$build_dir" "$jobs"
    ;;
test-core)
    packaging/debian-deps.sh test package
    BUILD_DIR="${BUILD_DIR:-build}-core"
    build_dir="$BUILD_DIR"
    configure_and_build -DBUILD_TESTING=ON -DBUILD_UI=OFF -DBUILD_BENCH=OFF -DENABLE_WERROR=ON
    install_e2e
    # The gateway must not pull in Widgets, whatever a header includes.
    if grep -q "Qt6::Widgets\|Qt6Widgets" "$build_dir/build.ninja"; then
        echo "setup: the UI-less build links Qt Widgets" >&2
        exit 1
    fi
    exec dbus-run-session -- sh -c '
        printf "portico-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
        exec ctest --test-dir "$0" --output-on-failure --timeout 300 -j "$1"' \
        "$build_dir" "$jobs"
    ;;
*)
    echo "usage: packaging/setup.sh run [portico arguments] | test | test-core" >&2
    exit 2
    ;;
esac
