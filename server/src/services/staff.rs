//! The staff on the database: the list, finding someone by PIN, adding someone. PINs
//! are hashed and looked up by `crate::pins`; sign-ins are `crate::services::sessions`.

use crate::db::now_ms;
use crate::pins::Pins;
use crate::services::{ServiceError, ServiceResult};
use app::domain::staff::{Role, StaffMember};
use app::domain::StaffId;
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
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            ServiceError::invalid("pin", "someone has this PIN already; choose another")
        }
        e => e.into(),
    })?;
    Ok(id)
}
