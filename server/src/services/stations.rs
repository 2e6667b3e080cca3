//! The back office's changes to the stations, the places where items are made (their
//! screens live at `/kitchen/<id>`): added with a slug made from the name, renamed, and
//! given the times after which a ticket shows yellow and red. Announced as
//! `menu_changed`, since the menu carries the stations.

use crate::services::events;
use crate::services::fields::{name, required, sort_order};
use crate::services::venue::load_whole_menu;
use crate::services::{Changed, ServiceError, ServiceResult};
use app::api::{EventKind, StationChange};
use app::domain::menu::Station;
use app::domain::{StaffId, StationId};
use serde_json::json;
use sqlx::SqliteConnection;

/// The slug of a station's name: lower-case letters and digits, words joined by `-`, at
/// most 32 characters ("Pizza oven" is `pizza-oven`). Letters with accents lose them.
pub fn slug(name: &str) -> String {
    let plain = deunicode::deunicode(name).to_ascii_lowercase();
    let words: Vec<&str> = plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = words.join("-");
    slug.truncate(32);
    slug.trim_end_matches('-').to_owned()
}

fn check_times(req: &StationChange, before: Option<&Station>) -> ServiceResult<()> {
    for (field, value) in [
        ("warn_after_secs", req.warn_after_secs),
        ("late_after_secs", req.late_after_secs),
    ] {
        if value.is_some_and(|v| !(1..=86_400).contains(&v)) {
            return Err(ServiceError::invalid(
                field,
                "a time is 1 second to 24 hours, in seconds",
            ));
        }
    }
    let warn = req
        .warn_after_secs
        .or(before.map(|s| s.warn_after_secs))
        .unwrap_or(420);
    let late = req
        .late_after_secs
        .or(before.map(|s| s.late_after_secs))
        .unwrap_or(900);
    if late < warn {
        return Err(ServiceError::invalid(
            "late_after_secs",
            "a ticket turns red no sooner than it turns yellow",
        ));
    }
    Ok(())
}

/// Announces a change of station `id` (`MenuChanged`, naming it), audits it, and reads
/// the station back.
async fn announce(
    conn: &mut SqliteConnection,
    by: StaffId,
    action: &str,
    id: &StationId,
    req: &StationChange,
) -> ServiceResult<Changed<Station>> {
    let detail = json!({ "id": id, "change": req });
    let station_ids = std::slice::from_ref(id);
    let events = events::announce_change(
        conn,
        by,
        EventKind::MenuChanged,
        action,
        detail,
        station_ids,
    )
    .await?;
    let station = load_whole_menu(conn)
        .await?
        .stations
        .into_iter()
        .find(|s| &s.id == id)
        .ok_or_else(|| ServiceError::NotFound(format!("no station {id}")))?;
    Ok((station, events))
}

pub async fn add_station(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &StationChange,
) -> ServiceResult<Changed<Station>> {
    let name = name("name", required("name", req.name.as_deref())?, 40)?;
    let id = StationId(match &req.id {
        Some(id) => id.0.clone(),
        None => slug(&name),
    });
    let valid = (1..=32).contains(&id.0.len())
        && id
            .0
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(ServiceError::invalid(
            "id",
            "a station's id is 1 to 32 lower-case letters, digits and dashes",
        ));
    }
    check_times(req, None)?;
    let order = sort_order(req.sort_order)?;
    let (warn, late) = (
        req.warn_after_secs.unwrap_or(420),
        req.late_after_secs.unwrap_or(900),
    );
    sqlx::query!(
        "INSERT INTO stations (id, name, warn_after_secs, late_after_secs, sort_order)
         VALUES (?, ?, ?, ?, COALESCE(?, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM stations)))",
        id,
        name,
        warn,
        late,
        order
    )
    .execute(&mut *conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ServiceError::invalid(
            "id",
            format!("there is a station {id} already; give this one another name"),
        ),
        e => e.into(),
    })?;
    announce(conn, by, "station_added", &id, req).await
}

pub async fn change_station(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: StationId,
    req: &StationChange,
) -> ServiceResult<Changed<Station>> {
    let name = req
        .name
        .as_deref()
        .map(|n| name("name", n, 40))
        .transpose()?;
    let menu = load_whole_menu(conn).await?;
    let before = menu
        .stations
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| ServiceError::NotFound(format!("no station {id}")))?;
    check_times(req, Some(before))?;
    let order = sort_order(req.sort_order)?;
    sqlx::query!(
        "UPDATE stations SET name = COALESCE(?, name), warn_after_secs = COALESCE(?, warn_after_secs),
                late_after_secs = COALESCE(?, late_after_secs), sort_order = COALESCE(?, sort_order)
         WHERE id = ?",
        name,
        req.warn_after_secs,
        req.late_after_secs,
        order,
        id
    )
    .execute(&mut *conn)
    .await?;
    announce(conn, by, "station_changed", &id, req).await
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn a_station_is_addressed_by_its_name_made_plain() {
        assert_eq!(slug("Pizza oven"), "pizza-oven");
        assert_eq!(slug("  Crêpes & Café!! "), "crepes-cafe");
        assert_eq!(slug("Bar"), "bar");
        assert_eq!(slug("!!!"), "");
    }
}
