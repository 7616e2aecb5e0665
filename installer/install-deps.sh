#!/usr/bin/env bash
# Installs every Debian 12 package the TSP Assistant Console needs to build, run and test.
# Usage: installer/install-deps.sh [--runtime|--dev|--test]   (default: --test, i.e. everything)
set -euo pipefail
mode=${1:---test}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

build_pkgs=(build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev
  qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools qt6-svg-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  libxkbcommon-dev libsqlite3-dev libicu-dev qt6-translations-l10n)
test_pkgs=(clang libclang-rt-14-dev clang-format lld xvfb xauth dbus gnome-keyring libsecret-1-0
  fonts-noto-cjk postgresql sqlite3 procps openssl
  at-spi2-core gir1.2-atspi-2.0 python3-gi xdotool trayer dbus-x11 imagemagick)

pkgs=("${build_pkgs[@]}")
case "$mode" in
  --runtime|--dev) ;;
  --test) pkgs+=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 [--runtime|--dev|--test]" >&2; exit 2 ;;
esac

# Node.js/npm (for the official-SDK conformance script): Debian's packages only when no node is
# present, since a machine may carry its own node build that conflicts with Debian's npm.
if [ "$mode" = --test ] && ! command -v npm >/dev/null 2>&1; then pkgs+=(nodejs npm); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages already present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
