#!/usr/bin/env bash
# Baton's native benchmark: generates exports of 10 k, 100 k and 1 M operations
# (Baton JSON, NDJSON, seed 004, seed 003 CSV) into bench-data/, then times
# Baton's import + analysis beside three baselines on the same files (the
# serde_json limit, DuckDB, Node.js), after checking they agree on the figures.
# Results go to docs/bench/ (results.md, results.json, time-vs-size.svg).
#
#   ./scripts/bench.sh                          # all sizes, best of 3 runs
#   ./scripts/bench.sh --sizes 10000,100000 --runs 1 --out /tmp/bench   # later flags win
#   ./scripts/bench.sh --browser                # also: the built app in headless Chromium
#                                               # (100 k and 1 M) and the page's compressed size
#
# DuckDB comes from PyPI into .tools/py (never installed globally); Node.js is
# used when `node` is on the PATH. Either is skipped, with a note, if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

browser=
args=()
for a in "$@"; do
    if [ "$a" = --browser ]; then browser=1; else args+=("$a"); fi
done

if command -v python3 >/dev/null && ! PYTHONPATH=.tools/py python3 -c 'import duckdb' 2>/dev/null; then
    echo "==> installing duckdb (PyPI) into .tools/py"
    python3 -m pip install --quiet --target .tools/py duckdb ||
        echo "DuckDB could not be installed: it will be left out" >&2
fi

echo "==> building baton-bench (release-native profile)"
cargo build --quiet --profile release-native -p baton-bench
echo "==> load before: $(uptime)"
"${CARGO_TARGET_DIR:-target}"/release-native/baton-bench run --dir bench-data --out docs/bench --pythonpath .tools/py ${args[@]+"${args[@]}"}
echo "==> load after: $(uptime)"

if [ -n "$browser" ]; then
    echo "==> release build of the app (dist/)"
    ./scripts/build.sh
    "${CARGO_TARGET_DIR:-target}"/release-native/baton-bench page-size --dist dist --out docs/bench/page-size.md
    echo "==> browser benchmark (load: $(uptime))"
    BATON_E2E_REQUIRED=1 cargo test -p baton-e2e --test bench_browser -- --ignored --nocapture
    echo "==> load after: $(uptime)"
fi
