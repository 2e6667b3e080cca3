//! Property: what a phone shows before the server answers (`LocalView`: its last snapshot
//! with its outbox applied) is what the server then makes of that outbox. Phones take
//! turns: each one's waiter (every fourth turn, the manager) adds (in courses), sends
//! (holding later courses or not), fires courses, moves, merges and hands over tables, takes off, changes
//! (quantity and seat), serves, pays (with tips, some above the bill, under a happy hour
//! that is on), closes and cancels, deciding from what their own phone shows, as the
//! screens do; the kitchen may mark lines ready between turns. After each turn the phone's view must equal the
//! snapshot the server gives after the sync, order by order; and a phone and the station
//! screens that apply the turn's live events as deltas must have what a fresh read gives.

mod fixture;

use app::api::{Op, OpAction, OpStatus, Snapshot};
use app::delta::Delta;
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::kitchen::StationTickets;
use app::domain::line_changes::LineChange;
use app::domain::orders::{LineStatus, NewLine, Order, OrderStatus};
use app::domain::payments::{NewPayment, PaymentMethod};
use app::domain::staff::{Role, StaffMember};
use app::domain::{LineId, OpId, OrderId, PaymentId, StationId};
use app::local::LocalView;
use fixture::in_process::{venue, Venue};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

const TABLES: usize = 3;
const PRODUCTS: usize = 6;

/// What a waiter does on their phone.
#[derive(Clone, Debug)]
enum Step {
    Add {
        table: usize,
        product: usize,
        quantity: i64,
        course: i64,
    },
    /// Sends every course, or (`up_to`) those up to one, holding the later ones.
    Send {
        table: usize,
        up_to: Option<i64>,
    },
    Fire {
        table: usize,
        course: i64,
    },
    /// Moves the table's order to table `to`, if the phone shows it free.
    Move {
        table: usize,
        to: usize,
    },
    /// Merges the table's order into the order at table `into`, if the phone shows one
    /// open there.
    Merge {
        table: usize,
        into: usize,
    },
    /// Hands the table to the `nth` of the staff the phone knows (the kitchen's are
    /// refused).
    HandOver {
        table: usize,
        nth: usize,
    },
    /// Takes off the `nth` line not sent yet, if there is one.
    Remove {
        table: usize,
        nth: usize,
    },
    /// Changes the `nth` line not sent yet, if there is one, to `quantity` for `seat`.
    Change {
        table: usize,
        nth: usize,
        quantity: i64,
        seat: Option<i64>,
    },
    Serve {
        table: usize,
    },
    /// Pays a part (`share` of 4) of what is left, with a tip of `tip` cents.
    Pay {
        table: usize,
        card: bool,
        share: i64,
        tip: i64,
    },
    Close {
        table: usize,
    },
    Cancel {
        table: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let table = 0..TABLES;
    prop_oneof![
        4 => (table.clone(), 0..PRODUCTS, 1..4i64, 0..4i64)
            .prop_map(|(table, product, quantity, course)| Step::Add { table, product, quantity, course }),
        2 => (table.clone(), prop::option::of(0..4i64)).prop_map(|(table, up_to)| Step::Send { table, up_to }),
        1 => (table.clone(), 0..4i64).prop_map(|(table, course)| Step::Fire { table, course }),
        1 => (table.clone(), 0..TABLES).prop_map(|(table, to)| Step::Move { table, to }),
        1 => (table.clone(), 0..TABLES).prop_map(|(table, into)| Step::Merge { table, into }),
        1 => (table.clone(), 0..8usize).prop_map(|(table, nth)| Step::HandOver { table, nth }),
        1 => (table.clone(), 0..4usize).prop_map(|(table, nth)| Step::Remove { table, nth }),
        1 => (table.clone(), 0..4usize, 1..5i64, prop::option::of(1..4i64))
            .prop_map(|(table, nth, quantity, seat)| Step::Change { table, nth, quantity, seat }),
        1 => table.clone().prop_map(|table| Step::Serve { table }),
        2 => (table.clone(), any::<bool>(), 1..=4i64, 0..5000i64).prop_map(|(table, card, share, tip)| Step::Pay { table, card, share, tip }),
        1 => table.clone().prop_map(|table| Step::Close { table }),
        1 => table.prop_map(|table| Step::Cancel { table }),
    ]
}

async fn snapshot(venue: &Venue) -> Snapshot {
    let mut conn = venue.state.db.reader.acquire().await.unwrap();
    server::services::venue::load_snapshot(&mut conn, Role::Waiter)
        .await
        .unwrap()
}

/// Every station's screen, as a fresh read gives it.
async fn station_screens(venue: &Venue, snap: &Snapshot) -> Vec<(StationId, StationTickets)> {
    let mut conn = venue.state.db.reader.acquire().await.unwrap();
    let mut screens = vec![];
    for station in &snap.menu.stations {
        let tickets = server::services::kitchen::station_tickets(&mut conn, &station.id)
            .await
            .unwrap();
        screens.push((station.id.clone(), tickets));
    }
    screens
}

/// An order as a person sees it: what is on it, in what state, what was paid and taken
/// off, and what is left. Server-made details (the order's number, tickets, times, the
/// ids of rule discounts) are left out.
fn seen(order: &Order) -> String {
    let (mode, rounding) = (TaxMode::Inclusive, TaxRounding::PerBill);
    let mut lines: Vec<_> = order
        .lines
        .iter()
        .map(|l| {
            let at = (l.id, l.product_id, l.seat, l.course);
            (at, l.quantity, l.unit_price_minor, l.status)
        })
        .collect();
    // By id: lines a merge brings are read by time on the server, and the phone's clock
    // stamps the lines it added itself.
    lines.sort_by_key(|l| l.0 .0);
    let payments: Vec<_> = order
        .payments
        .iter()
        .map(|p| (p.id, p.method, p.amount_minor, p.tip_minor, p.change_minor))
        .collect();
    let discounts: Vec<_> = order
        .discounts
        .iter()
        .map(|d| (d.line_id, d.kind, d.value, d.rule.clone()))
        .collect();
    format!(
        "{:?} at {:?} holding from {:?}, {:?} guests of {:?} (now {}): {lines:?} paid {payments:?} off {discounts:?}, left {}",
        order.status,
        order.table_id,
        order.held_from,
        order.guests,
        order.waiter_ids,
        order.waiter(),
        order.left_to_pay(mode, rounding)
    )
}

/// The open orders, by id, as `seen`.
fn open(orders: &[Order]) -> BTreeMap<OrderId, String> {
    orders
        .iter()
        .filter(|o| o.status == OrderStatus::Open)
        .map(|o| (o.id, seen(o)))
        .collect()
}

/// Who holds phone `device`: a waiter, or on every fourth the manager.
fn holder(venue: &Venue, device: usize) -> &StaffMember {
    match device % 4 {
        3 => &venue.manager,
        n => &venue.waiters[n % venue.waiters.len()],
    }
}

/// One phone's turn: its holder acts on what the phone shows; returns the outbox.
fn turn(venue: &Venue, device: usize, snap: &Snapshot, script: &[Step]) -> Vec<Op> {
    let me = holder(venue, device);
    let mut ops: Vec<Op> = Vec::new();
    let view = |ops: &[Op]| LocalView::build(snap, ops, &HashMap::new(), me, now());
    let record = |ops: &mut Vec<Op>, action: OpAction| {
        ops.push(Op {
            op_id: OpId::new_v7(),
            action,
        })
    };
    for step in script {
        let table = match step {
            Step::Add { table, .. }
            | Step::Send { table, .. }
            | Step::Fire { table, .. }
            | Step::Move { table, .. }
            | Step::Merge { table, .. }
            | Step::HandOver { table, .. }
            | Step::Remove { table, .. }
            | Step::Change { table, .. }
            | Step::Serve { table }
            | Step::Pay { table, .. }
            | Step::Close { table }
            | Step::Cancel { table } => *table,
        };
        let table_id = venue.tables[table];
        // The table's order on this phone: the one open there, or a new one.
        let shown = view(&ops).open_order_at(table_id).cloned();
        let order = match (&shown, step) {
            (Some(o), _) => o.id,
            // The guests are counted as the quantity of the first item, for a number.
            (None, Step::Add { quantity, .. }) => {
                let id = OrderId::new_v7();
                record(
                    &mut ops,
                    OpAction::OpenTable {
                        order_id: id,
                        table_id,
                        guests: Some(*quantity),
                    },
                );
                id
            }
            // Nothing open there: only adding opens a table.
            (None, _) => continue,
        };
        let (mode, rounding) = (TaxMode::Inclusive, TaxRounding::PerBill);
        let action = match step {
            Step::Add {
                product,
                quantity,
                course,
                ..
            } => OpAction::AddLines {
                order_id: order,
                lines: vec![NewLine {
                    id: Some(LineId::new_v7()),
                    product_id: venue.products[*product],
                    quantity: *quantity,
                    option_ids: vec![],
                    note: String::new(),
                    course: Some(*course),
                    seat: None,
                }],
            },
            Step::Send { up_to, .. } => OpAction::SendOrder {
                order_id: order,
                up_to_course: *up_to,
            },
            Step::Fire { course, .. } => OpAction::FireCourse {
                order_id: order,
                course: *course,
            },
            // Only to a table the phone shows free, as the move sheet offers.
            Step::Move { to, .. } => {
                let to = venue.tables[*to];
                if view(&ops).open_order_at(to).is_some() {
                    continue;
                }
                OpAction::MoveOrder {
                    order_id: order,
                    table_id: to,
                }
            }
            // Only into a table the phone shows open, as the merge sheet offers.
            Step::Merge { into, .. } => {
                let Some(into) = view(&ops).open_order_at(venue.tables[*into]).map(|o| o.id) else {
                    continue;
                };
                OpAction::MergeOrders {
                    order_id: order,
                    into_order_id: into,
                }
            }
            Step::HandOver { nth, .. } => OpAction::HandOver {
                order_id: order,
                staff_id: snap.staff[nth % snap.staff.len()].id,
            },
            Step::Serve { .. } => OpAction::ServeReady { order_id: order },
            Step::Remove { nth, .. } => {
                let Some(line_id) = unsent(&shown, *nth) else {
                    continue;
                };
                OpAction::RemoveLine {
                    order_id: order,
                    line_id,
                }
            }
            Step::Change {
                nth,
                quantity,
                seat,
                ..
            } => {
                let Some(line_id) = unsent(&shown, *nth) else {
                    continue;
                };
                OpAction::ChangeLine {
                    order_id: order,
                    line_id,
                    change: LineChange {
                        quantity: Some(*quantity),
                        seat: Some(*seat),
                        ..LineChange::default()
                    },
                }
            }
            Step::Pay {
                card, share, tip, ..
            } => {
                let left = shown.as_ref().map_or(0, |o| o.left_to_pay(mode, rounding));
                if left <= 0 {
                    continue;
                }
                OpAction::TakePayment {
                    order_id: order,
                    payment: NewPayment {
                        id: PaymentId::new_v7(),
                        method: if *card {
                            PaymentMethod::Card
                        } else {
                            PaymentMethod::Cash
                        },
                        amount_minor: (left * share / 4).max(1),
                        tip_minor: *tip,
                        tendered_minor: None,
                        reference: None,
                        seat: None,
                        items: vec![],
                    },
                }
            }
            Step::Close { .. } => OpAction::CloseOrder { order_id: order },
            Step::Cancel { .. } => OpAction::CancelOrder { order_id: order },
        };
        record(&mut ops, action);
    }
    ops
}

/// The `nth` line not sent yet (round the list) of the order shown, if it has one.
fn unsent(shown: &Option<Order>, nth: usize) -> Option<LineId> {
    let unsent: Vec<LineId> = shown
        .iter()
        .flat_map(|o| &o.lines)
        .filter(|l| l.status == LineStatus::New)
        .map(|l| l.id)
        .collect();
    unsent.get(nth % unsent.len().max(1)).copied()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn check(turns: Vec<(Vec<Step>, bool)>) {
    let venue = venue().await;
    // A happy hour on from 00:00 to 23:59, on the first product's category.
    sqlx::query(
        "UPDATE discount_rules SET active = 1, starts_minute = 0, ends_minute = 1439,
                category_id = (SELECT category_id FROM products WHERE id = ?)",
    )
    .bind(venue.products[0].to_string())
    .execute(&venue.state.db.writer)
    .await
    .unwrap();
    for (device, (script, kitchen)) in turns.iter().enumerate() {
        if *kitchen {
            // The kitchen marks everything it has ready (its screen's work, done directly:
            // the phones only see the result in their snapshot).
            sqlx::query("UPDATE order_lines SET status = 'ready' WHERE status = 'sent'")
                .execute(&venue.state.db.writer)
                .await
                .unwrap();
        }
        let before = snapshot(&venue).await;
        let screens_before = station_screens(&venue, &before).await;
        let ops = turn(&venue, device, &before, script);
        if ops.is_empty() {
            continue;
        }
        let me = holder(&venue, device);
        let shown = LocalView::build(&before, &ops, &HashMap::new(), me, now());
        let mut live = venue.state.live.subscribe();
        let results = server::services::ops::apply_batch(&venue.state, me, ops.clone())
            .await
            .unwrap();
        assert!(
            results.iter().all(|r| r.status != OpStatus::Retry),
            "{results:?}"
        );
        let after = snapshot(&venue).await;
        assert_eq!(
            open(&shown.orders),
            open(&after.orders),
            "the phone showed what the server did not make of {ops:#?}\nanswers {results:#?}"
        );
        // Another phone that had `before` and applies the live events as deltas has what
        // a fresh snapshot gives.
        // So do the station screens, from the tickets the events carry.
        let mut caught_up = before.clone();
        let mut screens = screens_before;
        while let Ok(event) = live.try_recv() {
            assert_eq!(caught_up.apply(&event), Delta::Applied, "{event:#?}");
            for (station, tickets) in &mut screens {
                assert_eq!(tickets.apply(station, &event), Delta::Applied, "{event:#?}");
            }
        }
        assert_eq!(
            screens,
            station_screens(&venue, &after).await,
            "the deltas of {ops:#?} do not make the station screens"
        );
        assert_eq!(caught_up.seq, after.seq);
        assert_eq!(
            caught_up.orders, after.orders,
            "the deltas of {ops:#?} do not make the snapshot"
        );
        let sorted = |s: &Snapshot| {
            let mut merged: Vec<_> = s
                .merged
                .iter()
                .map(|m| (m.order_id, m.into_order_id))
                .collect();
            merged.sort();
            merged
        };
        assert_eq!(sorted(&caught_up), sorted(&after), "the merges of {ops:#?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn a_phone_shows_what_the_server_makes_of_its_outbox(
        turns in prop::collection::vec((prop::collection::vec(step(), 1..12), any::<bool>()), 1..6),
    ) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(check(turns));
    }
}
