#!/usr/bin/env bash
# Install what the browser tests need, only when missing: Debian's chromium and axe-core (pinned in
# package-lock.json). Idempotent and silent when everything is there. Never `playwright install`:
# it downloads a browser build from outside the package registries, which this project cannot reach.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "ensure-browser: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

if [ ! -x /usr/bin/chromium ]; then
    echo "ensure-browser: installing Debian's chromium" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "ensure-browser: installing Debian's npm (for axe-core)" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    fi
    echo "ensure-browser: installing axe-core from package-lock.json" >&2
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
