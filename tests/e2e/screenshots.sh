#!/bin/sh
# Screenshots of `tsp-assistant --demo` under Xvfb (with trayer) at 1280x800 and 1920x1080, in
# zh_CN and en, saved as PNGs in OUTDIR. Run by hand; look at them.
# Usage: tests/e2e/screenshots.sh OUTDIR [path/to/tsp-assistant] [seconds of demo before the shots]
set -eu
here=$(dirname "$0")
out=${1:?usage: $0 OUTDIR [tsp-assistant] [seconds]}
binary=${2:-$here/../../build-ci/app/tsp-assistant}
exec timeout -k 10 600 /usr/bin/python3 "$here/screenshots.py" "$binary" "$out" "${3:-12}"
