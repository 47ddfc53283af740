#!/usr/bin/env bash
# Installs what is missing, then runs every check, stopping at the first failure:
# formatting, clippy (native and wasm32), native tests, the release build (also from a
# sub-path), its gzip size budget, browser tests of the web crate and end-to-end tests
# of the built app in headless Chromium.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LOG="$ROOT/target/test-run.log"
mkdir -p "$ROOT/target"
: >"$LOG"
started=$SECONDS

step() {
    local name=$1 t0=$SECONDS
    shift
    say "$name"
    if ! "$@" 2>&1 | tee -a "$LOG"; then
        die "FAILED: $name ($*)"
    fi
    say "$name: ok ($((SECONDS - t0)) s)"
}

# Prints the raw, gzip and brotli size of every file in dist/ and fails when the
# gzip total is above GZIP_BUDGET_BYTES (brotli is reported, not budgeted).
size_report() {
    local dist=$1 total=0 btotal=0 size bsize file
    printf '%10s %10s %10s  %s\n' bytes gzip brotli file
    while IFS= read -r file; do
        size=$(gzip -c "$file" | wc -c)
        total=$((total + size))
        if command -v brotli >/dev/null; then
            bsize=$(brotli -c "$file" | wc -c)
            btotal=$((btotal + bsize))
        else
            bsize=-
        fi
        printf '%10d %10d %10s  %s\n' "$(wc -c <"$file")" "$size" "$bsize" "${file#"$dist"/}"
    done < <(find "$dist" -type f | sort)
    if command -v brotli >/dev/null; then
        printf '%10s %10d %10d  total (gzip budget %d)\n' '' "$total" "$btotal" "$GZIP_BUDGET_BYTES"
    else
        printf '%10s %10d %10s  total (gzip budget %d; no brotli CLI, brotli sizes skipped)\n' '' "$total" - "$GZIP_BUDGET_BYTES"
    fi
    if [ "$total" -gt "$GZIP_BUDGET_BYTES" ]; then
        echo "the page loads $total bytes gzipped, over the budget of $GZIP_BUDGET_BYTES (scripts/versions.env)"
        return 1
    fi
}

say "checking tools"
t0=$SECONDS
ensure_rust_components
ensure_web_tools
ensure_chromium
ensure_brotli
say "tools ready ($((SECONDS - t0)) s)"

step "cargo fmt" cargo fmt --all --check
step "clippy (native)" cargo clippy --all-targets -- -D warnings
step "clippy (wasm32, web)" cargo clippy -p baton-web --target "$WASM_TARGET" --all-targets -- -D warnings
step "native tests" cargo test --workspace --exclude baton-web --exclude baton-e2e
step "release build" trunk build --release
step "release build for /baton/" trunk build --release --public-url /baton/ --dist target/dist-subpath
step "size of dist/" size_report "$ROOT/dist"
step "browser tests (web)" env CHROMEDRIVER=/usr/bin/chromedriver cargo test --target "$WASM_TARGET" -p baton-web
step "end-to-end tests" env BATON_E2E_REQUIRED=1 cargo test -p baton-e2e -- --test-threads=1

read -r passed failed < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }' "$LOG")
say "all checks passed in $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
