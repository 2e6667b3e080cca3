//! The staff on the database: the list, finding someone by PIN, adding and changing
//! someone (the back office). PINs are hashed and looked up by `crate::pins`; sign-ins
//! are `crate::services::sessions`.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::pins::Pins;
use crate::services::audit::audit_async;
use crate::services::fields::{name, required};
use crate::services::{ServiceError, ServiceResult};
use app::api::StaffChange;
use app::domain::staff::{check_new_pin, Role, StaffMember};
use app::domain::StaffId;
use serde_json::json;
use sqlx::{SqliteConnection, SqlitePool};

/// Everyone on the staff list, by role and name.
pub async fn list(conn: &mut SqliteConnection) -> ServiceResult<Vec<StaffMember>> {
    Ok(sqlx::query_as!(
        StaffMember,
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", active AS "active: bool"
           FROM staff ORDER BY role, name"#
    )
    .fetch_all(conn)
    .await?)
}

/// The active staff member whose PIN this is, if any. A PIN hashed with older parameters
/// is rehashed (`writer`), and one from before lookups existed gets its lookup.
pub async fn by_pin(
    pins: &Pins,
    reader: &SqlitePool,
    writer: &SqlitePool,
    pin: &str,
) -> ServiceResult<Option<StaffMember>> {
    let lookup = pins.lookup(pin);
    let found = sqlx::query!(
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", pin_hash
           FROM staff WHERE pin_lookup = ? AND active = 1"#,
        lookup
    )
    .fetch_optional(reader)
    .await?;
    if let Some(row) = found {
        let (matches, renewed) = pins.verify_and_renew(pin, row.pin_hash).await?;
        store_renewed(writer, &row.id, renewed).await;
        return Ok(matches.then(|| member(row.id, row.name, row.role)));
    }
    // PINs from before lookups existed: check those rows only, and give the one that
    // matches its lookup so it is found directly from now on.
    let legacy = sqlx::query!(
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", pin_hash
           FROM staff WHERE pin_lookup IS NULL AND active = 1"#
    )
    .fetch_all(reader)
    .await?;
    if legacy.is_empty() {
        pins.verify_nobody(pin).await?;
        return Ok(None);
    }
    for row in legacy {
        let (matches, renewed) = pins.verify_and_renew(pin, row.pin_hash).await?;
        if matches {
            store_renewed(writer, &row.id, renewed).await;
            sqlx::query!(
                "UPDATE staff SET pin_lookup = ? WHERE id = ?",
                lookup,
                row.id
            )
            .execute(writer)
            .await?;
            return Ok(Some(member(row.id, row.name, row.role)));
        }
    }
    Ok(None)
}

/// Stores a renewed hash. A sign-in does not fail for it: the old hash still matches, and
/// is renewed at the next sign-in instead.
async fn store_renewed(writer: &SqlitePool, id: &StaffId, hash: Option<String>) {
    let Some(hash) = hash else { return };
    let stored = sqlx::query!("UPDATE staff SET pin_hash = ? WHERE id = ?", hash, id)
        .execute(writer)
        .await;
    if let Err(e) = stored {
        tracing::warn!(error = %e, "could not store a renewed PIN hash");
    }
}

fn member(id: StaffId, name: String, role: Role) -> StaffMember {
    StaffMember {
        id,
        name,
        role,
        active: true,
    }
}

/// Adds a member of staff with this PIN (the lookup keeps PINs unique among active staff:
/// a PIN in use fails on `staff_pin_lookup`).
pub async fn add(
    pins: &Pins,
    conn: &mut SqliteConnection,
    name: &str,
    role: Role,
    pin: &str,
) -> ServiceResult<StaffId> {
    let pin = NewPin::hash(pins, pin).await?;
    insert(conn, name, role, &pin).await
}

/// A PIN hashed and looked up ahead of the write that stores it: a write only talks to
/// the database, and hashing takes tens of milliseconds.
pub struct NewPin {
    hash: String,
    lookup: String,
}

impl NewPin {
    /// A PIN someone chose, checked (`check_new_pin`, refused naming `field`), then hashed.
    pub async fn checked(pins: &Pins, pin: &str, field: &str) -> ServiceResult<Self> {
        check_new_pin(pin).map_err(|why| ServiceError::invalid(field, why))?;
        Self::hash(pins, pin).await
    }

    pub async fn hash(pins: &Pins, pin: &str) -> ServiceResult<Self> {
        Ok(Self {
            hash: pins.hash(pin).await?,
            lookup: pins.lookup(pin),
        })
    }
}

/// Adds a member of staff whose PIN was hashed beforehand. A PIN someone active has
/// already is refused (409), so two people never share one.
pub async fn insert(
    conn: &mut SqliteConnection,
    name: &str,
    role: Role,
    pin: &NewPin,
) -> ServiceResult<StaffId> {
    let (id, now) = (StaffId::new_v7(), now_ms());
    sqlx::query!(
        "INSERT INTO staff (id, name, role, pin_hash, pin_lookup, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        id,
        name,
        role,
        pin.hash,
        pin.lookup,
        now
    )
    .execute(conn)
    .await
    .map_err(pin_taken)?;
    Ok(id)
}

/// Adds a member of staff from the back office, their PIN hashed beforehand.
pub async fn add_member(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &StaffChange,
    pin: &NewPin,
) -> ServiceResult<StaffMember> {
    let name = name("name", required("name", req.name.as_deref())?, 40)?;
    let role = required("role", req.role)?;
    let id = insert(conn, &name, role, pin).await?;
    audit_async(
        conn,
        by,
        None,
        "staff_added",
        None,
        json!({ "id": id, "name": name, "role": role }),
    )
    .await?;
    one(conn, id).await
}

/// Changes a member of staff: name, role, PIN (hashed beforehand) or whether they may
/// sign in. The last active manager can be neither stopped nor given another role, so
/// the venue always has someone who can reach the back office. Returns them as they are
/// now, and the sessions that a stop ended (token digests), for their streams to close.
pub async fn change_member(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: StaffId,
    req: &StaffChange,
    pin: Option<&NewPin>,
) -> ServiceResult<(StaffMember, Vec<String>)> {
    let name = req
        .name
        .as_deref()
        .map(|n| name("name", n, 40))
        .transpose()?;
    let before = one(conn, id).await?;
    let stops_managing = before.role == Role::Manager
        && before.active
        && (req.active == Some(false) || req.role.is_some_and(|r| r != Role::Manager));
    if stops_managing {
        let others = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM staff WHERE role = 'manager' AND active = 1 AND id != ?"#,
            id
        )
        .fetch_one(&mut *conn)
        .await?;
        if others == 0 {
            return Err(ServiceError::Conflict(format!(
                "{} is the only manager: make someone else a manager first",
                before.name
            )));
        }
    }
    let (hash, lookup) = (pin.map(|p| p.hash.as_str()), pin.map(|p| p.lookup.as_str()));
    sqlx::query!(
        "UPDATE staff SET name = COALESCE(?, name), role = COALESCE(?, role), active = COALESCE(?, active),
                pin_hash = COALESCE(?, pin_hash), pin_lookup = COALESCE(?, pin_lookup)
         WHERE id = ?",
        name,
        req.role,
        req.active,
        hash,
        lookup,
        id
    )
    .execute(&mut *conn)
    .await
    .map_err(pin_taken)?;
    // A stopped member's sessions end, and so do those of someone whose PIN or role
    // changed: what they may do is decided at sign-in.
    let role_changed = req.role.is_some_and(|r| r != before.role);
    let ended = if req.active == Some(false) || pin.is_some() || role_changed {
        sqlx::query_scalar!(
            "DELETE FROM sessions WHERE staff_id = ? RETURNING token_sha256",
            id
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    // What changed, never the PIN itself.
    let detail = json!({ "id": id, "name": req.name, "role": req.role, "active": req.active, "pin_changed": pin.is_some() });
    audit_async(conn, by, None, "staff_changed", None, detail).await?;
    Ok((one(conn, id).await?, ended))
}

async fn one(conn: &mut SqliteConnection, id: StaffId) -> ServiceResult<StaffMember> {
    sqlx::query_as!(
        StaffMember,
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", active AS "active: bool"
           FROM staff WHERE id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ServiceError::NotFound(format!("no member of staff {id}")))
}

/// A PIN someone active has already: 422 on the PIN, so two people never share one.
fn pin_taken(e: sqlx::Error) -> ServiceError {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            ServiceError::invalid("pin", "someone has this PIN already; choose another")
        }
        e => e.into(),
    }
}

/// The name and role of staff member `id`, and whether they are still on the staff:
/// whom a table may be handed to.
pub(crate) fn on_staff(conn: &Conn, id: StaffId) -> ServiceResult<(String, Role, bool)> {
    sql!(
        conn,
        r#"SELECT name, role AS "role: Role", active AS "active: bool" FROM staff WHERE id = ?"#,
        id
    )
    .optional(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .ok_or_else(|| ServiceError::NotFound(format!("no staff member {id}")))
}
