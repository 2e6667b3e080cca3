# The two commands of the README, and the steps they are made of.
#   make run   installs what is missing, builds, and serves the demo venue on 0.0.0.0:8080
#   make test  installs what is missing and runs every check CI runs
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# CI and tests build against the committed .sqlx/ query data, never a live database.
export SQLX_OFFLINE := true

.PHONY: run test setup setup-test site server fmt clippy rust-test e2e bench sqlx-prepare clean-data

run: setup site
	cargo build --release -p server --bin comanda
	./target/release/comanda --demo --demo-past-days 35 $(ARGS)

test: setup-test fmt clippy rust-test site e2e

setup:
	./scripts/setup.sh run

setup-test:
	./scripts/setup.sh test

# The WASM frontend, into target/site (served by the server, embedded in release builds):
# the waiter's shell at its root and the staff shell in staff/ (`app::shells`). Each file
# also gets brotli and gzip copies, sent to browsers that take them.
site:
	./scripts/wasm-env.sh trunk build --config Trunk.toml
	./scripts/split-waiter.sh target/site
	./scripts/wasm-env.sh trunk build --config Trunk.toml --dist target/site-staff --public-url /staff/ frontend/staff.html
	rm -rf target/site/staff && mv target/site-staff target/site/staff
	@# A shell that was not split must not ask for pieces (ui::WaiterApp's lazy routes);
	@# grep finding nothing is the one good outcome (2 would be a file missing).
	@status=0; grep -l __wasm_split_placeholder__ target/site/*.js target/site/staff/*.js || status=$$?; \
	  [ $$status -eq 1 ] || { echo "these scripts ask for pieces of a split wasm that were never made" >&2; exit 1; }
	./scripts/precompress.sh target/site

server:
	cargo build -p server

fmt:
	cargo fmt --all -- --check

# The whole workspace in one call (the browser code on the native target: web-sys compiles
# there, and this needs no wasm toolchain, as clippy-driver cannot pair with Debian's
# rustc-web); then `app` as the browser builds it, without the server's `ssr` derives.
clippy:
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --all-targets -- -D warnings

rust-test:
	cargo test -p app
	cargo test -p ui --lib
	cargo test -p server

e2e: server
	cd end2end && npx playwright test

# Figures, not pass/fail: see server/src/bin/bench/main.rs. The cached start is measured
# in Chromium through Playwright, which setup-test installs.
bench: setup-test site
	cargo build --release -p server --bins
	./target/release/bench

sqlx-prepare:
	./scripts/sqlx-prepare.sh
