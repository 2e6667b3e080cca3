//! What a phone shows before the server has confirmed it: the last snapshot from the
//! server with the operations still in the outbox applied on top, following the same
//! rules the server will (a table that is open elsewhere is joined, sends move only new
//! lines). Pure, so it runs the same in the browser and in tests.

use crate::api::{Op, OpAction, Snapshot};
use crate::domain::courses::{self, Firing};
use crate::domain::discounts::{from_rules, taken_at, RuleDiscount};
use crate::domain::floor::{check_guests, TableState};
use crate::domain::orders::{LineStatus, Order, OrderLine, OrderStatus};
use crate::domain::payments::Payment;
use crate::domain::staff::StaffMember;
use crate::domain::{LineId, OrderId, ProductId, TableId};
use std::collections::{HashMap, HashSet};

/// The orders as the waiter should see them, and what of it the server has not confirmed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalView {
    pub orders: Vec<Order>,
    /// Order ids a phone made that stand for another order (the table was already open).
    pub aliases: HashMap<OrderId, OrderId>,
    /// Lines whose adding or sending is still in the outbox.
    pub pending_lines: HashSet<LineId>,
}

impl LocalView {
    /// Applies `pending` (oldest first) to `snapshot`'s open orders. `aliases` are those
    /// the server already reported; `me` (the signed-in member) and `now_ms` stamp new
    /// lines, and a manager's own tips need no further approval.
    pub fn build(
        snapshot: &Snapshot,
        pending: &[Op],
        aliases: &HashMap<OrderId, OrderId>,
        me: &StaffMember,
        now_ms: i64,
    ) -> Self {
        let mut aliases = aliases.clone();
        aliases.extend(
            snapshot
                .merged
                .iter()
                .map(|m| (m.order_id, m.into_order_id)),
        );
        let mut view = LocalView {
            orders: snapshot.orders.clone(),
            aliases,
            ..Self::default()
        };
        for op in pending {
            view.apply(snapshot, op, me, now_ms);
        }
        view
    }

    /// The order `id` stands for now: an alias of it, or the order it was merged into
    /// (which may itself have been merged since, so the names are followed).
    fn resolve(&self, id: OrderId) -> OrderId {
        let mut id = id;
        // Each step leads to another order; a loop (there should be none) ends by count.
        for _ in 0..=self.aliases.len() {
            match self.aliases.get(&id) {
                Some(next) if *next != id => id = *next,
                _ => break,
            }
        }
        id
    }

    /// The order `id` names (itself or through an alias).
    pub fn order(&self, id: OrderId) -> Option<&Order> {
        let id = self.resolve(id);
        self.orders.iter().find(|o| o.id == id)
    }

    fn order_mut(&mut self, id: OrderId) -> Option<&mut Order> {
        let id = self.resolve(id);
        self.orders
            .iter_mut()
            .find(|o| o.id == id && o.status == OrderStatus::Open)
    }

    pub fn open_order_at(&self, table: TableId) -> Option<&Order> {
        self.orders
            .iter()
            .find(|o| o.table_id == Some(table) && o.status == OrderStatus::Open)
    }

    pub fn table_state(&self, table: TableId) -> TableState {
        TableState::of(self.open_order_at(table))
    }

    fn apply(&mut self, snapshot: &Snapshot, op: &Op, me: &StaffMember, now_ms: i64) {
        match &op.action {
            OpAction::OpenTable {
                order_id,
                table_id,
                guests,
            } => {
                // A count out of range is left for the server to refuse.
                if guests.is_some_and(|g| check_guests(g).is_err()) {
                    return;
                }
                // Open already (here, or by another phone): it joins, and takes the guest
                // count if it has none yet, as the server does.
                let open = match self.order(*order_id) {
                    // Known under another table (moved, or a takeaway): the server refuses.
                    Some(o) if o.table_id != Some(*table_id) => return,
                    Some(o) => Some(o.id),
                    None => self.open_order_at(*table_id).map(|o| o.id),
                };
                if let Some(open) = open {
                    if open != *order_id {
                        self.aliases.insert(*order_id, open);
                    }
                    if let Some(order) = self.order_mut(open) {
                        order.guests = order.guests.or(*guests);
                        order.join(me.id);
                    }
                    return;
                }
                self.orders.push(Order {
                    id: *order_id,
                    number: 0, // the server numbers orders; 0 means "not yet"
                    table_id: Some(*table_id),
                    takeaway: None,
                    status: OrderStatus::Open,
                    opened_by: me.id,
                    waiter_ids: vec![me.id],
                    payments: vec![],
                    discounts: vec![],
                    opened_at_ms: now_ms,
                    held_from: None,
                    guests: *guests,
                    merged_into: None,
                    handed_to: None,
                    lines: vec![],
                });
            }
            OpAction::AddLines { order_id, lines } => {
                // Lines the menu no longer allows are left for the server to refuse.
                let priced: Vec<_> = lines
                    .iter()
                    .filter_map(|l| Some((l.id?, l.price(&snapshot.menu).ok()?)))
                    .collect();
                let Some(order) = self.order_mut(*order_id) else {
                    return;
                };
                let mut added = Vec::new();
                for (id, p) in priced {
                    if order.lines.iter().any(|l| l.id == id) {
                        continue;
                    }
                    // The venue's happy hours, as the server will give them.
                    let given = rule_discounts(snapshot, id, p.product_id, me, now_ms);
                    if !given.is_empty() {
                        order
                            .discounts
                            .extend(given.into_iter().map(|g| g.discount));
                        // In the server's order (by time, then id): order discounts apply
                        // one after another, so the order is part of the bill.
                        order.discounts.sort_by_key(|d| (d.created_at_ms, d.id));
                    }
                    order.lines.push(OrderLine {
                        id,
                        product_id: p.product_id,
                        product_name: p.product_name,
                        station_id: p.station_id,
                        quantity: p.quantity,
                        unit_price_minor: p.unit_price_minor,
                        tax_rate_bp: p.tax_rate_bp,
                        options: p.options,
                        note: p.note,
                        course: p.course,
                        seat: p.seat,
                        status: LineStatus::New,
                        ticket_id: None,
                        added_by: me.id,
                        created_at_ms: now_ms,
                    });
                    added.push(id);
                }
                if !added.is_empty() {
                    order.join(me.id);
                }
                self.pending_lines.extend(added);
            }
            OpAction::SendOrder {
                order_id,
                up_to_course,
            } => {
                let Some(order) = self.order_mut(*order_id) else {
                    return;
                };
                // A course out of range is left for the server to refuse.
                if up_to_course.is_some_and(|c| courses::check(c).is_err()) {
                    return;
                }
                let sent = order.fire(Firing::send(*up_to_course));
                self.pending_lines
                    .extend(sent.into_iter().flat_map(|t| t.line_ids));
            }
            OpAction::FireCourse { order_id, course } => {
                let Some(order) = self.order_mut(*order_id) else {
                    return;
                };
                if courses::check(*course).is_err() {
                    return;
                }
                let sent = order.fire(Firing::fire(order.held_from, *course));
                self.pending_lines
                    .extend(sent.into_iter().flat_map(|t| t.line_ids));
            }
            OpAction::ServeReady { order_id } => {
                if let Some(order) = self.order_mut(*order_id) {
                    order.serve_ready();
                }
            }
            OpAction::TakePayment { order_id, payment } => {
                let (mode, rounding) = (snapshot.venue.tax_mode, snapshot.venue.tax_rounding);
                let rules = snapshot.venue.payment_rules();
                let increment = rules.cash_increment;
                let Some(order) = self.order_mut(*order_id) else {
                    return;
                };
                if order.payments.iter().any(|p| p.id == payment.id) {
                    return;
                }
                // A payment the rules refuse is left for the server to refuse, with its words.
                // An op carries no PIN: a tip above the limit passes only a manager's own.
                let left = order.left_to_pay(mode, rounding);
                let total = order.totals(mode, rounding).total_minor;
                let Ok(change_minor) =
                    payment.check(left, total, &rules, me.role.manages(), |m| m.to_string())
                else {
                    return;
                };
                order.join(me.id);
                order.payments.push(Payment {
                    id: payment.id,
                    order_id: order.id,
                    method: payment.method,
                    amount_minor: payment.amount_minor,
                    tip_minor: payment.tip_minor,
                    tendered_minor: payment.tendered_minor,
                    change_minor,
                    reference: payment.reference.clone(),
                    seat: payment.seat,
                    items: payment.items.clone(),
                    rounding_minor: payment.cash_rounding(left, increment),
                    taken_by: me.id,
                    created_at_ms: now_ms,
                });
            }
            OpAction::CloseOrder { order_id } => {
                let (mode, rounding) = (snapshot.venue.tax_mode, snapshot.venue.tax_rounding);
                if let Some(order) = self.order_mut(*order_id) {
                    if order.check_close(mode, rounding, |m| m.to_string()).is_ok() {
                        order.status = OrderStatus::Closed;
                    }
                }
            }
            // As the server does: only while nothing was sent and nothing paid; the order
            // then counts as closed, so its table is free.
            OpAction::CancelOrder { order_id } => {
                if let Some(order) = self.order_mut(*order_id) {
                    if order.check_cancel().is_ok() {
                        order.lines.retain(|l| l.status != LineStatus::New);
                        order.status = OrderStatus::Closed;
                    }
                }
            }
            OpAction::RemoveLine { order_id, line_id } => {
                if let Some(order) = self.order_mut(*order_id) {
                    if order.check_remove_line(*line_id).is_ok() {
                        order.lines.retain(|l| l.id != *line_id);
                        order.discounts.retain(|d| d.line_id != Some(*line_id));
                    }
                }
            }
            // As the server does: only an unsent line, checked as a new one is.
            OpAction::ChangeLine {
                order_id,
                line_id,
                change,
            } => {
                let Some(order) = self.order_mut(*order_id) else {
                    return;
                };
                let changed = order
                    .changeable_line(*line_id)
                    .ok()
                    .and_then(|l| l.changed(change, &snapshot.menu).ok());
                if let Some(changed) = changed {
                    if let Some(line) = order.lines.iter_mut().find(|l| l.id == *line_id) {
                        *line = changed;
                    }
                    self.pending_lines.insert(*line_id);
                }
            }
            // As the server does: to a table of the floor with nothing open there.
            OpAction::MoveOrder { order_id, table_id } => {
                let Some(label) = snapshot
                    .floor
                    .tables
                    .iter()
                    .find(|t| t.id == *table_id)
                    .map(|t| t.label.clone())
                else {
                    return;
                };
                let open_there = self.open_order_at(*table_id).map(|o| o.id);
                if let Some(order) = self.order_mut(*order_id) {
                    if order.check_move(&label, open_there).is_ok() {
                        order.table_id = Some(*table_id);
                    }
                }
            }
            // As the server does: both open, at tables, neither paid toward.
            OpAction::MergeOrders {
                order_id,
                into_order_id,
            } => self.merge(snapshot, *order_id, *into_order_id),
            // As the server does: to someone on the staff who takes orders; to whoever
            // has the table, nothing changes.
            OpAction::HandOver { order_id, staff_id } => {
                let to = snapshot
                    .staff
                    .iter()
                    .find(|s| s.id == *staff_id && s.active);
                let Some(to) = to else {
                    return;
                };
                if let Some(order) = self.order_mut(*order_id) {
                    if order.check_hand_over(&to.name, to.role).is_ok() {
                        order.hand_over(*staff_id);
                    }
                }
            }
            OpAction::ReadyForPickup { order_id } => {
                // Refused (not sent yet, say) it changes nothing here, as on the server.
                if let Some(order) = self.order_mut(*order_id) {
                    let _ = order.ready_for_pickup();
                }
            }
        }
    }
}

impl LocalView {
    /// Merges order `from` into order `into` (`merge_orders`), if the server would.
    fn merge(&mut self, snapshot: &Snapshot, from: OrderId, into: OrderId) {
        let (from, into) = (self.resolve(from), self.resolve(into));
        let open = |v: &Self, id| {
            v.orders
                .iter()
                .position(|o| o.id == id && o.status == OrderStatus::Open)
        };
        let (Some(f), Some(i)) = (open(self, from), open(self, into)) else {
            return;
        };
        if f == i {
            return;
        }
        let label = |o: &Order| {
            let table = snapshot
                .floor
                .tables
                .iter()
                .find(|t| Some(t.id) == o.table_id);
            table.map(|t| t.label.clone()).unwrap_or_default()
        };
        let (source, target) = (&self.orders[f], &self.orders[i]);
        let Ok(merge) = source.check_merge(target, &label(source), &label(target)) else {
            return;
        };
        let mut source = source.clone();
        self.orders[i].absorb(&mut source, merge);
        self.orders[f] = source;
        for alias in self.aliases.values_mut().filter(|a| **a == from) {
            *alias = into;
        }
        self.aliases.insert(from, into);
    }
}

/// The discounts the venue's rules (a happy hour) give line `id` of `product` taken by
/// `me` at `now_ms`, as the server will give them.
pub fn rule_discounts(
    snapshot: &Snapshot,
    id: LineId,
    product: ProductId,
    me: &StaffMember,
    now_ms: i64,
) -> Vec<RuleDiscount> {
    let Some(product) = snapshot.menu.product(product) else {
        return vec![];
    };
    let taken = taken_at(id, now_ms);
    let minute = snapshot.clock.local_minute(taken);
    from_rules(
        &snapshot.discount_rules,
        id,
        product.category_id,
        (minute, taken),
        me.id,
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::api::Venue;
    use crate::domain::floor::Floor;
    use crate::domain::menu::tests::burger_menu;
    use crate::domain::orders::NewLine;
    use crate::domain::{OpId, OptionId, StaffId};
    use uuid::Uuid;

    /// A venue with the burger menu and nothing open.
    pub(crate) fn snapshot() -> Snapshot {
        let (menu, _) = burger_menu();
        Snapshot {
            venue: Venue {
                name: "Test".into(),
                currency: "EUR".into(),
                sms_enabled: false,
                tax_mode: Default::default(),
                tax_rounding: Default::default(),
                cash_rounding_minor: 1,
                max_amount_minor: crate::domain::money::MAX_AMOUNT_MINOR,
                tip_approval_above_minor: None,
                tax_rates_bp: vec![1000],
                country: None,
            },
            menu,
            floor: Floor::default(),
            orders: vec![],
            void_reasons: vec![],
            permissions: None,
            void_approval_above_minor: 1000,
            discount_approval_above_minor: 1000,
            discount_rules: vec![],
            clock: Default::default(),
            staff: vec![],
            merged: vec![],
            seq: 0,
        }
    }

    fn waiter(id: StaffId) -> StaffMember {
        StaffMember {
            id,
            name: "Ana".into(),
            role: crate::domain::staff::Role::Waiter,
            active: true,
        }
    }

    fn op(action: OpAction) -> Op {
        Op {
            op_id: OpId::new_v7(),
            action,
        }
    }

    fn burger(id: LineId) -> NewLine {
        NewLine {
            id: Some(id),
            product_id: crate::domain::ProductId(Uuid::from_u128(1)),
            quantity: 1,
            option_ids: vec![OptionId(Uuid::from_u128(12))],
            note: String::new(),
            course: Some(1),
            seat: None,
        }
    }

    #[test]
    fn a_table_paid_and_closed_offline_is_free_and_a_payment_counts_once() {
        use crate::domain::payments::{NewPayment, PaymentMethod};
        use crate::domain::PaymentId;
        let (me, table, order) = (StaffId::new_v7(), TableId::new_v7(), OrderId::new_v7());
        let cash = |amount_minor, id| {
            op(OpAction::TakePayment {
                order_id: order,
                payment: NewPayment {
                    id,
                    method: PaymentMethod::Cash,
                    amount_minor,
                    tip_minor: 0,
                    tendered_minor: Some(2000),
                    reference: None,
                    seat: None,
                    items: vec![],
                },
            })
        };
        let paid = PaymentId::new_v7();
        let mut pending = vec![
            op(OpAction::OpenTable {
                order_id: order,
                table_id: table,
                guests: None,
            }),
            op(OpAction::AddLines {
                order_id: order,
                lines: vec![burger(LineId::new_v7())],
            }),
            cash(1200, paid),
            cash(1200, paid),             // the same payment again
            cash(1, PaymentId::new_v7()), // more than is left: for the server to refuse
        ];
        let view = LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 0);
        let o = view.order(order).unwrap();
        assert_eq!(o.payments.len(), 1);
        assert_eq!(o.payments[0].change_minor, 800);
        assert_eq!(o.left_to_pay(Default::default(), Default::default()), 0);

        pending.push(op(OpAction::CloseOrder { order_id: order }));
        let view = LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 0);
        assert_eq!(view.table_state(table), TableState::Free);
    }

    #[test]
    fn a_table_opened_offline_shows_its_lines_and_send() {
        let (me, table, order, line) = (
            StaffId::new_v7(),
            TableId::new_v7(),
            OrderId::new_v7(),
            LineId::new_v7(),
        );
        let pending = [
            op(OpAction::OpenTable {
                order_id: order,
                table_id: table,
                guests: None,
            }),
            op(OpAction::AddLines {
                order_id: order,
                lines: vec![burger(line)],
            }),
        ];
        let view = LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 5);
        let o = view.order(order).unwrap();
        assert_eq!(o.lines[0].status, LineStatus::New);
        assert_eq!(o.total_minor(), 1200);
        assert_eq!(view.table_state(table), TableState::Open);
        assert!(view.pending_lines.contains(&line));

        let mut with_send = pending.to_vec();
        with_send.push(op(OpAction::SendOrder {
            order_id: order,
            up_to_course: None,
        }));
        let view = LocalView::build(&snapshot(), &with_send, &HashMap::new(), &waiter(me), 5);
        assert_eq!(view.order(order).unwrap().lines[0].status, LineStatus::Sent);
    }

    #[test]
    fn a_happy_hour_comes_off_a_line_taken_offline_in_the_venues_local_time() {
        use crate::domain::discounts::{DiscountRule, VenueClock};
        let (me, table, order, line) = (
            StaffId::new_v7(),
            TableId::new_v7(),
            OrderId::new_v7(),
            LineId::new_v7(),
        );
        let mut snap = snapshot();
        // 25 % off burgers from 17:00 to 19:00 in a venue an hour ahead of UTC.
        snap.discount_rules = vec![DiscountRule {
            id: "hh".into(),
            name: "Happy hour".into(),
            category_id: crate::domain::CategoryId(Uuid::from_u128(2)),
            percent_bp: 2500,
            starts_minute: 17 * 60,
            ends_minute: 19 * 60,
            active: true,
        }];
        snap.clock = VenueClock {
            offset_minutes: 60,
            changes_at_ms: None,
            offset_after_minutes: 60,
        };
        let pending = [
            op(OpAction::OpenTable {
                order_id: order,
                table_id: table,
                guests: None,
            }),
            op(OpAction::AddLines {
                order_id: order,
                lines: vec![burger(line)],
            }),
        ];
        // The line was taken when its id was made (UUID v7); the view is built then.
        let taken = crate::domain::discounts::taken_at(line, i64::MAX);
        let (mode, rounding) = (Default::default(), Default::default());
        let local = snap.clock.local_minute(taken);
        // A rule on for the minute the line was taken, local time (an hour ahead of UTC).
        snap.discount_rules[0].starts_minute = local;
        snap.discount_rules[0].ends_minute = (local + 1) % (24 * 60);
        let view = LocalView::build(&snap, &pending, &HashMap::new(), &waiter(me), taken);
        let o = view.order(order).unwrap();
        assert_eq!(o.discounts.len(), 1);
        assert_eq!(o.discounts[0].rule.as_deref(), Some("Happy hour"));
        assert_eq!(o.left_to_pay(mode, rounding), 900);
        // An hour later in the venue's day, it is off.
        snap.discount_rules[0].starts_minute = (local + 60) % (24 * 60);
        snap.discount_rules[0].ends_minute = (local + 61) % (24 * 60);
        let view = LocalView::build(&snap, &pending, &HashMap::new(), &waiter(me), taken);
        assert_eq!(view.order(order).unwrap().left_to_pay(mode, rounding), 1200);
    }

    #[test]
    fn a_slip_is_taken_off_and_a_mistapped_table_is_free_again_offline() {
        let (me, table, order) = (StaffId::new_v7(), TableId::new_v7(), OrderId::new_v7());
        let (kept, slip) = (LineId::new_v7(), LineId::new_v7());
        let mut pending = vec![
            op(OpAction::OpenTable {
                order_id: order,
                table_id: table,
                guests: None,
            }),
            op(OpAction::AddLines {
                order_id: order,
                lines: vec![burger(kept), burger(slip)],
            }),
            op(OpAction::RemoveLine {
                order_id: order,
                line_id: slip,
            }),
        ];
        let view = LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 5);
        let lines: Vec<LineId> = view
            .order(order)
            .unwrap()
            .lines
            .iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(lines, [kept]);

        // Sent, a line stays (it is voided with a reason instead), and so does the order.
        let mut sent = pending.clone();
        sent.push(op(OpAction::SendOrder {
            order_id: order,
            up_to_course: None,
        }));
        sent.push(op(OpAction::RemoveLine {
            order_id: order,
            line_id: kept,
        }));
        sent.push(op(OpAction::CancelOrder { order_id: order }));
        let view = LocalView::build(&snapshot(), &sent, &HashMap::new(), &waiter(me), 5);
        assert_eq!(view.order(order).unwrap().lines.len(), 1);
        assert_eq!(view.table_state(table), TableState::Open);

        pending.push(op(OpAction::CancelOrder { order_id: order }));
        let view = LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 5);
        assert_eq!(view.table_state(table), TableState::Free);
    }

    #[test]
    fn opening_a_table_that_is_open_joins_its_order() {
        let (me, table, mine) = (StaffId::new_v7(), TableId::new_v7(), OrderId::new_v7());
        let mut snap = snapshot();
        let theirs = Order {
            number: 4,
            opened_by: StaffId::new_v7(),
            ..Order::for_tests(Some(table), vec![])
        };
        snap.orders.push(theirs.clone());
        let line = LineId::new_v7();
        let pending = [
            op(OpAction::OpenTable {
                order_id: mine,
                table_id: table,
                guests: None,
            }),
            op(OpAction::AddLines {
                order_id: mine,
                lines: vec![burger(line)],
            }),
        ];
        let view = LocalView::build(&snap, &pending, &HashMap::new(), &waiter(me), 0);
        assert_eq!(view.orders.len(), 1);
        assert_eq!(view.order(mine).unwrap().id, theirs.id);
        assert_eq!(view.order(theirs.id).unwrap().lines.len(), 1);
    }

    #[test]
    fn confirmed_lines_are_not_added_twice_and_invalid_ones_wait_for_the_server() {
        let (me, table, order, line) = (
            StaffId::new_v7(),
            TableId::new_v7(),
            OrderId::new_v7(),
            LineId::new_v7(),
        );
        let add = op(OpAction::AddLines {
            order_id: order,
            lines: vec![burger(line)],
        });
        let pending = [
            op(OpAction::OpenTable {
                order_id: order,
                table_id: table,
                guests: None,
            }),
            add.clone(),
            add,
        ];
        let view = LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 0);
        assert_eq!(view.order(order).unwrap().lines.len(), 1);

        let mut no_doneness = burger(LineId::new_v7());
        no_doneness.option_ids.clear();
        let pending = [
            op(OpAction::OpenTable {
                order_id: order,
                table_id: table,
                guests: None,
            }),
            op(OpAction::AddLines {
                order_id: order,
                lines: vec![no_doneness],
            }),
        ];
        assert!(
            LocalView::build(&snapshot(), &pending, &HashMap::new(), &waiter(me), 0)
                .order(order)
                .unwrap()
                .lines
                .is_empty()
        );
    }

    #[test]
    fn a_table_merged_offline_is_free_and_later_lines_for_it_land_on_the_other() {
        let me = StaffId::new_v7();
        let (four, five) = (TableId::new_v7(), TableId::new_v7());
        let at = |table| Order {
            guests: Some(2),
            ..Order::for_tests(Some(table), vec![])
        };
        let (here, there) = (at(four), at(five));
        let mut snap = snapshot();
        snap.orders = vec![here.clone(), there.clone()];
        let (first, later) = (LineId::new_v7(), LineId::new_v7());
        let pending = [
            op(OpAction::AddLines {
                order_id: there.id,
                lines: vec![burger(first)],
            }),
            op(OpAction::MergeOrders {
                order_id: there.id,
                into_order_id: here.id,
            }),
            op(OpAction::AddLines {
                order_id: there.id,
                lines: vec![burger(later)],
            }),
        ];
        let view = LocalView::build(&snap, &pending, &HashMap::new(), &waiter(me), 0);
        assert_eq!(view.table_state(five), TableState::Free);
        let merged = view.order(there.id).unwrap();
        assert_eq!(merged.id, here.id);
        let lines: Vec<_> = merged.lines.iter().map(|l| l.id).collect();
        assert_eq!(lines, [first, later]);
        assert_eq!(merged.guests, Some(4));

        // Once the server has merged them, its snapshot says so: the same.
        let mut merged_snap = snapshot();
        merged_snap.orders = vec![here.clone()];
        merged_snap.merged = vec![crate::api::MergedOrder {
            order_id: there.id,
            into_order_id: here.id,
        }];
        let view = LocalView::build(&merged_snap, &pending[2..], &HashMap::new(), &waiter(me), 0);
        assert_eq!(view.order(there.id).unwrap().lines[0].id, later);
    }
}
