#!/bin/sh
# Installs the Debian 12 packages Portico needs that are not installed yet.
#   packaging/debian-deps.sh [build|run|test|bench|package|all]...   (default: build run)
# Runs apt-get through sudo when not root. Prints what it installs; installs nothing present.
set -eu

build="build-essential cmake ninja-build pkg-config qt6-base-dev qt6-base-dev-tools
       qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev qtkeychain-qt6-dev libgl-dev
       libjemalloc-dev"
run="libqt6svg6 qt6-qpa-plugins gnome-keyring dbus-user-session libjemalloc2"
test="xvfb xauth dbus gnome-keyring"
bench="wrk nginx-light procps"
# Building and checking the .deb (cpack, dpkg-shlibdeps, and the linters tst_package runs).
package="dpkg-dev file lintian desktop-file-utils appstream"

want=""
[ $# -eq 0 ] && set -- build run
for group in "$@"; do
    case "$group" in
        build) want="$want $build" ;;
        run) want="$want $run" ;;
        test) want="$want $build $run $test" ;;
        bench) want="$want $build $bench" ;;
        package) want="$want $package" ;;
        all) want="$want $build $run $test $bench $package" ;;
        *) echo "debian-deps.sh: unknown group '$group' (build, run, test, bench, package, all)" >&2; exit 2 ;;
    esac
done

missing=""
for pkg in $want; do
    case " $missing " in *" $pkg "*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
# The end-to-end tests drive the gateway with the official openai npm package: they need Node.js
# and npm. A machine that already has a node (e.g. from NodeSource) keeps it.
case " $* " in *" test "*|*" all "*)
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    command -v npm >/dev/null 2>&1 || missing="$missing npm" ;;
esac

if [ -z "$missing" ]; then
    echo "debian-deps: everything needed is installed."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "debian-deps: these packages are missing and I am not root (and there is no sudo):$missing" >&2
    exit 1
fi
echo "debian-deps: installing:$missing"
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
