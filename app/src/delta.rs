//! Bringing a phone's snapshot, or a station's tickets, up to date from the live stream,
//! without fetching them again.
//!
//! Every event about an order carries the order as it is after the change (the events of
//! one ops batch all carry its end state: applied in a row, they end the same). An event that
//! follows the snapshot directly (`seq` one more) replaces that order in it, or takes it
//! out once it is closed or cancelled, as a fresh snapshot (open orders only) would; one
//! merged into another is remembered in `Snapshot::merged`, as a fresh snapshot has it. An
//! event that does not follow directly (one was missed) or that names an order without
//! carrying it (a replay after a reconnect) cannot be applied: the
//! phone fetches a full snapshot instead. What the waiter sees is still built by
//! `LocalView` from the snapshot and the outbox, so the rules stay in one place.

use crate::api::{LiveEvent, MergedOrder, Snapshot};
use crate::domain::kitchen::StationTickets;
use crate::domain::orders::OrderStatus;
use crate::domain::{OrderId, StationId};

/// What an event did to a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delta {
    /// The snapshot now includes the event.
    Applied,
    /// The snapshot included it already.
    AlreadyIn,
    /// It cannot be applied: fetch a fresh snapshot.
    NeedsSnapshot,
}

impl Snapshot {
    /// Applies `event` if it follows this snapshot directly; see the module's doc.
    pub fn apply(&mut self, event: &LiveEvent) -> Delta {
        if event.seq <= self.seq {
            return Delta::AlreadyIn;
        }
        if event.seq != self.seq + 1 || event.kind.changes_the_venue() {
            return Delta::NeedsSnapshot;
        }
        match (event.order_id, &event.order) {
            (Some(id), Some(order)) if order.id == id => {
                self.orders.retain(|o| o.id != id);
                match order.merged_into {
                    Some(into) => self.merge(id, into),
                    // As a fresh snapshot: only merges into orders still open.
                    None if order.status != OrderStatus::Open => {
                        self.merged.retain(|m| m.into_order_id != id)
                    }
                    None => {}
                }
                if order.status == OrderStatus::Open {
                    // Where a fresh snapshot puts it: oldest first, then by id.
                    let at = self
                        .orders
                        .partition_point(|o| (o.opened_at_ms, o.id) < (order.opened_at_ms, id));
                    self.orders.insert(at, (**order).clone());
                }
            }
            (Some(_), _) => return Delta::NeedsSnapshot,
            // Printers, devices, drawers: nothing a snapshot holds.
            (None, _) => {}
        }
        // Portions left that the change counted down (or gave back).
        for product in event.products.iter().flatten() {
            if let Some(slot) = self.menu.products.iter_mut().find(|p| p.id == product.id) {
                *slot = product.clone();
            }
        }
        self.seq = event.seq;
        Delta::Applied
    }

    /// Records that `order` was merged into `into`, and what was merged into `order`
    /// before, as the server resolves them: into `into`.
    fn merge(&mut self, order: OrderId, into: OrderId) {
        for earlier in self.merged.iter_mut().filter(|m| m.into_order_id == order) {
            earlier.into_order_id = into;
        }
        if !self.merged.iter().any(|m| m.order_id == order) {
            self.merged.push(MergedOrder {
                order_id: order,
                into_order_id: into,
            });
        }
    }
}

impl StationTickets {
    /// Applies `event` to the screen of `station` if it follows these tickets directly:
    /// the tickets it carries for `station` replace what was shown of them. An event about
    /// an order that names this station but carries no tickets (a replay) cannot be
    /// applied. A recalled ticket leaves "recently done" one short until the next read.
    pub fn apply(&mut self, station: &StationId, event: &LiveEvent) -> Delta {
        if event.seq <= self.seq {
            return Delta::AlreadyIn;
        }
        // A station changed in the back office (its name, its times) is read afresh.
        let this_station_changed =
            event.kind.changes_the_venue() && event.station_ids.contains(station);
        if event.seq != self.seq + 1 || this_station_changed {
            return Delta::NeedsSnapshot;
        }
        if event.order_id.is_some() && event.station_ids.contains(station) {
            let Some(tickets) = &event.tickets else {
                return Delta::NeedsSnapshot;
            };
            for ticket in tickets.iter().filter(|t| &t.station_id == station) {
                self.put(ticket.clone());
            }
        }
        self.seq = event.seq;
        Delta::Applied
    }
}

#[cfg(test)]
mod tests {
    use super::Delta;
    use crate::api::{EventKind, LiveEvent, Snapshot};
    use crate::domain::kitchen::{StationTickets, Ticket};
    use crate::domain::orders::{Order, OrderStatus};
    use crate::domain::{OrderId, StaffId, StationId, TicketId};

    fn order(opened_at_ms: i64, status: OrderStatus) -> Order {
        Order {
            id: OrderId::new_v7(),
            number: 1,
            table_id: None,
            takeaway: None,
            status,
            opened_by: StaffId::new_v7(),
            waiter_ids: vec![],
            payments: vec![],
            discounts: vec![],
            opened_at_ms,
            held_from: None,
            guests: None,
            merged_into: None,
            handed_to: None,
            lines: vec![],
        }
    }

    fn event(seq: i64, order: Option<&Order>) -> LiveEvent {
        LiveEvent {
            seq,
            kind: EventKind::LinesAdded,
            order_id: order.map(|o| o.id),
            table_id: None,
            station_ids: vec![],
            at_ms: 0,
            order: order.map(|o| Box::new(o.clone())),
            tickets: None,
            products: None,
        }
    }

    fn snapshot(seq: i64, orders: Vec<Order>) -> Snapshot {
        Snapshot {
            seq,
            orders,
            ..crate::local::tests::snapshot()
        }
    }

    #[test]
    fn a_change_to_the_menu_or_floor_asks_for_the_snapshot_again() {
        for kind in [EventKind::MenuChanged, EventKind::FloorChanged] {
            let mut s = snapshot(5, vec![]);
            let changed = LiveEvent {
                kind,
                ..event(6, None)
            };
            assert_eq!(s.apply(&changed), Delta::NeedsSnapshot, "{kind:?}");
        }
    }

    #[test]
    fn an_order_is_replaced_in_place_added_in_order_and_dropped_when_closed() {
        let (a, b) = (order(10, OrderStatus::Open), order(30, OrderStatus::Open));
        let mut s = snapshot(5, vec![a.clone(), b.clone()]);
        let middle = order(20, OrderStatus::Open);
        assert_eq!(s.apply(&event(6, Some(&middle))), Delta::Applied);
        let ids: Vec<_> = s.orders.iter().map(|o| o.id).collect();
        assert_eq!(ids, [a.id, middle.id, b.id]);
        let mut changed = a.clone();
        changed.number = 7;
        assert_eq!(s.apply(&event(7, Some(&changed))), Delta::Applied);
        assert_eq!(s.orders[0].number, 7);
        let mut closed = b.clone();
        closed.status = OrderStatus::Closed;
        assert_eq!(s.apply(&event(8, Some(&closed))), Delta::Applied);
        assert_eq!(s.orders.len(), 2);
        assert_eq!(s.seq, 8);
    }

    #[test]
    fn portions_counted_down_reach_the_menu() {
        let a = order(10, OrderStatus::Open);
        let mut s = snapshot(5, vec![a.clone()]);
        let mut counted = s.menu.products[0].clone();
        counted.stock_left = Some(0);
        counted.available = false;
        let mut added = event(6, Some(&a));
        added.products = Some(vec![counted.clone()]);
        assert_eq!(s.apply(&added), Delta::Applied);
        assert_eq!(s.menu.products[0], counted);
    }

    #[test]
    fn a_gap_or_an_order_left_out_asks_for_a_snapshot_and_changes_nothing() {
        let a = order(10, OrderStatus::Open);
        let mut s = snapshot(5, vec![a.clone()]);
        let mut changed = a.clone();
        changed.number = 9;
        assert_eq!(s.apply(&event(7, Some(&changed))), Delta::NeedsSnapshot);
        let mut replayed = event(6, Some(&changed));
        replayed.order = None;
        assert_eq!(s.apply(&replayed), Delta::NeedsSnapshot);
        assert_eq!(s.apply(&event(5, Some(&changed))), Delta::AlreadyIn);
        assert_eq!((s.seq, s.orders[0].number), (5, 1));
        assert_eq!(
            s.apply(&event(6, None)),
            Delta::Applied,
            "a printer's event"
        );
        assert_eq!(s.seq, 6);
    }

    fn ticket(station: &str, created_at_ms: i64, bumped_at_ms: Option<i64>) -> Ticket {
        Ticket {
            id: TicketId::new_v7(),
            order_id: OrderId::new_v7(),
            order_number: 1,
            station_id: StationId(station.into()),
            destination: "Table 1".into(),
            waiter_name: "Ana".into(),
            created_at_ms,
            bumped_at_ms,
            void: false,
            lines: vec![],
        }
    }

    fn station_event(seq: i64, station: &str, tickets: Option<Vec<Ticket>>) -> LiveEvent {
        LiveEvent {
            kind: EventKind::OrderSent,
            order_id: Some(OrderId::new_v7()),
            station_ids: vec![StationId(station.into())],
            tickets,
            ..event(seq, None)
        }
    }

    #[test]
    fn a_station_takes_its_tickets_from_events_in_place_and_moves_bumped_ones_to_done() {
        let kitchen = StationId("kitchen".into());
        let (old, new) = (ticket("kitchen", 10, None), ticket("kitchen", 30, None));
        let mut s = StationTickets {
            active: vec![old.clone(), new.clone()],
            done: vec![],
            seq: 4,
        };
        let middle = ticket("kitchen", 20, None);
        let bar = ticket("bar", 15, None);
        let sent = station_event(5, "kitchen", Some(vec![middle.clone(), bar]));
        assert_eq!(s.apply(&kitchen, &sent), Delta::Applied);
        let ids: Vec<_> = s.active.iter().map(|t| t.id).collect();
        assert_eq!(
            ids,
            [old.id, middle.id, new.id],
            "the bar's ticket is not the kitchen's"
        );
        let mut bumped = old.clone();
        bumped.bumped_at_ms = Some(40);
        assert_eq!(
            s.apply(&kitchen, &station_event(6, "kitchen", Some(vec![bumped]))),
            Delta::Applied
        );
        assert_eq!((s.active.len(), s.done.len(), s.done[0].id), (2, 1, old.id));
        assert_eq!(s.seq, 6);
    }

    #[test]
    fn recently_done_keeps_the_newest_and_a_replay_or_gap_asks_for_a_fresh_read() {
        let kitchen = StationId("kitchen".into());
        let done: Vec<_> = (0..crate::domain::kitchen::RECENTLY_DONE as i64)
            .map(|i| ticket("kitchen", i, Some(100 - i)))
            .collect();
        let mut s = StationTickets {
            active: vec![],
            done: done.clone(),
            seq: 1,
        };
        let older = ticket("kitchen", 0, Some(1));
        assert_eq!(
            s.apply(&kitchen, &station_event(2, "kitchen", Some(vec![older]))),
            Delta::Applied
        );
        assert_eq!(
            s.done, done,
            "a ticket bumped before the last twelve is not shown"
        );
        let newest = ticket("kitchen", 0, Some(500));
        s.put(newest.clone());
        assert_eq!((s.done[0].id, s.done.len()), (newest.id, done.len()));
        let before = s.clone();
        assert_eq!(
            s.apply(&kitchen, &station_event(3, "kitchen", None)),
            Delta::NeedsSnapshot
        );
        assert_eq!(
            s.apply(&kitchen, &station_event(4, "kitchen", Some(vec![]))),
            Delta::NeedsSnapshot
        );
        assert_eq!(s, before);
        assert_eq!(
            s.apply(&kitchen, &station_event(3, "bar", None)),
            Delta::Applied,
            "another station's replay"
        );
        assert_eq!(
            s.apply(&kitchen, &station_event(2, "kitchen", None)),
            Delta::AlreadyIn
        );
    }
}
