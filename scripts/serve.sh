#!/usr/bin/env bash
# Installs what is missing, then builds and serves the web app on
# http://127.0.0.1:8080/, rebuilding and reloading the page on change. Extra
# arguments go to `trunk serve`, e.g. `./scripts/serve.sh --port 9000`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

say "checking tools"
ensure_web_tools
# Development only: allow the inline live-reload client Trunk injects (see
# scripts/trunk-post-build.sh).
export BATON_LIVE_RELOAD=1
say "trunk serve (http://127.0.0.1:8080/ unless --port says otherwise)"
exec trunk serve --address 127.0.0.1 "$@"
