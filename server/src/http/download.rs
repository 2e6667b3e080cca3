//! Files the box sends to be saved (reports, the journal, backups): named, typed, their
//! length up front when known, and read from disk as they are sent.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `body` as a file to save as `name`; its length up front when known, so a browser
/// can show the download's progress.
pub fn attachment(
    name: &str,
    mime: &'static str,
    length: Option<u64>,
    body: axum::body::Body,
) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response();
    if let Some(length) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, length.into());
    }
    response
}

/// `file` as the response body, read as it is sent.
pub fn streamed(file: std::fs::File, name: String, mime: &'static str) -> Response {
    let length = file.metadata().map(|m| m.len()).ok();
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(file),
    ));
    attachment(&name, mime, length, body)
}
