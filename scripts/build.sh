#!/usr/bin/env bash
# Installs what is missing, then makes the release build of the web app in dist/.
# Extra arguments go to `trunk build`, e.g. `--public-url /baton/` for a sub-path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

say "checking tools"
ensure_web_tools
say "trunk build --release $*"
trunk build --release "$@"
