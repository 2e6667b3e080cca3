//! The web app's files (Trunk's output, `target/site`), embedded in release builds so the
//! server is one binary. Paths the app routes itself (`/floor`, `/kitchen/bar`) get
//! `index.html`. The service worker is filled in here with this build's id and file list.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Site;

const SERVICE_WORKER: &str = "sw.js";

pub async fn site(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path == SERVICE_WORKER {
        return service_worker();
    }
    if let Some(file) = Site::get(path).filter(|_| !path.is_empty()) {
        let cache = if is_content_hashed(path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mime = file.metadata.mimetype().to_owned();
        return (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            file.data,
        )
            .into_response();
    }
    match Site::get("index.html") {
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

/// Trunk names built files `name-<16 hex digits>[_bg].ext`; those never change content.
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

/// `sw.js` with BUILD (a hash over every file's name and content hash) and SHELL (the
/// files to keep offline) filled in, so a new build is a new service worker.
fn service_worker() -> Response {
    let Some(source) = Site::get(SERVICE_WORKER) else {
        return (StatusCode::NOT_FOUND, "no service worker in this build").into_response();
    };
    let mut files: Vec<String> = Site::iter()
        .map(|f| f.into_owned())
        .filter(|f| f != SERVICE_WORKER && f != "index.html")
        .collect();
    files.sort();
    let mut build = Sha256::new();
    for name in files
        .iter()
        .chain(std::iter::once(&"index.html".to_owned()))
    {
        build.update(name.as_bytes());
        if let Some(file) = Site::get(name) {
            build.update(file.metadata.sha256_hash());
        }
    }
    let build = hex::encode(&build.finalize()[..8]);
    let shell: Vec<String> = files.iter().map(|f| format!("/{f}")).collect();
    let shell = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into());
    let body = String::from_utf8_lossy(&source.data)
        .replace("__COMANDA_BUILD__", &build)
        .replace("__COMANDA_SHELL__", &shell);
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
    use super::{inline_script_hashes, is_content_hashed};

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
