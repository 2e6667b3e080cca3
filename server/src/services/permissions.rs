//! What each role may do beyond its fixed work (`RolePermissions`), as the managers set
//! it: mark products sold out, open the cash drawer, and give discounts or void sent items
//! up to the role's own limit without a manager's PIN. The HTTP layer asks `of` before it
//! lets a call through; the discount and void services ask for the limits of whoever is
//! acting. Managers may do everything.

use crate::db::direct::{sql, Conn};
use crate::services::events;
use crate::services::{on, Changed, ServiceError, ServiceResult};
use app::api::{EventKind, RoleChange};
use app::domain::staff::{Role, RolePermissions};
use app::domain::StaffId;
use serde_json::json;
use sqlx::SqliteConnection;

/// The largest limit a role can be given: the venue's own limits go as far.
const MAX_LIMIT_MINOR: i64 = 100_000_000;

/// Every role's permissions, the manager's first.
pub async fn list(conn: &mut SqliteConnection) -> ServiceResult<Vec<RolePermissions>> {
    let rows = sqlx::query_as!(
        RolePermissions,
        r#"SELECT role AS "role: Role", sells_out AS "sells_out: bool", opens_drawer AS "opens_drawer: bool",
                  discount_limit_minor, void_limit_minor
           FROM role_permissions
           ORDER BY CASE role WHEN 'waiter' THEN 1 WHEN 'cashier' THEN 2 ELSE 3 END"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(std::iter::once(RolePermissions::manager())
        .chain(rows)
        .collect())
}

/// What `role` may do.
pub async fn of(conn: &mut SqliteConnection, role: Role) -> ServiceResult<RolePermissions> {
    list(conn)
        .await?
        .into_iter()
        .find(|p| p.role == role)
        .ok_or_else(|| ServiceError::Internal(format!("no permissions for {}", role.label())))
}

/// The limits over which a discount and a void by `by` need a manager's PIN: their role's,
/// else the venue's.
pub fn limits_of(conn: &Conn, by: StaffId) -> ServiceResult<(i64, i64)> {
    let role: Role = sql!(
        conn,
        r#"SELECT role AS "role: Role" FROM staff WHERE id = ?"#,
        by
    )
    .scalar()?;
    limits_for_role(conn, role)
}

/// `limits_of` from code still on sqlx.
pub async fn limits_of_async(
    conn: &mut SqliteConnection,
    by: StaffId,
) -> ServiceResult<(i64, i64)> {
    on(conn, |c| limits_of(c, by)).await
}

/// The same limits for anyone in `role` (the phone's snapshot tells it when to ask for a
/// manager's PIN).
pub fn limits_for_role(conn: &Conn, role: Role) -> ServiceResult<(i64, i64)> {
    Ok(sql!(
        conn,
        r#"SELECT COALESCE(p.discount_limit_minor, v.discount_approval_above_minor) AS "discount!: i64",
                  COALESCE(p.void_limit_minor, v.void_approval_above_minor) AS "void!: i64"
           FROM venue v LEFT JOIN role_permissions p ON p.role = ?
           WHERE v.id = 1"#,
        role
    )
    .row(|r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Changes what `role` may do; audited and announced. The manager's role is not changed.
pub async fn change(
    conn: &mut SqliteConnection,
    by: StaffId,
    role: Role,
    req: &RoleChange,
) -> ServiceResult<Changed<RolePermissions>> {
    if role == Role::Manager {
        return Err(ServiceError::invalid(
            "role",
            "a manager may do everything; choose another role",
        ));
    }
    for (field, limit) in [
        ("discount_limit_minor", req.discount_limit_minor.flatten()),
        ("void_limit_minor", req.void_limit_minor.flatten()),
    ] {
        if limit.is_some_and(|l| !(0..=MAX_LIMIT_MINOR).contains(&l)) {
            return Err(ServiceError::invalid(
                field,
                "a limit is 0 or more, up to 1,000,000.00",
            ));
        }
    }
    let (set_discount, discount) = (
        req.discount_limit_minor.is_some(),
        req.discount_limit_minor.flatten(),
    );
    let (set_void, void) = (
        req.void_limit_minor.is_some(),
        req.void_limit_minor.flatten(),
    );
    sqlx::query!(
        "UPDATE role_permissions SET sells_out = COALESCE(?, sells_out), opens_drawer = COALESCE(?, opens_drawer),
                discount_limit_minor = CASE WHEN ? THEN ? ELSE discount_limit_minor END,
                void_limit_minor = CASE WHEN ? THEN ? ELSE void_limit_minor END
         WHERE role = ?",
        req.sells_out,
        req.opens_drawer,
        set_discount,
        discount,
        set_void,
        void,
        role
    )
    .execute(&mut *conn)
    .await?;
    // Announced as a change of the venue, so phones read their limits again at once.
    let detail = json!({ "role": role, "change": req });
    let events = events::announce_change(
        conn,
        by,
        EventKind::MenuChanged,
        "role_permissions_changed",
        detail,
        &[],
    )
    .await?;
    Ok((of(conn, role).await?, events))
}
