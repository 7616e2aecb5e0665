#!/usr/bin/env bash
# Runs a test binary against a real gnome-keyring in a private D-Bus session, with a private HOME
# and XDG_RUNTIME_DIR (the recipe of shared/design/toolchain.md, "Keychain without a desktop").
# Usage: run-keychain-test.sh TEST_BINARY [args...]
set -euo pipefail
test_binary=$1; shift
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "run-keychain-test: $tool is missing (installer/install-deps.sh --test)" >&2; exit 1; }
done
root=$(mktemp -d /tmp/tsp-keychain.XXXXXX)
trap 'rm -rf "$root"' EXIT
export HOME=$root/home XDG_RUNTIME_DIR=$root/run
unset XDG_CONFIG_HOME XDG_DATA_HOME DISPLAY WAYLAND_DISPLAY
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
export TSP_KEYCHAIN_SESSION=1
# A job can hang until the D-Bus timeout when something is wrong: bound the whole run.
timeout 120 dbus-run-session -- bash -c '
  eval "$(printf %s test-pw | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"' keychain-session "$test_binary" "$@"
