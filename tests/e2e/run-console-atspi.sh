#!/bin/sh
# ctest wrapper: the AT-SPI end-to-end test of the real console (console_atspi.py) with the
# system Python, which has gi (a pyenv Python does not).
# Usage: run-console-atspi.sh /path/to/tsp-assistant
set -eu
here=$(dirname "$0")
exec timeout -k 10 300 /usr/bin/python3 "$here/console_atspi.py" "$1"
