#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service,
# in a throw-away home directory so that no real keyring is touched. Works without a display,
# without a running D-Bus and as root, as on CI.
#   usage: with-keyring.sh <command> [args...]
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is not installed (apt install dbus gnome-keyring)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/portico-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
    XDG_RUNTIME_DIR="$tmp/runtime"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL

# Inside the session: the daemon creates a "login" keyring (the default collection) with the
# password "pw" and unlocks it, then forks; wait until it owns its bus name, or a test's first
# call would start a second daemon through D-Bus activation. It exits with the session bus.
# shellcheck disable=SC2016 # expanded by the inner shell
session='
printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
tries=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q "boolean true"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 100 ]; then
        echo "with-keyring.sh: gnome-keyring did not appear on the session bus" >&2
        exit 1
    fi
    sleep 0.1
done
exec "$@"
'
status=0
dbus-run-session -- sh -c "$session" with-keyring "$@" || status=$?
exit "$status"
