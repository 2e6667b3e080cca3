//! The web app's files (Trunk's output, `target/site`), embedded in release builds so the
//! server is one binary. Paths the app routes itself (`/floor`, `/kitchen/bar`) get
//! `index.html`.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Site;

pub async fn site(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(file) = Site::get(path).filter(|_| !path.is_empty()) {
        // Trunk puts a content hash in the names of the wasm, js and css files.
        let cache =
            if path.contains('-') && !path.ends_with(".html") && !path.ends_with(".webmanifest") {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
        return (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            file.data,
        )
            .into_response();
    }
    match Site::get("index.html") {
        Some(index) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            index.data,
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The web app is not built: run `make run` (or `make site`).",
        )
            .into_response(),
    }
}
