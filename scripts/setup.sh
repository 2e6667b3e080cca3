#!/usr/bin/env bash
# Installs what Comanda needs, idempotently: on a machine that has everything it checks and
# returns in a second. `setup.sh run` installs the build tools; `setup.sh test` adds what the
# checks need (clippy/rustfmt, Chromium, socat, the Playwright packages).
#
# The wasm32 standard library comes from rustup when it can fetch it, else from Debian's
# rustc-web (a second compiler, used for the WASM build only, with -Zbuild-std); see
# scripts/wasm-env.sh. COMANDA_WASM_TOOLCHAIN=debian forces the Debian way.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ $apt_updated -eq 0 ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

have cargo || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }

# The wasm32 standard library.
if [ "${COMANDA_WASM_TOOLCHAIN:-}" != "debian" ] && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  :
elif [ "${COMANDA_WASM_TOOLCHAIN:-}" != "debian" ] && timeout 300 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  say "added the wasm32 target with rustup"
else
  say "wasm32 std from Debian's rustc-web with -Zbuild-std (rustup has no wasm32 target here, or COMANDA_WASM_TOOLCHAIN=debian)"
  apt_install rustc-web rust-web-src rust-web-llvm lld-22
  # -Zbuild-std compiles std from these sources; fetch its dependencies now, because
  # Trunk runs cargo with --offline.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 cargo fetch --quiet --manifest-path /usr/lib/rustlib/src/rust/library/Cargo.toml
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "cargo install wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Not --locked: its lockfile asks for a webpki-roots version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --quiet
fi

# wasm-split-cli splits the waiter's wasm by screen (scripts/split-waiter.sh). 0.2.4 is the
# first to read wasm-bindgen 0.2.128+'s descriptors.
if ! cargo install --list | grep '^wasm_split_cli_support v0.2.4:' >/dev/null; then
  say "cargo install wasm_split_cli_support 0.2.4 (a minute or two, once)"
  cargo install wasm_split_cli_support --version 0.2.4 --features build-binary --locked --quiet
fi

# brotli: `make site` writes precompressed copies of the web app (scripts/precompress.sh).
have brotli || apt_install brotli

# Trunk 0.21.14: 0.22 needs a newer rustc than this machine's.
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "0.21.14" ]; then
  say "cargo install trunk 0.21.14 (about ten minutes, once)"
  cargo install trunk --version 0.21.14 --locked --quiet
fi

if [ "$mode" = "test" ]; then
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  apt_install chromium socat libnss3-tools iproute2
  if [ ! -x end2end/node_modules/.bin/playwright ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "npm ci in end2end/ (Playwright, without its browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
