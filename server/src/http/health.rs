//! `GET /api/v1/health`: for monitoring and for tests waiting for the server. No sign-in.

use crate::http::extract::Json;
use crate::state::AppState;
use app::api::Health;
use axum::extract::State;
use axum::http::StatusCode;

/// Is the server up and its database answering?
#[utoipa::path(get, path = "/api/v1/health", tag = "operations",
    responses((status = 200, description = "Up", body = Health), (status = 503, description = "The database does not answer", body = Health)))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = match crate::db::ping(&state.db.reader).await {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    };
    let ok = database == "ok";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        status: if ok { "ok" } else { "degraded" }.to_owned(),
        database,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    (status, Json(body))
}
