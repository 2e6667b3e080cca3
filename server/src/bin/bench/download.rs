//! What a phone downloads: the waiter's first download, and a cached start in headless
//! Chromium.

use reqwest::Client;
use std::process::Command;

/// Runs end2end/bench/cached-start.mjs; returns its figures as a sentence.
pub(crate) fn cached_start(base: &str) -> Result<String, String> {
    let end2end = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end");
    let output = Command::new("node")
        .args(["bench/cached-start.mjs", base, "1111"])
        .current_dir(end2end)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("failed")
            .to_owned());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    match text.split_whitespace().collect::<Vec<_>>().as_slice() {
        [median, min, max] => Ok(format!("p50 {median} ms (min {min}, max {max}; 7 reloads)")),
        _ => Err(format!("unexpected output: {text}")),
    }
}

/// Bytes on the wire for index.html and the files it loads, as the server sends them to a
/// browser that takes `encoding` (`gzip` or `br`).
pub(crate) async fn first_download(
    http: &Client,
    base: &str,
    encoding: &str,
) -> Result<(usize, String), Box<dyn std::error::Error>> {
    let index = http.get(format!("{base}/")).send().await?.text().await?;
    let mut assets: Vec<String> = index
        .split(['"', '\''])
        .filter(|s| s.starts_with('/') && [".js", ".wasm", ".css"].iter().any(|e| s.ends_with(e)))
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    let mut total = 0;
    let mut parts = Vec::new();
    for path in std::iter::once("/".to_owned()).chain(assets) {
        let bytes = http
            .get(format!("{base}{path}"))
            .header("accept-encoding", encoding)
            .send()
            .await?
            .bytes()
            .await?
            .len();
        total += bytes;
        parts.push(format!(
            "{} {:.0} KiB",
            path.rsplit('.')
                .next()
                .filter(|_| path != "/")
                .unwrap_or("html"),
            bytes as f64 / 1024.0
        ));
    }
    Ok((total, parts.join(", ")))
}
