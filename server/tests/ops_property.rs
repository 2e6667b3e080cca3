//! Property: however the operations of several phones arrive (interleaved, resent after a
//! lost answer, replayed inside larger batches, duplicated within one), the end state is
//! that of applying each distinct operation once, in its phone's order. No line is lost or
//! doubled, each sent (or fired) line is on exactly one ticket of its station, every line
//! a phone added before its own send or fire of the line's course is sent, however the
//! phones held courses, moved or merged tables meanwhile, no two open orders share a
//! table, a merged order keeps nothing and names an order that was not merged, and
//! replaying everything again changes nothing.

mod fixture;

use app::api::{Op, OpAction, OpStatus};
use app::domain::orders::NewLine;
use app::domain::{LineId, OpId, OrderId};
use fixture::in_process::{venue, Venue};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

const DEVICES: usize = 3;
const TABLES: usize = 3;
const PRODUCTS: usize = 6;

/// What a waiter does on one phone.
#[derive(Clone, Debug)]
enum Step {
    Add {
        table: usize,
        product: usize,
        quantity: i64,
        course: i64,
    },
    /// Send every course, or (`up_to`) those up to one, holding the later ones.
    Send {
        table: usize,
        up_to: Option<i64>,
    },
    Fire {
        table: usize,
        course: i64,
    },
    /// Moves the phone's order at `table` to table `to` (refused when one is open there).
    Move {
        table: usize,
        to: usize,
    },
    /// Hands the phone's order at `table` to the `to`th waiter.
    HandOver {
        table: usize,
        to: usize,
    },
    /// Merges the phone's order at `table` into its order at table `into` (opening that
    /// table first if the phone has not yet).
    Merge {
        table: usize,
        into: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..TABLES, 0..PRODUCTS, 1..4i64, 0..4i64)
            .prop_map(|(table, product, quantity, course)| Step::Add { table, product, quantity, course }),
        1 => (0..TABLES, prop::option::of(0..4i64)).prop_map(|(table, up_to)| Step::Send { table, up_to }),
        1 => (0..TABLES, 0..4i64).prop_map(|(table, course)| Step::Fire { table, course }),
        1 => (0..TABLES, 0..TABLES).prop_map(|(table, to)| Step::Move { table, to }),
        1 => (0..TABLES, 0..TABLES).prop_map(|(table, into)| Step::Merge { table, into }),
        1 => (0..TABLES, 0..DEVICES).prop_map(|(table, to)| Step::HandOver { table, to }),
    ]
}

/// What an op of a phone's outbox is about: its table, the line it adds (with its
/// course), and the courses up to which it sends for certain (None: not a send).
#[derive(Clone, Copy)]
struct Meta {
    table: usize,
    line: Option<(LineId, i64)>,
    sends_through: Option<i64>,
}

/// One delivery: a phone sends its outbox from `back` ops before the last one it sent,
/// up to `ahead` further; `twice` repeats the batch inside itself.
#[derive(Clone, Debug)]
struct Delivery {
    device: usize,
    back: usize,
    ahead: usize,
    twice: bool,
}

fn delivery() -> impl Strategy<Value = Delivery> {
    (0..DEVICES, 0..4usize, 1..5usize, any::<bool>()).prop_map(|(device, back, ahead, twice)| {
        Delivery {
            device,
            back,
            ahead,
            twice,
        }
    })
}

/// A phone's outbox for its script: it opens a table (under its own order id) the first
/// time it touches it. Also returns, per op, what it is about (`Meta`).
fn outbox(venue: &Venue, script: &[Step]) -> (Vec<Op>, Vec<Meta>) {
    let mut orders: HashMap<usize, OrderId> = HashMap::new();
    let (mut ops, mut meta) = (Vec::new(), Vec::new());
    let mut push = |action: OpAction, table: usize, line: Option<(LineId, i64)>| {
        // A send of every course, or up to one, sends at least that far; a fire of a
        // course sends it and every course before it, whatever is held.
        let sends_through = match &action {
            OpAction::SendOrder { up_to_course, .. } => Some(up_to_course.unwrap_or(i64::MAX)),
            OpAction::FireCourse { course, .. } => Some(*course),
            _ => None,
        };
        ops.push(Op {
            op_id: OpId::new_v7(),
            action,
        });
        meta.push(Meta {
            table,
            line,
            sends_through,
        });
    };
    // The phone's order at a table: the one it opened there (its own id), opened now if
    // it has none.
    let mut order_at =
        |table: usize, push: &mut dyn FnMut(OpAction, usize, Option<(LineId, i64)>)| {
            *orders.entry(table).or_insert_with(|| {
                let id = OrderId::new_v7();
                push(
                    OpAction::OpenTable {
                        order_id: id,
                        table_id: venue.tables[table],
                        guests: None,
                    },
                    table,
                    None,
                );
                id
            })
        };
    for step in script {
        let table = match step {
            Step::Add { table, .. }
            | Step::Send { table, .. }
            | Step::Fire { table, .. }
            | Step::Move { table, .. }
            | Step::Merge { table, .. }
            | Step::HandOver { table, .. } => *table,
        };
        let order_id = order_at(table, &mut push);
        match step {
            Step::Add {
                product,
                quantity,
                course,
                ..
            } => {
                let line = LineId::new_v7();
                let new = NewLine {
                    id: Some(line),
                    product_id: venue.products[*product],
                    quantity: *quantity,
                    option_ids: vec![],
                    note: String::new(),
                    course: Some(*course),
                    seat: None,
                };
                push(
                    OpAction::AddLines {
                        order_id,
                        lines: vec![new],
                    },
                    table,
                    Some((line, *course)),
                );
            }
            Step::Send { up_to, .. } => push(
                OpAction::SendOrder {
                    order_id,
                    up_to_course: *up_to,
                },
                table,
                None,
            ),
            Step::Fire { course, .. } => push(
                OpAction::FireCourse {
                    order_id,
                    course: *course,
                },
                table,
                None,
            ),
            Step::Move { to, .. } => push(
                OpAction::MoveOrder {
                    order_id,
                    table_id: venue.tables[*to],
                },
                table,
                None,
            ),
            Step::HandOver { to, .. } => push(
                OpAction::HandOver {
                    order_id,
                    staff_id: venue.waiters[to % venue.waiters.len()].id,
                },
                table,
                None,
            ),
            Step::Merge { into, .. } => {
                let into_order_id = order_at(*into, &mut push);
                push(
                    OpAction::MergeOrders {
                        order_id,
                        into_order_id,
                    },
                    table,
                    None,
                )
            }
        }
    }
    (ops, meta)
}

/// Every line (status, ticket), every ticket (station, order), and the open orders.
type State = (
    BTreeMap<String, (String, Option<String>, String, String)>,
    BTreeMap<String, (String, String)>,
    i64,
);

async fn state_of(venue: &Venue) -> State {
    let pool = &venue.state.db.reader;
    let lines: Vec<(String, String, Option<String>, String, String)> =
        sqlx::query_as("SELECT id, status, ticket_id, station_id, order_id FROM order_lines")
            .fetch_all(pool)
            .await
            .unwrap();
    let tickets: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, station_id, order_id FROM tickets")
            .fetch_all(pool)
            .await
            .unwrap();
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(pool)
        .await
        .unwrap();
    (
        lines
            .into_iter()
            .map(|(id, status, ticket, station, order)| (id, (status, ticket, station, order)))
            .collect(),
        tickets
            .into_iter()
            .map(|(id, station, order)| (id, (station, order)))
            .collect(),
        orders,
    )
}

async fn check(scripts: Vec<Vec<Step>>, deliveries: Vec<Delivery>) {
    let venue = venue().await;
    let phones: Vec<_> = scripts.iter().map(|s| outbox(&venue, s)).collect();
    let waiter = |device: usize| &venue.waiters[device % venue.waiters.len()];

    let mut delivered = [0usize; DEVICES];
    for d in &deliveries {
        let ops = &phones[d.device].0;
        let start = delivered[d.device].saturating_sub(d.back);
        let end = (delivered[d.device] + d.ahead).min(ops.len());
        let mut batch = ops[start..end].to_vec();
        if d.twice {
            batch.extend_from_slice(&ops[start..end]);
        }
        if batch.is_empty() {
            continue;
        }
        server::services::ops::apply_batch(&venue.state, waiter(d.device), batch.clone())
            .await
            .unwrap();
        delivered[d.device] = delivered[d.device].max(end);
    }
    // Each outbox keeps what was not acknowledged; in the end every phone flushes all of it.
    for (device, (ops, _)) in phones.iter().enumerate() {
        let results = server::services::ops::apply_batch(&venue.state, waiter(device), ops.clone())
            .await
            .unwrap();
        // Only a move may be refused: to a table another order took first.
        for (op, r) in ops.iter().zip(&results) {
            let refusable = matches!(op.action, OpAction::MoveOrder { .. })
                && r.reason
                    .as_deref()
                    .is_some_and(|w| w.ends_with("merge the two tables instead"));
            let applied = matches!(r.status, OpStatus::Applied | OpStatus::Duplicate)
                && r.first != Some(OpStatus::Rejected);
            assert!(applied || refusable, "{op:?}: {r:?}");
        }
    }
    let (lines, tickets, orders) = state_of(&venue).await;

    // No line lost or doubled.
    let expected: HashSet<String> = phones
        .iter()
        .flat_map(|(_, meta)| {
            meta.iter()
                .filter_map(|m| m.line.map(|(l, _)| l.to_string()))
        })
        .collect();
    assert_eq!(lines.keys().cloned().collect::<HashSet<_>>(), expected);
    // Each sent line is on exactly one ticket, of its station and order; no empty ticket.
    for (id, (status, ticket, station, order)) in &lines {
        match (status.as_str(), ticket) {
            ("new", None) => {}
            ("sent", Some(t)) => assert_eq!(
                tickets.get(t),
                Some(&(station.clone(), order.clone())),
                "line {id}"
            ),
            other => panic!("line {id} is {other:?}"),
        }
    }
    for t in tickets.keys() {
        assert!(
            lines
                .values()
                .any(|(_, ticket, ..)| ticket.as_ref() == Some(t)),
            "ticket {t} is empty"
        );
    }
    // A phone's send (or fire) covers every line of the courses it sends that it added
    // to that table before, whatever another phone held or fired meanwhile.
    for (_, meta) in &phones {
        for (i, m) in meta.iter().enumerate() {
            let Some((line, course)) = m.line else {
                continue;
            };
            let sent_later = meta[i + 1..]
                .iter()
                .any(|later| later.table == m.table && later.sends_through >= Some(course));
            if sent_later {
                assert_eq!(
                    lines[&line.to_string()].0,
                    "sent",
                    "line {line} of course {course} was added before a send of its course"
                );
            }
        }
    }
    // One order per table, however many phones opened it; a table an order moved away
    // from, or merged away from, may be opened again.
    let touched: HashSet<usize> = phones
        .iter()
        .flat_map(|(_, meta)| meta.iter().map(|m| m.table))
        .collect();
    let transfers = phones
        .iter()
        .flat_map(|(ops, _)| ops)
        .filter(|op| {
            matches!(
                op.action,
                OpAction::MoveOrder { .. } | OpAction::MergeOrders { .. }
            )
        })
        .count();
    assert!(
        orders as usize <= touched.len() + transfers,
        "{orders} orders"
    );
    if transfers == 0 {
        assert_eq!(orders as usize, touched.len());
    }
    // A merged order is closed and keeps no line nor ticket; it names an order that was
    // not merged itself (so one step resolves it), as does every alias.
    let merged: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT m.status, o.status, (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = m.id)
                + (SELECT COUNT(*) FROM tickets t WHERE t.order_id = m.id)
         FROM orders m JOIN orders o ON o.id = m.merged_into",
    )
    .fetch_all(&venue.state.db.reader)
    .await
    .unwrap();
    for (merged_status, into_status, kept) in &merged {
        assert_eq!(
            (merged_status.as_str(), into_status.as_str(), *kept),
            ("closed", "open", 0)
        );
    }
    let stale: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_aliases a JOIN orders o ON o.id = a.order_id
         WHERE o.merged_into IS NOT NULL",
    )
    .fetch_one(&venue.state.db.reader)
    .await
    .unwrap();
    assert_eq!(stale, 0, "an alias names a merged order");
    // However the tables moved, at most one order is open at each.
    let open_tables: Vec<Option<String>> =
        sqlx::query_scalar("SELECT table_id FROM orders WHERE status = 'open'")
            .fetch_all(&venue.state.db.reader)
            .await
            .unwrap();
    let distinct: HashSet<_> = open_tables.iter().collect();
    assert_eq!(distinct.len(), open_tables.len());

    // Replaying everything once more: all duplicates, nothing changes.
    for (device, (ops, _)) in phones.iter().enumerate() {
        let results = server::services::ops::apply_batch(&venue.state, waiter(device), ops.clone())
            .await
            .unwrap();
        assert!(results.iter().all(|r| r.status == OpStatus::Duplicate));
    }
    assert_eq!(state_of(&venue).await, (lines, tickets, orders));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn operations_apply_once_however_they_arrive(
        scripts in prop::collection::vec(prop::collection::vec(step(), 1..8), DEVICES),
        deliveries in prop::collection::vec(delivery(), 0..16),
    ) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(check(scripts, deliveries));
    }
}
