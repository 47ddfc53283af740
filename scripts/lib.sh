# Shared by scripts/serve.sh and scripts/test.sh: finds the repository, reads the
# pinned versions and installs whatever tool is missing (printing what it installs).
# Every check is cheap, so when everything is present this takes a few seconds.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=versions.env
source "$ROOT/scripts/versions.env"

export PATH="$ROOT/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Trunk must never download tools or check for updates; cargo runs --offline under it.
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true
export DEBIAN_FRONTEND=noninteractive

if [ -t 1 ]; then bold=$'\033[1m' red=$'\033[1;31m' plain=$'\033[0m'; else bold= red= plain=; fi
say() { printf '%s==> %s%s\n' "$bold" "$*" "$plain"; }
die() {
    printf '%serror: %s%s\n' "$red" "$*" "$plain" >&2
    exit 1
}

# Runs a command as root (directly, or through sudo).
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

apt_updated=
apt_install() {
    command -v apt-get >/dev/null || die "cannot install $* automatically: no apt-get here; install them yourself"
    if [ -z "$apt_updated" ]; then
        as_root apt-get update -qq || die "apt-get update failed (no access to the Debian mirrors?)"
        apt_updated=1
    fi
    say "installing $* (apt)"
    as_root apt-get install -y -qq "$@" || die "apt-get install $* failed"
}

# Waits while someone else on this machine is already installing the same crate, so
# two builds of one tool never run at once.
wait_for_other_install() {
    local crate=$1 pids
    while pids=$(pgrep -f "cargo install.* $crate( |$)" 2>/dev/null) && [ -n "$pids" ]; do
        say "waiting for a running 'cargo install $crate' (pid $(echo "$pids" | tr '\n' ' ')) to finish"
        sleep 10
    done
}

# The wasm-bindgen version the web crate is built with (Cargo.lock is the truth).
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
    command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
    if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
        say "installing Rust target $WASM_TARGET (rustup)"
        rustup target add "$WASM_TARGET" || die "rustup target add $WASM_TARGET failed"
    fi
}

ensure_rust_components() {
    local missing=()
    cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
    cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing Rust components ${missing[*]} (rustup)"
        rustup component add "${missing[@]}" || die "rustup component add ${missing[*]} failed"
    fi
}

# Compiling Rust tools needs a C toolchain, and Trunk (native-tls) needs OpenSSL headers.
ensure_build_deps() {
    local pkgs=()
    command -v cc >/dev/null || pkgs+=(build-essential)
    command -v pkg-config >/dev/null || pkgs+=(pkg-config)
    if ! pkg-config --exists openssl 2>/dev/null; then pkgs+=(libssl-dev); fi
    if [ ${#pkgs[@]} -gt 0 ]; then apt_install "${pkgs[@]}"; fi
}

ensure_trunk() {
    if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
        wait_for_other_install trunk
    fi
    if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
        ensure_build_deps
        say "installing trunk $TRUNK_VERSION (cargo install, takes several minutes once)"
        cargo install trunk --version "$TRUNK_VERSION" --locked || die "cargo install trunk $TRUNK_VERSION failed"
    fi
}

ensure_wasm_bindgen() {
    local want pinned
    want=$(wasm_bindgen_version)
    [ -n "$want" ] || die "no wasm-bindgen package in Cargo.lock"
    pinned=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' "$ROOT/Trunk.toml")
    [ "$pinned" = "$want" ] ||
        die "Trunk.toml pins wasm_bindgen = \"$pinned\" but Cargo.lock has wasm-bindgen $want: set [tools] wasm_bindgen = \"$want\" in Trunk.toml"
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ] ||
        ! command -v wasm-bindgen-test-runner >/dev/null; then
        wait_for_other_install wasm-bindgen-cli
    fi
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ] ||
        ! command -v wasm-bindgen-test-runner >/dev/null; then
        ensure_build_deps
        # Not --locked: a dependency version pinned in its lock file is gone from the registry.
        say "installing wasm-bindgen-cli $want (cargo install, takes a few minutes once)"
        cargo install wasm-bindgen-cli --version "$want" --force || die "cargo install wasm-bindgen-cli $want failed"
    fi
}

ensure_wasm_opt() {
    local pinned
    pinned=$(sed -n 's/^wasm_opt = "version_\(.*\)"/\1/p' "$ROOT/Trunk.toml")
    [ "$pinned" = "$BINARYEN_VERSION" ] ||
        die "Trunk.toml pins wasm_opt = \"version_$pinned\" but scripts/versions.env has BINARYEN_VERSION=$BINARYEN_VERSION"
    if ! "$ROOT/.tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
        command -v npm >/dev/null || apt_install nodejs npm
        say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
        mkdir -p "$ROOT/.tools"
        npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" ||
            die "npm install binaryen@$BINARYEN_VERSION failed"
        "$ROOT/.tools/node_modules/.bin/wasm-opt" --version | grep -q "version $BINARYEN_VERSION\b" ||
            die "the installed wasm-opt is not version $BINARYEN_VERSION"
    fi
}

ensure_chromium() {
    if [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/chromium ]; then
        apt_install chromium chromium-driver
    fi
}

# The brotli CLI, for the brotli sizes the size report prints next to gzip. Optional:
# when it cannot be installed the report says so and carries on.
ensure_brotli() {
    command -v brotli >/dev/null && return 0
    if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then
        (apt_install brotli) || say "brotli could not be installed: brotli sizes will be skipped"
    else
        say "no brotli CLI: brotli sizes will be skipped"
    fi
}

# Everything needed to build the web app.
ensure_web_tools() {
    ensure_rust
    ensure_wasm_opt
    ensure_wasm_bindgen
    ensure_trunk
    # Offline Trunk runs cargo with --offline: fetch every crate first.
    cargo fetch --quiet || die "cargo fetch failed (no access to crates.io?)"
}
