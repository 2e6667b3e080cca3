//! The append-only event log. Every change to orders and tickets appends one event in the
//! same transaction as the change, and so do a printer going offline or coming back and a
//! cash drawer opened by hand; after the commit it is published to live streams. A stream
//! that reconnects with `since=N` is replayed from this table.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::ServiceResult;
use app::api::{EventKind, LiveEvent};
use app::domain::kitchen::Ticket;
use app::domain::orders::Order;
use app::domain::{OrderId, StaffId, StationId, TableId};
use sqlx::SqliteConnection;

/// Puts `order`, as it is after the change, into each of `events`: phones apply them as
/// deltas (`app::delta`) instead of fetching the snapshot again.
pub fn carry_order(events: &mut [LiveEvent], order: &Order) {
    for event in events {
        event.order = Some(Box::new(order.clone()));
    }
}

/// Puts `tickets`, as they are after the change, into each of `events`: station screens
/// apply them as deltas (`app::delta`).
pub fn carry_tickets(events: &mut [LiveEvent], tickets: &[Ticket]) {
    for event in events {
        event.tickets = Some(tickets.to_vec());
    }
}

/// What an event is about; stations are those whose tickets changed.
pub struct Subject<'a> {
    pub order_id: Option<OrderId>,
    pub table_id: Option<TableId>,
    pub station_ids: &'a [StationId],
}

/// Appends an event inside the caller's transaction and returns it, numbered.
pub fn append(
    conn: &Conn,
    kind: EventKind,
    by: StaffId,
    subject: Subject<'_>,
) -> ServiceResult<LiveEvent> {
    append_by(conn, kind, Some(by), subject)
}

/// `append` from code still on sqlx.
pub async fn append_async(
    conn: &mut SqliteConnection,
    kind: EventKind,
    by: StaffId,
    subject: Subject<'_>,
) -> ServiceResult<LiveEvent> {
    crate::services::on(conn, |c| append_by(c, kind, Some(by), subject)).await
}

/// Appends an event the server itself caused (a printer went offline).
pub async fn append_system(
    conn: &mut SqliteConnection,
    kind: EventKind,
    subject: Subject<'_>,
) -> ServiceResult<LiveEvent> {
    crate::services::on(conn, |c| append_by(c, kind, None, subject)).await
}

fn append_by(
    conn: &Conn,
    kind: EventKind,
    by: Option<StaffId>,
    subject: Subject<'_>,
) -> ServiceResult<LiveEvent> {
    let at_ms = now_ms();
    let stations = serde_json::to_string(subject.station_ids).unwrap_or_else(|_| "[]".into());
    // `seq` is the rowid. Five of these go with every whole order: `insert` reads it
    // back without the temporary table of `RETURNING seq`, which doubled their cost.
    let seq = sql!(
        conn,
        "INSERT INTO events (kind, staff_id, order_id, table_id, stations, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        kind,
        by,
        subject.order_id,
        subject.table_id,
        stations,
        at_ms
    )
    .insert()?;
    Ok(LiveEvent {
        seq,
        kind,
        order_id: subject.order_id,
        table_id: subject.table_id,
        station_ids: subject.station_ids.to_vec(),
        at_ms,
        order: None,
        tickets: None,
        products: None,
    })
}

/// The newest sequence number, 0 for an empty log.
pub async fn last_seq(conn: &mut SqliteConnection) -> ServiceResult<i64> {
    Ok(
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(seq), 0) AS "seq!: i64" FROM events"#)
            .fetch_one(conn)
            .await?,
    )
}

/// Up to `limit` events after `since`, oldest first.
pub async fn since(
    conn: &mut SqliteConnection,
    since: i64,
    limit: i64,
) -> ServiceResult<Vec<LiveEvent>> {
    let rows = sqlx::query!(
        r#"SELECT seq AS "seq!", kind AS "kind: EventKind", order_id AS "order_id: OrderId", table_id AS "table_id: TableId",
                  stations, created_at
           FROM events WHERE seq > ? ORDER BY seq LIMIT ?"#,
        since,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LiveEvent {
            seq: r.seq,
            kind: r.kind,
            order_id: r.order_id,
            table_id: r.table_id,
            station_ids: serde_json::from_str(&r.stations).unwrap_or_default(),
            at_ms: r.created_at,
            // A replay carries no order and no tickets: the phone and the screens read
            // afresh what it names.
            order: None,
            tickets: None,
            products: None,
        })
        .collect())
}

/// Announces a change the back office made to the venue (`MenuChanged` or
/// `FloorChanged`, naming the stations it touched), and writes who made it, and what, to
/// the audit log.
pub async fn announce_change(
    conn: &mut SqliteConnection,
    by: StaffId,
    kind: EventKind,
    action: &str,
    detail: serde_json::Value,
    station_ids: &[StationId],
) -> ServiceResult<Vec<LiveEvent>> {
    crate::services::audit::audit_async(conn, by, None, action, None, detail).await?;
    let subject = Subject {
        order_id: None,
        table_id: None,
        station_ids,
    };
    Ok(vec![append_async(conn, kind, by, subject).await?])
}
