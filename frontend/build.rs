//! Links the waiter's wasm with `--emit-relocs`: wasm-split-cli needs the linker's
//! relocations to split it by screen (`scripts/split-waiter.sh`), and drops them from the
//! pieces it writes. Only the waiter's: the staff shell is not split, and wasm-bindgen
//! would keep them in its wasm (four times the size).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg-bin=waiter=--emit-relocs");
    }
}
