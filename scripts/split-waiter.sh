#!/usr/bin/env bash
# Splits the waiter's wasm by screen, after Trunk has built the waiter's shell into SITE.
# The floor and the order screen are Leptos lazy routes (`ui::WaiterApp`): their code goes
# into pieces of their own, fetched when a phone first opens them (and kept by the service
# worker with the rest of the shell), so a phone's first screen, sign-in, needs only the
# main module.
#
# Trunk 0.21 cannot split a wasm: it runs wasm-bindgen on the whole module, whose lazy
# routes then import from a placeholder. So this takes the wasm cargo built (linked with
# `--emit-relocs`, `.cargo/config.toml`), splits it with wasm-split-cli
# (wasm_split_cli_support, the splitter cargo-leptos uses), runs wasm-bindgen on the main
# module, and puts the results in place of Trunk's, each named after a hash of its
# content as Trunk names files (`server/src/http/assets.rs` serves those as immutable).
# Trunk's subresource integrity is off for the waiter's wasm (`frontend/index.html`), as
# its hashes would be of the files replaced here.
set -euo pipefail
site=${1:-target/site}
wasm=${2:-target/wasm32-unknown-unknown/wasm-release/waiter.wasm}

# Trunk's files for the waiter's shell: waiter-<hash>.js and waiter-<hash>_bg.wasm.
old_js=$(cd "$site" && ls waiter-*.js)
old=${old_js%.js}
[ -f "$site/${old}_bg.wasm" ] || { echo "no ${old}_bg.wasm in $site" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli --target web --out-name waiter "$wasm" "$work/split" >/dev/null
wasm-bindgen --target web --keep-lld-exports --no-demangle --out-name waiter \
  --out-dir "$work/main" "$work/split/waiter.wasm" 2> >(grep -v target_features >&2 || true)

hash16() { cat "$@" | sha256sum | cut -c1-16; }

# The pieces: `<name>-<hash>.wasm`, and the loader that fetches them named after its text
# with those names in it.
loader=$work/split/__wasm_split.js
for piece in "$work"/split/*.wasm; do
  name=$(basename "$piece" .wasm)
  [ "$name" = waiter ] && continue
  hashed="$name-$(hash16 "$piece").wasm"
  cp "$piece" "$site/$hashed"
  sed -i "s|\"\./$name\.wasm\"|\"./$hashed\"|" "$loader"
done

# The main module and its JS: the loader imports the JS, which imports the loader, so the
# JS is named after every piece (what its import of the loader stands for), then the
# loader after its text.
new="waiter-$(hash16 "$work/main/waiter_bg.wasm" "$work/main/waiter.js" "$work"/split/*.wasm)"
sed -i "s|\"\./waiter\.js\"|\"./$new.js\"|" "$loader"
new_loader="__wasm_split-$(hash16 "$loader").js"
cp "$loader" "$site/$new_loader"
sed "s|from \"\./__wasm_split\.js\"|from \"./$new_loader\"|g" "$work/main/waiter.js" > "$site/$new.js"
cp "$work/main/waiter_bg.wasm" "$site/${new}_bg.wasm"

rm "$site/$old.js" "$site/${old}_bg.wasm"
sed -i "s|/$old|/$new|g" "$site/index.html"
