#!/usr/bin/env bash
# Fuzzes Baton's core with libFuzzer: format detection, every importer and the
# report writers. Not run by CI.
#
#   scripts/fuzz.sh                 # every target, 5 minutes each
#   scripts/fuzz.sh import 600      # one target for 10 minutes
#
# Targets: detect, import, pieces (a file in pieces loads what it loads whole),
# reports (crates/baton-core/fuzz/fuzz_targets).
# Needs a nightly toolchain (`rustup toolchain install nightly`). Uses
# `cargo fuzz` when installed; otherwise builds the targets with the same
# coverage flags directly. Crashes land in crates/baton-core/fuzz/artifacts/;
# turn each into a case of tests/fixtures/hostile and fix it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/crates/baton-core/fuzz"
targets=(detect import pieces reports)
if [[ $# -ge 1 ]]; then targets=("$1"); fi
seconds="${2:-300}"
triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"

if cargo +nightly fuzz --version >/dev/null 2>&1; then
    for t in "${targets[@]}"; do
        mkdir -p "$fuzz/corpus/$t"
        (cd "$fuzz" && cargo +nightly fuzz run "$t" "corpus/$t" "$root/tests/fixtures" \
            -- -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=262144)
    done
    exit 0
fi

export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
cargo +nightly build --release --manifest-path "$fuzz/Cargo.toml" --target "$triple" --bins
for t in "${targets[@]}"; do
    mkdir -p "$fuzz/corpus/$t" "$fuzz/artifacts/$t"
    seeds=()
    if [[ "$t" != reports ]]; then
        seeds=("$root/tests/fixtures")
    fi
    "$fuzz/target/$triple/release/$t" "$fuzz/corpus/$t" "${seeds[@]}" \
        -artifact_prefix="$fuzz/artifacts/$t/" -max_total_time="$seconds" \
        -rss_limit_mb=4096 -max_len=262144 -print_final_stats=1
done
