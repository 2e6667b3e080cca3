//! The web app's files (`make site`'s output, `target/site`), embedded in release builds so the
//! server is one binary. Pages the app routes itself get their shell (`app::shells`): the
//! staff pages (`/kitchen/bar`, `/manager`) `staff/index.html`, every other page (`/`,
//! `/floor`) the waiter's `index.html`. The service worker is filled in here with this
//! build's id and files.
//! `make site` writes brotli and gzip copies of the app's files (`scripts/precompress.sh`);
//! a browser that takes one gets it as it is, so the box never compresses the app itself.
//! Until the venue is set up, every page a person loads is sent on to `/setup` (the first
//! run).

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Site;

const SERVICE_WORKER: &str = "sw.js";
/// The two shells' pages, and where the staff shell's files are.
const WAITER_SHELL: &str = "index.html";
const STAFF_SHELL: &str = "staff/index.html";
const STAFF_FILES: &str = "staff/";
/// The first run's page.
const FIRST_RUN: &str = "/setup";

/// The precompressed copies `make site` writes, best first: (file suffix, encoding).
const PRECOMPRESSED: [(&str, &str); 2] = [(".br", "br"), (".gz", "gzip")];

pub async fn site(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path == SERVICE_WORKER {
        return service_worker();
    }
    // A shell is only ever sent as the page it is for, with its security policy.
    let is_file = !path.is_empty() && !path.ends_with(".html");
    if let Some(file) = Site::get(path).filter(|_| is_file) {
        let cache = if is_content_hashed(path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mime = file.metadata.mimetype().to_owned();
        let accepted = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // Only for files whose name changes with their content, so a copy can never be
        // older than the file it stands for.
        let hashed = is_content_hashed(path);
        let compressed = PRECOMPRESSED.iter().find_map(|(suffix, encoding)| {
            (hashed && accepts(accepted, encoding))
                .then(|| Site::get(&format!("{path}{suffix}")))
                .flatten()
                .map(|file| (*encoding, file))
        });
        let mut response = match compressed {
            Some((encoding, file)) => {
                ([(header::CONTENT_ENCODING, encoding)], file.data).into_response()
            }
            None => file.data.into_response(),
        };
        let headers = response.headers_mut();
        for (name, value) in [
            (header::CONTENT_TYPE, mime.as_str()),
            (header::CACHE_CONTROL, cache),
            (header::VARY, "accept-encoding"),
        ] {
            if let Ok(value) = value.parse() {
                headers.insert(name, value);
            }
        }
        return response;
    }
    // Only a person's page load is sent on: the service worker fetching the shells to keep
    // must get them as they are (a redirected response cannot answer a navigation later).
    let page_load = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let needs_setup = || async {
        state.needs_setup().await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not tell whether the venue is set up");
            false
        })
    };
    if page_load && uri.path() != FIRST_RUN && needs_setup().await {
        return Redirect::to(FIRST_RUN).into_response();
    }
    let shell = match app::shells::is_staff_page(uri.path()) {
        true => STAFF_SHELL,
        false => WAITER_SHELL,
    };
    match Site::get(shell) {
        Some(index) => {
            let csp = super::headers::content_security_policy(&inline_script_hashes(
                &String::from_utf8_lossy(&index.data),
            ));
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                    (header::CACHE_CONTROL, "no-cache".to_owned()),
                    (header::CONTENT_SECURITY_POLICY, csp),
                ],
                index.data,
            )
                .into_response()
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The web app is not built: run `make run` (or `make site`).",
        )
            .into_response(),
    }
}

/// Whether an `Accept-Encoding` value takes `encoding` (named, and not with `q=0`).
fn accepts(accept_encoding: &str, encoding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut parts = part.split(';').map(str::trim);
        parts
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case(encoding))
            && parts.all(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_none_or(|q| q > 0.0)
            })
    })
}

/// `'sha256-…'` for each inline `<script>` of the page (Trunk's start-up script), so
/// the policy allows exactly those and no other inline code.
fn inline_script_hashes(html: &str) -> String {
    use base64::Engine;
    let mut sources = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else {
            break;
        };
        if !rest[start..open_end].contains("src=") {
            let digest = Sha256::digest(&rest.as_bytes()[open_end..close]);
            sources.push_str(&format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[close..];
    }
    sources
}

/// Trunk (and `scripts/split-waiter.sh`, for the waiter's pieces) names built files
/// `name-<16 hex digits>[_bg].ext`; those never change content.
fn is_content_hashed(path: &str) -> bool {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .split('.')
        .next()
        .unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `sw.js` with BUILD (a hash over every file's name and content hash), SHELL and
/// STAFF_SHELL (the files of each shell) and STAFF_PAGES (`app::shells`) filled in, so a
/// new build is a new service worker.
fn service_worker() -> Response {
    let Some(source) = Site::get(SERVICE_WORKER) else {
        return (StatusCode::NOT_FOUND, "no service worker in this build").into_response();
    };
    let mut files: Vec<String> = Site::iter()
        .map(|f| f.into_owned())
        .filter(|f| f != SERVICE_WORKER)
        // The service worker caches what the browser asks for; compressed copies are
        // the same files on the wire.
        .filter(|f| !PRECOMPRESSED.iter().any(|(suffix, _)| f.ends_with(suffix)))
        .collect();
    files.sort();
    let mut build = Sha256::new();
    for name in &files {
        build.update(name.as_bytes());
        if let Some(file) = Site::get(name) {
            build.update(file.metadata.sha256_hash());
        }
    }
    let build = hex::encode(&build.finalize()[..8]);
    // The shells themselves are cached by the pages they are for (`/`, `/staff/`).
    let (staff, waiter): (Vec<String>, Vec<String>) = files
        .iter()
        .filter(|f| !f.ends_with(".html"))
        .map(|f| format!("/{f}"))
        .partition(|f| f[1..].starts_with(STAFF_FILES));
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let pages: Vec<String> = app::shells::STAFF_PAGES.map(str::to_owned).to_vec();
    let body = String::from_utf8_lossy(&source.data)
        .replace("__COMANDA_BUILD__", &build)
        .replace("__COMANDA_SHELL__", &json(&waiter))
        .replace("__COMANDA_STAFF_SHELL__", &json(&staff))
        .replace("__COMANDA_STAFF_PAGES__", &json(&pages));
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{accepts, inline_script_hashes, is_content_hashed};

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=0.8, br;q=1.0", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "br"));
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let page = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        // sha256("init()"), base64
        assert_eq!(
            inline_script_hashes(page),
            " 'sha256-w4ujnOpjBoH2vcasx+reJRUwYivG8Q3afx/XevGJod8='"
        );
        assert_eq!(inline_script_hashes("<p>no scripts</p>"), "");
    }

    #[test]
    fn only_trunks_hashed_files_are_immutable() {
        assert!(is_content_hashed("frontend-775f6af504702b38_bg.wasm"));
        assert!(is_content_hashed("frontend-775f6af504702b38.js"));
        assert!(is_content_hashed("main-47562f84d8555418.css"));
        assert!(!is_content_hashed("icon-192.png"));
        assert!(!is_content_hashed("icon-maskable-512.png"));
        assert!(!is_content_hashed("manifest.webmanifest"));
        assert!(!is_content_hashed("index.html"));
    }
}
