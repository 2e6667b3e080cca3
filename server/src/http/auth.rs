//! Logging in with a PIN, sessions, and the role check every endpoint makes.
//!
//! PINs are stored as argon2id hashes. A login checks the PIN against every active staff
//! member's hash (on a blocking thread: argon2 is deliberately slow), so two staff members
//! must never share a PIN; `staff::pin_in_use` guards that when PINs are set.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Json;
use crate::state::AppState;
use app::api::{ApiErrorBody, LoginRequest, LoginResponse};
use app::domain::staff::{Role, StaffMember};
use app::domain::StaffId;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::{extract::FromRequestParts, extract::State, http::request::Parts, http::StatusCode};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes a PIN for storage.
pub fn hash_pin(pin: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

/// A PIN is 4 to 8 digits.
pub fn check_pin_format(pin: &str) -> ApiResult<()> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::invalid("pin", "a PIN is 4 to 8 digits"))
    }
}

fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The signed-in staff member making this request.
#[derive(Clone, Debug)]
pub struct Session {
    pub staff: StaffMember,
    /// What the sessions table holds for this session's token.
    token_sha256: String,
}

impl Session {
    /// Refuses with 403 unless the role passes `allowed`; `what` completes
    /// "Your role may not …".
    pub fn require(&self, allowed: fn(Role) -> bool, what: &str) -> ApiResult<()> {
        if allowed(self.staff.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "a {} may not {what}",
                self.staff.role.label()
            )))
        }
    }
}

/// The token from `Authorization: Bearer …`, or from `?token=` (EventSource cannot send headers).
fn token_of(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        return value
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_owned());
    }
    let query = parts.uri.query()?;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .map(str::to_owned)
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let unauthorized = |message: &str| ApiError::Unauthorized {
            code: "unauthorized",
            message: message.into(),
        };
        let token = token_of(parts)
            .ok_or_else(|| unauthorized("sign in first: no session token was sent"))?;
        let digest = token_digest(&token);
        let now = now_ms();
        let row = sqlx::query!(
            r#"SELECT s.id AS "id: StaffId", s.name, s.role AS "role: Role", s.active AS "active: bool"
               FROM sessions JOIN staff s ON s.id = sessions.staff_id
               WHERE token_sha256 = ? AND expires_at > ? AND s.active = 1"#,
            digest,
            now
        )
        .fetch_optional(&state.db.reader)
        .await?
        .ok_or_else(|| unauthorized("your session has ended; sign in again"))?;
        Ok(Session {
            staff: StaffMember {
                id: row.id,
                name: row.name,
                role: row.role,
                active: row.active,
            },
            token_sha256: digest,
        })
    }
}

/// Sign in with a PIN.
#[utoipa::path(post, path = "/api/v1/login", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "No staff member has this PIN", body = ApiErrorBody),
        (status = 422, description = "The PIN is not 4 to 8 digits", body = ApiErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    check_pin_format(&req.pin)?;
    let Some(who) = staff_by_pin(&state, req.pin).await? else {
        return Err(ApiError::Unauthorized {
            code: "wrong_pin",
            message: "wrong PIN".into(),
        });
    };

    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let digest = token_digest(&token);
    let now = now_ms();
    let expires = now + state.config.session_hours * 3_600_000;
    sqlx::query!(
        "INSERT INTO sessions (token_sha256, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        digest,
        who.id,
        now,
        expires
    )
    .execute(&state.db.writer)
    .await?;
    tracing::info!(staff = %who.name, role = who.role.label(), "signed in");
    Ok(Json(LoginResponse { token, staff: who }))
}

/// The active staff member whose PIN this is, if any (checked on a blocking thread).
pub async fn staff_by_pin(state: &AppState, pin: String) -> ApiResult<Option<StaffMember>> {
    let candidates = sqlx::query!(
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", pin_hash FROM staff WHERE active = 1"#
    )
    .fetch_all(&state.db.reader)
    .await?;
    let found = tokio::task::spawn_blocking(move || {
        candidates
            .into_iter()
            .find(|c| pin_matches(&pin, &c.pin_hash))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("PIN check: {e}")))?;
    Ok(found.map(|who| StaffMember {
        id: who.id,
        name: who.name,
        role: who.role,
        active: true,
    }))
}

/// The manager who approves what the signed-in staff member does: the one whose PIN was
/// typed on this device, or the signed-in member themselves if they are a manager; None if
/// nobody approved. A PIN that is not a manager's refuses the request, saying `nothing`
/// ("nothing was voided").
pub async fn approver(
    state: &AppState,
    session: &Session,
    manager_pin: Option<&str>,
    nothing: &str,
) -> ApiResult<Option<StaffId>> {
    match manager_pin {
        Some(pin) if !pin.is_empty() => {
            check_pin_format(pin)?;
            match staff_by_pin(state, pin.to_owned()).await? {
                Some(m) if m.role.manages() => Ok(Some(m.id)),
                _ => Err(ApiError::Forbidden(format!(
                    "that PIN is not a manager's; {nothing}"
                ))),
            }
        }
        _ if session.staff.role.manages() => Ok(Some(session.staff.id)),
        _ => Ok(None),
    }
}

/// End this session.
#[utoipa::path(post, path = "/api/v1/logout", tag = "session", security(("token" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = ApiErrorBody)))]
pub async fn logout(State(state): State<AppState>, session: Session) -> ApiResult<StatusCode> {
    sqlx::query!(
        "DELETE FROM sessions WHERE token_sha256 = ?",
        session.token_sha256
    )
    .execute(&state.db.writer)
    .await?;
    tracing::info!(staff = %session.staff.name, "signed out");
    Ok(StatusCode::NO_CONTENT)
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", security(("token" = [])),
    responses((status = 200, body = StaffMember), (status = 401, body = ApiErrorBody)))]
pub async fn me(session: Session) -> Json<StaffMember> {
    Json(session.staff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_matches_only_its_own_hash() {
        let hash = hash_pin("1234");
        assert!(pin_matches("1234", &hash));
        assert!(!pin_matches("1235", &hash));
        assert!(!pin_matches("1234", "not a hash"));
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(check_pin_format("1234").is_ok());
        assert!(check_pin_format("12345678").is_ok());
        for bad in ["", "123", "123456789", "12a4", "12 34", "١٢٣٤"] {
            assert!(check_pin_format(bad).is_err(), "{bad:?} accepted");
        }
    }
}
