#!/usr/bin/env bash
# Installs what is missing, then builds and serves the web app on
# http://127.0.0.1:8080/ (rebuilding on change). Extra arguments go to `trunk serve`,
# e.g. `./scripts/serve.sh --port 9000` or `./scripts/serve.sh --release`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

say "checking tools"
ensure_web_tools
say "trunk serve on http://127.0.0.1:${TRUNK_SERVE_PORT:-8080}/"
exec trunk serve --address 127.0.0.1 "$@"
