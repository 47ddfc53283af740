#!/usr/bin/env bash
# Trunk post-build hook (see Trunk.toml). Trunk writes the loader of the app as an
# inline <script type="module">; the page's Content-Security-Policy only allows
# scripts from 'self', so this moves the loader into boot-<hash>.js and references it.
set -euo pipefail
html="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}/index.html"
boot="$TRUNK_STAGING_DIR/boot.js"
awk -v boot="$boot" '
  inline == 0 && /<script type="module"[^>]*>/ && !/src=/ { inline = 1; print "@@BATON_BOOT@@"; next }
  inline == 1 && /<\/script>/ { inline = 2; next }
  inline == 1 { print > boot; next }
  { print }
  END { if (inline != 2) { print "trunk-post-build: no inline loader script found in index.html" > "/dev/stderr"; exit 1 } }
' "$html" > "$html.tmp"
hash=$(sha256sum "$boot" | cut -c1-16)
mv "$boot" "$TRUNK_STAGING_DIR/boot-$hash.js"
tag="<script type=\"module\" src=\"${TRUNK_PUBLIC_URL:-/}boot-$hash.js\"></script>"
awk -v tag="$tag" '{ if ($0 == "@@BATON_BOOT@@") print tag; else print }' "$html.tmp" > "$html"
rm "$html.tmp"
# `trunk serve` injects its live-reload client as an inline script when serving the
# page: scripts/serve.sh sets BATON_LIVE_RELOAD=1 to allow inline scripts in that
# development build only. Release builds keep the strict policy.
if [ "${BATON_LIVE_RELOAD:-}" = 1 ]; then
    sed -i "s/script-src 'self'/script-src 'self' 'unsafe-inline'/" "$html"
fi

# The analysis worker runs the page's own WebAssembly module (one download for
# both): worker.js, a module worker, loads Trunk's hashed glue and binary, and
# the module's entry point sees it is in a worker. Relative URLs, so the app
# works under a sub-path.
glue=$(cd "$TRUNK_STAGING_DIR" && ls baton-app-*.js 2>/dev/null | grep -v '_bg' | head -n 1)
if [ -z "$glue" ] || [ ! -f "$TRUNK_STAGING_DIR/${glue%.js}_bg.wasm" ]; then
    echo "trunk-post-build: no baton-app-<hash>.js and _bg.wasm in $TRUNK_STAGING_DIR" >&2
    exit 1
fi
cat > "$TRUNK_STAGING_DIR/worker.js" <<JS
// Baton's analysis worker: the page's WebAssembly module, started in a worker.
import init from "./$glue";
await init({ module_or_path: new URL("./${glue%.js}_bg.wasm", import.meta.url) });
JS
