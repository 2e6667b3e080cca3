//! Bringing a phone's snapshot up to date from the live stream, without fetching it again.
//!
//! Every event about an order carries the order as it is after the change. An event that
//! follows the snapshot directly (`seq` one more) replaces that order in it, or takes it
//! out once it is closed or cancelled, as a fresh snapshot (open orders only) would. An
//! event that does not follow directly (one was missed) or that names an order without
//! carrying it (a replay after a reconnect) cannot be applied: the
//! phone fetches a full snapshot instead. What the waiter sees is still built by
//! `LocalView` from the snapshot and the outbox, so the rules stay in one place.

use crate::api::{LiveEvent, Snapshot};
use crate::domain::orders::OrderStatus;

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
        if event.seq != self.seq + 1 {
            return Delta::NeedsSnapshot;
        }
        match (event.order_id, &event.order) {
            (Some(id), Some(order)) if order.id == id => {
                self.orders.retain(|o| o.id != id);
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
        self.seq = event.seq;
        Delta::Applied
    }
}

#[cfg(test)]
mod tests {
    use super::Delta;
    use crate::api::{EventKind, LiveEvent, Snapshot};
    use crate::domain::orders::{Order, OrderStatus};
    use crate::domain::{OrderId, StaffId};

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
}
