#!/usr/bin/env bash
# Splits the waiter's wasm by screen, after Trunk has built the waiter's shell into SITE.
# The floor and the order screen are Leptos lazy routes (`ui::WaiterApp`): their code goes
# into pieces of their own, fetched when a phone first opens them (and kept by the service
# worker with the rest of the shell), so a phone's first screen, sign-in, needs only the
# main module.
#
# Trunk 0.21 cannot split a wasm: it runs wasm-bindgen on the whole module, whose lazy
# routes then import from a placeholder. So this takes the wasm cargo built (linked with
# `--emit-relocs`, `frontend/build.rs`), splits it with wasm-split-cli
# (wasm_split_cli_support, the splitter cargo-leptos uses), runs wasm-bindgen on the main
# module, and puts the results in place of Trunk's, each named after a hash of its
# content as Trunk names files (`server/src/http/assets.rs` serves those as immutable).
# Trunk's subresource integrity is off for the waiter's wasm (`frontend/index.html`), as
# its hashes would be of the files replaced here.
set -euo pipefail
site=${1:-target/site}
wasm=${2:-${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/waiter.wasm}

fail() { echo "split-waiter: $*" >&2; exit 1; }
# sed edits in place and says nothing when its pattern is gone (a new wasm-bindgen or
# splitter writing its imports another way): each rewrite is checked for its result.
rewrite() { # FILE FROM TO: every "FROM" in FILE becomes "TO", and there must be one
  sed -i "s|$2|$3|g" "$1"
  grep -qF "$3" "$1" || fail "no $2 in $(basename "$1")"
}

# Trunk's files for the waiter's shell (Trunk empties the folder first, so one of each).
shopt -s nullglob
trunk_js=("$site"/waiter-*.js)
[ ${#trunk_js[@]} -eq 1 ] || fail "expected one waiter-*.js in $site, found ${#trunk_js[@]}"
old=$(basename "${trunk_js[0]}" .js)
[ -f "$site/${old}_bg.wasm" ] || fail "no ${old}_bg.wasm in $site"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli --target web --out-name waiter "$wasm" "$work/split" >/dev/null
# wasm-bindgen warns that stripped builds lack `target_features` (Cargo.toml's
# wasm-release profile says why that is fine); anything else it says is shown.
wasm-bindgen --target web --keep-lld-exports --no-demangle --out-name waiter \
  --out-dir "$work/main" "$work/split/waiter.wasm" 2>"$work/bindgen.err" ||
  { cat "$work/bindgen.err" >&2; exit 1; }
grep -v target_features "$work/bindgen.err" >&2 || true

hash16() { cat "$@" | sha256sum | cut -c1-16; }

# The pieces, `<name>-<hash>.wasm`, and their names in the loader that fetches them.
loader=$work/split/__wasm_split.js
for piece in "$work"/split/*.wasm; do
  name=$(basename "$piece" .wasm)
  [ "$name" = waiter ] && continue
  hashed="$name-$(hash16 "$piece").wasm"
  cp "$piece" "$site/$hashed"
  rewrite "$loader" "\"\./$name\.wasm\"" "\"./$hashed\""
done

# The loader imports the main JS, which imports the loader. So the JS is named after the
# main module, its own text and the loader's (which holds the pieces' names), then the
# loader after its text with the JS's name in it: a change to any file renames the JS.
new="waiter-$(hash16 "$work/main/waiter_bg.wasm" "$work/main/waiter.js" "$loader")"
[ "$new" != "$old" ] || fail "$old is already split"
rewrite "$loader" '"\./waiter\.js"' "\"./$new.js\""
new_loader="__wasm_split-$(hash16 "$loader").js"
cp "$loader" "$site/$new_loader"
cp "$work/main/waiter.js" "$site/$new.js"
rewrite "$site/$new.js" 'from "\./__wasm_split\.js"' "from \"./$new_loader\""
cp "$work/main/waiter_bg.wasm" "$site/${new}_bg.wasm"

rm "$site/$old.js" "$site/${old}_bg.wasm"
rewrite "$site/index.html" "/$old" "/$new"
