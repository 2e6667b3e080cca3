//! What a phone downloads: the waiter's first download, and a cached start in headless
//! Chromium.

use reqwest::Client;
use std::collections::VecDeque;
use std::process::Command;

/// A cached start's times over 7 reloads, in ms.
pub(crate) struct CachedStart {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// Runs end2end/bench/cached-start.mjs; returns its figures.
pub(crate) fn cached_start(base: &str) -> Result<CachedStart, String> {
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
    let figures: Vec<f64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("unexpected output: {text}"))?;
    match figures.as_slice() {
        &[median, min, max] => Ok(CachedStart { median, min, max }),
        _ => Err(format!("unexpected output: {text}")),
    }
}

/// Bytes on the wire for what a phone's first screen (sign-in) needs: index.html, the files
/// it loads and the scripts those import, as the server sends them to a browser that takes
/// `encoding` (`gzip` or `br`). The floor's and the order screen's pieces of the wasm are
/// not among them (`scripts/split-waiter.sh`).
pub(crate) async fn first_download(
    http: &Client,
    base: &str,
    encoding: &str,
) -> Result<(usize, String), Box<dyn std::error::Error>> {
    let index = http.get(format!("{base}/")).send().await?.text().await?;
    let mut assets: VecDeque<String> = asset_paths(&index, "/").into();
    let mut total = size(http, base, "/", encoding).await?;
    let mut parts = vec![format!("html {:.0} KiB", total as f64 / 1024.0)];
    let mut seen = vec!["/".to_owned()];
    while let Some(path) = assets.pop_front() {
        if seen.contains(&path) {
            continue;
        }
        let bytes = size(http, base, &path, encoding).await?;
        if path.ends_with(".js") {
            assets.extend(imports(http, base, &path).await?);
        }
        seen.push(path.clone());
        total += bytes;
        let kind = path.rsplit('.').next().unwrap_or("?");
        parts.push(format!("{kind} {:.0} KiB", bytes as f64 / 1024.0));
    }
    Ok((total, parts.join(", ")))
}

/// Bytes on the wire for the waiter's whole app as its service worker keeps it at install
/// (`public/sw.js`'s SHELL, which the server fills in), and the number of files.
pub(crate) async fn kept_app(
    http: &Client,
    base: &str,
    encoding: &str,
) -> Result<(usize, usize), Box<dyn std::error::Error>> {
    let worker = http
        .get(format!("{base}/sw.js"))
        .send()
        .await?
        .text()
        .await?;
    let shell = worker
        .lines()
        .find_map(|l| l.strip_prefix("const SHELL = "))
        .and_then(|l| l.strip_suffix(';'))
        .ok_or("no SHELL in sw.js")?;
    let files: Vec<String> = serde_json::from_str(shell)?;
    let mut total = size(http, base, "/", encoding).await?;
    for path in &files {
        total += size(http, base, path, encoding).await?;
    }
    Ok((total, files.len() + 1))
}

/// One file's size on the wire, as sent to a browser that takes `encoding`.
async fn size(
    http: &Client,
    base: &str,
    path: &str,
    encoding: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let response = http
        .get(format!("{base}{path}"))
        .header("accept-encoding", encoding)
        .send()
        .await?
        .error_for_status()?;
    Ok(response.bytes().await?.len())
}

/// The scripts a script imports (the waiter's JS imports the split's loader), read from
/// it uncompressed.
async fn imports(
    http: &Client,
    base: &str,
    path: &str,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let text = http
        .get(format!("{base}{path}"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let dir = &path[..=path.rfind('/').unwrap_or(0)];
    Ok(text
        .lines()
        .filter(|l| l.starts_with("import "))
        .flat_map(|l| asset_paths(l, dir))
        .collect())
}

/// The quoted paths of scripts, wasm and style sheets in `text`, made absolute from `dir`.
fn asset_paths(text: &str, dir: &str) -> Vec<String> {
    text.split(['"', '\''])
        .filter(|s| [".js", ".wasm", ".css"].iter().any(|e| s.ends_with(e)))
        .filter_map(|s| match s.strip_prefix("./") {
            Some(relative) => Some(format!("{dir}{relative}")),
            None => s.starts_with('/').then(|| s.to_owned()),
        })
        .collect()
}
