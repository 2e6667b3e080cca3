#!/usr/bin/env bash
# Writes a brotli (.br, quality 11) and a gzip (.gz, -9) copy beside each content-hashed
# file of the built site (Trunk's wasm, JS and CSS), so the server sends them as they are
# instead of compressing on every request at a lower level (server/src/http/assets.rs
# picks one by the browser's Accept-Encoding). Run by `make site` after Trunk.
set -euo pipefail
site=${1:-target/site}
find "$site" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) \
  ! -name 'sw.js' -print0 |
  while IFS= read -r -d '' file; do
    brotli --force --quality=11 --output="$file.br" "$file"
    gzip --force --best --keep --no-name "$file"
  done
