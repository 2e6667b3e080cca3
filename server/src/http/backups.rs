//! The box's backups, for managers: the list with each one's size and checksum, a backup
//! now, and the download of one (`crate::db::backup`, taken by `workers::backups`).

use crate::db::backup;
use crate::http::auth::Session;
use crate::http::download::streamed;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Json, Path};
use crate::state::AppState;
use app::api::{ApiErrorBody, BackupFile, Backups};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// The backups kept on the box, newest first, and the last failure if none worked since.
#[utoipa::path(get, path = "/api/v1/backups", tag = "operations", security(("token" = [])),
    responses((status = 200, body = Backups), (status = 403, body = ApiErrorBody)))]
pub async fn list_backups(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Backups>> {
    session.require(Role::manages, "see the backups")?;
    let dir = state.config.backups_path();
    let found = tokio::task::spawn_blocking(move || {
        let mut all = vec![];
        for (name, _) in backup::list(&dir)?.into_iter().rev() {
            all.push(backup::describe(&dir, &name)?);
        }
        Ok::<_, std::io::Error>(all)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(format!("the backups folder: {e}")))?;
    let failure = state
        .backups
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .failure
        .clone();
    Ok(Json(Backups {
        backups: found,
        last_failure: failure,
        copy_folder: state
            .config
            .backup_copy
            .as_ref()
            .map(|p| p.display().to_string()),
    }))
}

/// Takes a backup now, checked, and answers it (or why it failed).
#[utoipa::path(post, path = "/api/v1/backups", tag = "operations", security(("token" = [])),
    responses((status = 201, body = BackupFile), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn take_backup(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<(StatusCode, Json<BackupFile>)> {
    session.require(Role::manages, "back the box up")?;
    let taken = crate::workers::backups::back_up(&state)
        .await
        .map_err(|e| ApiError::Conflict(format!("the backup failed: {e}")))?;
    Ok((StatusCode::CREATED, Json(taken)))
}

/// Downloads one backup, as kept on the box.
#[utoipa::path(get, path = "/api/v1/backups/{name}", tag = "operations", security(("token" = [])),
    params(("name" = String, Path, description = "`comanda-20261204T120000Z.db`")),
    responses((status = 200, content_type = "application/vnd.sqlite3", body = Vec<u8>), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn download_backup(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    session.require(Role::manages, "download a backup")?;
    // Only a backup's own name, so no path leads outside the folder.
    if backup::taken_at(&name).is_none() {
        return Err(ApiError::NotFound("no such backup".into()));
    }
    let file = std::fs::File::open(state.config.backups_path().join(&name)).map_err(|_| {
        ApiError::NotFound(format!("no backup {name}: retention may have removed it"))
    })?;
    Ok(streamed(file, name, "application/vnd.sqlite3"))
}
