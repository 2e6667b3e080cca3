//! Calls to the sync API (`/api/v1/…`), with the session token attached and every failure
//! turned into a message a person can act on.

use super::session::stored_token;
use app::api::{ApiErrorBody, DEVICE_HEADER};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};

#[derive(Clone, Debug, PartialEq)]
pub enum ClientError {
    /// No answer: the server is down or the network is gone.
    Unreachable,
    /// The server said no.
    Api { status: u16, body: ApiErrorBody },
}

impl ClientError {
    pub fn message(&self) -> String {
        match self {
            ClientError::Unreachable => {
                "Cannot reach the Comanda server. Check the Wi-Fi and try again.".into()
            }
            ClientError::Api { body, .. } => body.message.clone(),
        }
    }

    /// The session is gone: the person has to sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ClientError::Api { status: 401, .. })
    }
}

fn authorized(builder: RequestBuilder) -> RequestBuilder {
    // The device id lets the server throttle wrong PINs per phone, not only per address.
    let builder = match device_id() {
        Some(id) => builder.header(DEVICE_HEADER, &id),
        None => builder,
    };
    match stored_token() {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

const DEVICE_KEY: &str = "comanda.device";

/// This browser's device id: a UUID v7 made once and kept in localStorage.
fn device_id() -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    if let Some(id) = storage.get_item(DEVICE_KEY).ok()? {
        return Some(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    storage.set_item(DEVICE_KEY, &id).ok()?;
    Some(id)
}

async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    let response = response.map_err(|_| ClientError::Unreachable)?;
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ClientError::Unreachable);
    }
    let status = response.status();
    let body = response
        .json::<ApiErrorBody>()
        .await
        .unwrap_or_else(|_| ApiErrorBody {
            error: "http".into(),
            message: format!("The server answered {status}."),
            field: None,
        });
    Err(ClientError::Api { status, body })
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    read(
        authorized(Request::get(&format!("/api/v1{path}")))
            .send()
            .await,
    )
    .await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    let request = authorized(Request::post(&format!("/api/v1{path}")))
        .json(body)
        .map_err(|_| ClientError::Unreachable)?;
    read(request.send().await).await
}

/// Ends the session with this token on the server (its live streams close too).
pub async fn logout(token: &str) -> Result<(), ClientError> {
    let response = Request::post("/api/v1/logout")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|_| ClientError::Unreachable)?;
    if response.ok() {
        return Ok(());
    }
    read::<()>(Ok(response)).await
}

/// POST without a body.
pub async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    read(
        authorized(Request::post(&format!("/api/v1{path}")))
            .send()
            .await,
    )
    .await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    let request = authorized(Request::put(&format!("/api/v1{path}")))
        .json(body)
        .map_err(|_| ClientError::Unreachable)?;
    read(request.send().await).await
}

pub async fn patch<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    let request = authorized(Request::patch(&format!("/api/v1{path}")))
        .json(body)
        .map_err(|_| ClientError::Unreachable)?;
    read(request.send().await).await
}

/// A text answer (a CSV export).
pub async fn get_text(path: &str) -> Result<String, ClientError> {
    let response = authorized(Request::get(&format!("/api/v1{path}")))
        .send()
        .await
        .map_err(|_| ClientError::Unreachable)?;
    if response.ok() {
        return response.text().await.map_err(|_| ClientError::Unreachable);
    }
    read::<String>(Ok(response)).await
}

/// Posts a CSV file. A report the server answers with, even one refusing the file (422),
/// comes back as `Ok`; any other failure as usual.
pub async fn post_csv<T: DeserializeOwned>(path: &str, csv: String) -> Result<T, ClientError> {
    let response = authorized(Request::post(&format!("/api/v1{path}")))
        .header("Content-Type", "text/csv")
        .body(csv)
        .map_err(|_| ClientError::Unreachable)?
        .send()
        .await
        .map_err(|_| ClientError::Unreachable)?;
    if response.status() == 422 {
        let text = response
            .text()
            .await
            .map_err(|_| ClientError::Unreachable)?;
        if let Ok(report) = serde_json::from_str::<T>(&text) {
            return Ok(report);
        }
        let body = serde_json::from_str::<ApiErrorBody>(&text).unwrap_or_else(|_| ApiErrorBody {
            error: "http".into(),
            message: "The server answered 422.".into(),
            field: None,
        });
        return Err(ClientError::Api { status: 422, body });
    }
    read(Ok(response)).await
}
