//! Signing in with a PIN, sessions, managers' approvals, and the role check every
//! endpoint makes.
//!
//! Anyone on the venue's Wi-Fi can reach these, so every PIN attempt (sign-in or a
//! manager's approval) passes the `Throttle` first, keyed by the client's address, its
//! device and (for approvals) its session; a wrong PIN is written to the audit log. PINs
//! are found and checked by `pins` (a keyed lookup, then one argon2 hash).

use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Json;
use crate::services::sessions::{self, APPROVAL_PIN_WRONG, SIGN_IN_FAILED};
use crate::services::{permissions, staff};
use crate::state::AppState;
use crate::throttle::Attempt;
use app::api::{ApiErrorBody, LoginRequest, LoginResponse, StreamTicket};
use app::domain::staff::{Role, RolePermissions, StaffMember};
use app::domain::StaffId;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{request::Parts, StatusCode};
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A PIN is 4 to 8 digits.
pub fn check_pin_format(pin: &str) -> ApiResult<()> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::invalid("pin", "a PIN is 4 to 8 digits"))
    }
}

/// Where a request comes from: the peer's address and the device id it gave, if any.
#[derive(Clone, Debug)]
pub struct Caller {
    pub ip: IpAddr,
    pub device: Option<String>,
}

impl Caller {
    /// The throttle's keys for this caller's attempts at `what` ("sign-in", "approval"),
    /// plus `more`. Sign-ins and approvals are counted apart, so a waiter's mistyped
    /// manager PINs never keep the phone next to theirs from signing in.
    fn keys(&self, what: &str, more: Option<String>) -> Vec<String> {
        let mut keys = vec![format!("{what}:ip:{}", self.ip)];
        keys.extend(self.device.as_ref().map(|d| format!("{what}:device:{d}")));
        keys.extend(more);
        keys
    }

    fn detail(&self) -> serde_json::Value {
        json!({ "ip": self.ip.to_string(), "device": self.device })
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        // Behind a reverse proxy on this machine (`--no-tls`) every request comes from
        // loopback; the client is the address the proxy appended to X-Forwarded-For. Only
        // then: anyone else could write any address there.
        let forwarded = (state.config.no_tls && peer.is_loopback())
            .then(|| parts.headers.get("x-forwarded-for")?.to_str().ok())
            .flatten()
            .and_then(|v| v.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        let ip = forwarded.unwrap_or(peer);
        // A device id is the client's own word: bounded, and only a key among others.
        let device = parts
            .headers
            .get(app::api::DEVICE_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|d| {
                !d.is_empty()
                    && d.len() <= 64
                    && d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            .map(str::to_owned);
        Ok(Caller { ip, device })
    }
}

/// Whether the caller may see the box from the inside (the health check's detail,
/// `/metrics`): a request from the box itself (loopback, when no proxy is in front: behind
/// one, `--no-tls`, every request comes from loopback), or a manager's session. Never
/// refused: the handler decides what an outsider gets.
#[derive(Clone, Copy, Debug)]
pub struct Insider(pub bool);

impl FromRequestParts<AppState> for Insider {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        if !state.config.no_tls && peer.is_some_and(|ip| ip.is_loopback()) {
            return Ok(Insider(true));
        }
        let manager = Session::from_request_parts(parts, state)
            .await
            .is_ok_and(|s| s.staff.role.manages());
        Ok(Insider(manager))
    }
}

/// The signed-in staff member making this request.
#[derive(Clone, Debug)]
pub struct Session {
    pub staff: StaffMember,
    /// What the sessions table holds for this session's token.
    pub token_sha256: String,
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

impl Session {
    /// Refuses with 403 unless this member's role has the permission `granted` reads
    /// (as the managers set it; a manager has them all); `what` completes "… may not …".
    pub async fn allowed(
        &self,
        state: &AppState,
        granted: fn(&RolePermissions) -> bool,
        what: &str,
    ) -> ApiResult<()> {
        let mut conn = state.db.reader.acquire().await?;
        let permissions = permissions::of(&mut conn, self.staff.role).await?;
        if granted(&permissions) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "a {} may not {what}; a manager can allow it under Staff",
                self.staff.role.label()
            )))
        }
    }
}

/// Paths that take `?ticket=`: live streams, because `EventSource` cannot send headers.
/// (Inside the `/api/v1` router the prefix is already stripped.)
/// Paths a browser opens itself, where it cannot send the token: the live streams
/// (`EventSource`) and the files it downloads to disk (a plain link, so a big file goes
/// straight to disk with the browser's own progress). They take a one-use ticket.
fn takes_ticket(path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    matches!(
        path,
        "/events"
            | "/scans"
            | "/reports/sales.csv"
            | "/reports/sales.xlsx"
            | "/reports/journal.csv"
            | "/reports/journal.xlsx"
    ) || path.starts_with("/backups/")
        || (path.starts_with("/reports/journal/jobs/") && path.ends_with("/file"))
}

/// What a request signs in with: the bearer token, or a ticket where one is taken.
enum Credential {
    Token(String),
    Ticket(String),
}

fn credential_of(parts: &Parts) -> Option<Credential> {
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        return value
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(|t| Credential::Token(t.trim().to_owned()));
    }
    if !takes_ticket(parts.uri.path()) {
        return None;
    }
    parts
        .uri
        .query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("ticket="))
        .filter(|t| t.len() <= 128)
        .map(|t| Credential::Ticket(t.to_owned()))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let unauthorized = |message: &str| ApiError::Unauthorized {
            code: "unauthorized",
            message: message.into(),
        };
        let digest = match credential_of(parts) {
            Some(Credential::Token(token)) => sessions::token_digest(&token),
            Some(Credential::Ticket(ticket)) => state
                .stream_tickets
                .redeem(&ticket)
                .ok_or_else(|| unauthorized("this stream ticket has expired; ask for a new one"))?,
            None => return Err(unauthorized("sign in first: no session token was sent")),
        };
        let found = sessions::find(state, &digest)
            .await?
            .ok_or_else(|| unauthorized("your session has ended; sign in again"))?;
        Ok(Session {
            staff: found.staff,
            token_sha256: found.token_sha256,
        })
    }
}

/// Lets a PIN attempt through the throttle, or answers 429 with how long to wait.
fn attempt(state: &AppState, keys: Vec<String>) -> ApiResult<Attempt> {
    state
        .throttle
        .begin(keys)
        .map_err(|wait| ApiError::TooManyAttempts {
            retry_after_secs: wait.seconds(),
        })
}

/// Sign in with a PIN.
#[utoipa::path(post, path = "/api/v1/login", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "No staff member has this PIN", body = ApiErrorBody),
        (status = 422, description = "The PIN is not 4 to 8 digits", body = ApiErrorBody),
        (status = 429, description = "Too many wrong PINs from this device or address; see Retry-After", body = ApiErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    check_pin_format(&req.pin)?;
    let attempt = attempt(&state, caller.keys("sign-in", None))?;
    let found = staff::by_pin(&state.pins, &state.db.reader, &state.db.writer, &req.pin).await?;
    let Some(who) = found else {
        sessions::record_wrong_pin(&state.db.writer, SIGN_IN_FAILED, None, caller.detail()).await?;
        tracing::warn!(ip = %caller.ip, "wrong PIN at sign-in");
        return Err(ApiError::Unauthorized {
            code: "wrong_pin",
            message: "wrong PIN".into(),
        });
    };
    attempt.succeeded();
    let token = sessions::create(&state, who.id).await?;
    tracing::info!(staff = %who.name, role = who.role.label(), "signed in");
    Ok(Json(LoginResponse { token, staff: who }))
}

/// A manager's approval for what the signed-in member of staff does: given by the
/// signed-in member themselves if they manage, or by a manager's PIN typed on this device.
///
/// A wrong PIN must not be told apart from anything else that is wrong with the request,
/// or a waiter could learn a manager's PIN by trying PINs on a request that fails anyway
/// (a 404 for a right PIN, a 403 for a wrong one). So the PIN is checked here, but its
/// verdict is given only by `Verdict::on`, after the request ran (and was validated) in
/// its transaction: a request that fails for another reason fails the same way for any
/// PIN, and counts as a wrong attempt in the throttle whatever the PIN was (taking the
/// count back for a right PIN there would tell it apart again).
pub struct Approval {
    approver: Option<StaffId>,
    /// A PIN was typed and it is not a manager's.
    pin_wrong: bool,
    signed_in: StaffId,
    /// The throttled attempt of a typed PIN, taken back only if the request succeeds.
    attempt: Option<Attempt>,
}

impl Approval {
    /// Checks `manager_pin` (throttled per session, device and address).
    pub async fn check(
        state: &AppState,
        session: &Session,
        caller: &Caller,
        manager_pin: Option<&str>,
    ) -> ApiResult<Self> {
        let signed_in = session.staff.id;
        let Some(pin) = manager_pin.filter(|p| !p.is_empty()) else {
            return Ok(Approval {
                approver: session.staff.role.manages().then_some(signed_in),
                pin_wrong: false,
                signed_in,
                attempt: None,
            });
        };
        check_pin_format(pin)?;
        let attempt = attempt(
            state,
            caller.keys(
                "approval",
                Some(format!("approval:session:{}", session.token_sha256)),
            ),
        )?;
        let found = staff::by_pin(&state.pins, &state.db.reader, &state.db.writer, pin).await?;
        let approver = found.filter(|m| m.role.manages()).map(|m| m.id);
        if approver.is_none() {
            sessions::record_wrong_pin(
                &state.db.writer,
                APPROVAL_PIN_WRONG,
                Some(signed_in),
                caller.detail(),
            )
            .await?;
        }
        Ok(Approval {
            approver,
            pin_wrong: approver.is_none(),
            signed_in,
            attempt: Some(attempt),
        })
    }

    /// The manager approving, if any (None while a wrong PIN awaits its verdict).
    pub fn approver(&self) -> Option<StaffId> {
        self.approver
    }

    /// For what only a manager may do: the approving manager, or 403 saying a manager's
    /// PIN is needed. With a wrong PIN the signed-in member stands in so the request is
    /// still validated; its verdict then refuses it and nothing is committed.
    pub fn manager(&self, session: &Session, nothing: &str) -> ApiResult<StaffId> {
        match (self.approver, self.pin_wrong) {
            (Some(id), _) => Ok(id),
            (None, true) => Ok(self.signed_in),
            (None, false) => Err(ApiError::ApprovalNeeded(format!(
                "a {} may not do this alone: a manager's PIN is needed; {nothing}",
                session.staff.role.label()
            ))),
        }
    }

    /// The verdict on the request, given inside its write (`Verdict::on`), which may
    /// run twice. The approval itself stays with the handler, to be `settled` after.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            pin_wrong: self.pin_wrong,
        }
    }

    /// The request's write is over: a right PIN's attempt is taken back from the
    /// throttle if it succeeded, so only once its commit stands (and not at all if the
    /// caller hung up before, which errs on the throttle's side).
    pub fn settled<T>(self, outcome: &ApiResult<T>) {
        if let (false, Ok(_), Some(attempt)) = (self.pin_wrong, outcome, self.attempt) {
            attempt.succeeded();
        }
    }
}

/// What a request that ran under an approval answers (`Approval::verdict`): cheap to copy
/// into a write.
#[derive(Clone, Copy)]
pub struct Verdict {
    pin_wrong: bool,
}

impl Verdict {
    /// The answer to the request, given its `outcome`. With a wrong PIN: the request's
    /// own error if it had one (other than wanting an approval), else 403. The write
    /// commits only on Ok.
    pub fn on<T, E: Into<ApiError>>(self, outcome: Result<T, E>, nothing: &str) -> ApiResult<T> {
        let outcome = outcome.map_err(Into::into);
        if !self.pin_wrong {
            return outcome;
        }
        match outcome {
            Err(e) if !matches!(e, ApiError::ApprovalNeeded(_)) => Err(e),
            _ => Err(ApiError::Forbidden(format!(
                "that PIN is not a manager's; {nothing}"
            ))),
        }
    }
}

/// A one-use ticket, valid for a minute, that opens one of this session's live streams
/// (`?ticket=` on `/events` and `/scans`) or downloads one file (a backup, a report or
/// the journal), so the session token never travels in a URL.
#[utoipa::path(post, path = "/api/v1/stream-tickets", tag = "live", security(("token" = [])),
    responses((status = 201, body = StreamTicket), (status = 401, body = ApiErrorBody),
        (status = 503, description = "Too many tickets are out", body = ApiErrorBody)))]
pub async fn stream_ticket(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<(StatusCode, Json<StreamTicket>)> {
    let ticket = state
        .stream_tickets
        .issue(&session.token_sha256)
        .ok_or_else(|| ApiError::Busy("too many live streams are starting; try again".into()))?;
    Ok((
        StatusCode::CREATED,
        Json(StreamTicket {
            ticket,
            expires_in_secs: 60,
        }),
    ))
}

/// End this session; its live streams close.
#[utoipa::path(post, path = "/api/v1/logout", tag = "session", security(("token" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = ApiErrorBody)))]
pub async fn logout(State(state): State<AppState>, session: Session) -> ApiResult<StatusCode> {
    sessions::end(&state, &session.token_sha256).await?;
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
    fn pins_are_four_to_eight_digits() {
        assert!(check_pin_format("1234").is_ok());
        assert!(check_pin_format("12345678").is_ok());
        for bad in ["", "123", "123456789", "12a4", "12 34", "١٢٣٤"] {
            assert!(check_pin_format(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn tickets_in_the_url_count_only_on_live_streams_and_downloads_and_tokens_never() {
        let ticket_of = |uri: &str| {
            let parts = axum::http::Request::get(uri)
                .body(())
                .unwrap()
                .into_parts()
                .0;
            match credential_of(&parts) {
                Some(Credential::Ticket(t)) => Some(t),
                _ => None,
            }
        };
        assert_eq!(
            ticket_of("/api/v1/events?ticket=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            ticket_of("/api/v1/scans?since=1&ticket=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(ticket_of("/api/v1/snapshot?ticket=abc"), None);
        assert_eq!(
            ticket_of("/api/v1/backups/comanda-20261204T120000Z.db?ticket=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            ticket_of("/api/v1/reports/journal/jobs/x/file?ticket=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(ticket_of("/api/v1/reports/journal/jobs/x?ticket=abc"), None);
        assert_eq!(ticket_of("/api/v1/backups?ticket=abc"), None);
        assert_eq!(ticket_of("/api/v1/events?token=abc"), None);
    }
}
