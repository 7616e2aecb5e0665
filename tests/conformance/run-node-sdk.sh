#!/usr/bin/env bash
# Runs the official Feishu Node SDK (@larksuiteoapi/node-sdk WSClient) against FeishuSandbox.
#   run-node-sdk.sh <path to tsp_conformance_sandbox>
# Exit 0: every check passed. 77: skipped (npm/node not installed). Anything else: failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server="${1:?usage: run-node-sdk.sh <tsp_conformance_sandbox>}"
server="$(realpath -m "$server")"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "SKIP: npm/node not found; install nodejs and npm to run the Node SDK conformance test" >&2
    exit 77
fi
if [[ ! -x "$server" ]]; then
    echo "FAIL: $server is not built (cmake --build <dir> --target tsp_conformance_sandbox)" >&2
    exit 1
fi

cd "$here/node-sdk"
# node_modules stays in the source tree (git-ignored) so later runs need no network.
# A stamp (a copy of the lock file) tells whether node_modules matches package-lock.json.
if [[ ! -f node_modules/@larksuiteoapi/node-sdk/package.json ]] \
    || ! cmp -s package-lock.json node_modules/.tsp-installed-lock 2>/dev/null; then
    echo "installing @larksuiteoapi/node-sdk with npm ..." >&2
    timeout 240 npm ci --no-audit --no-fund --loglevel=error >&2
    cp package-lock.json node_modules/.tsp-installed-lock
fi
sdk_version="$(node -p "require('./node_modules/@larksuiteoapi/node-sdk/package.json').version")"
echo "Node SDK @larksuiteoapi/node-sdk $sdk_version, node $(node --version)" >&2

# The server starts the client itself and stops it; timeout guards against a hang of either.
timeout 180 "$server" --timeout-ms 120000 -- node "$here/node-sdk/run.mjs"
