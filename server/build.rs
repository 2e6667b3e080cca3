//! Makes sure the web app's folder (`target/site`, Trunk's output) exists before
//! `#[derive(RustEmbed)]` looks at it: rust-embed resolves the folder's real path at compile
//! time, and a folder that did not exist yet would never match a file at run time. Also
//! rebuilds the server when the site changes, so release builds embed the current app.

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let site = std::path::Path::new(&manifest).join("../target/site");
    if let Err(e) = std::fs::create_dir_all(&site) {
        println!("cargo:warning=cannot create {}: {e}", site.display());
    }
    println!("cargo:rerun-if-changed=../target/site");
    println!("cargo:rerun-if-changed=build.rs");
}
