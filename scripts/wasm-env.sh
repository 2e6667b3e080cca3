#!/usr/bin/env bash
# Runs a command (trunk, cargo) with the compiler that builds the WASM frontend: rustup's
# when it has the wasm32 target, else Debian's rustc-web, which needs -Zbuild-std and
# therefore RUSTC_BOOTSTRAP on the cargo process. Kept constant between builds, so cargo
# does not rebuild everything (proc-macro2 reruns its build script when it changes).
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
if [ "${COMANDA_WASM_TOOLCHAIN:-}" != "debian" ] && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  exec "$@"
fi
if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust ]; then
  echo "no wasm32 toolchain: run scripts/setup.sh first" >&2
  exit 1
fi
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
exec "$@"
