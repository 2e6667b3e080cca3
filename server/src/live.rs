//! A committed event as every live stream shares it (`AppState::live`). The broadcast
//! channel hands each receiver a clone of what was sent; sending the event behind an
//! `Arc` makes that clone a reference count, not a copy of the order it carries. Its
//! stream text is made once for each way a role may see it (`http::live`), not once per
//! open stream: a busy venue has a hundred phones listening. The order an event carries
//! is made text once for all the events of one commit that carry it: every event of an
//! ops batch carries the order as the batch left it, and a whole order is five events.

use app::api::LiveEvent;
use app::domain::orders::Order;
use serde_json::value::RawValue;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// What a live stream sends for an event, as a role may see it.
pub type Frame = Arc<str>;

/// An order as JSON text, as a role may see it.
pub type OrderText = Box<RawValue>;

/// A committed event, shared by every stream.
pub struct Published {
    event: LiveEvent,
    /// The event's stream text for each way of seeing it (`Published::frame`).
    frames: [OnceLock<Frame>; VIEWS],
    /// The text of the order it carries, with and without the customer's phone, shared
    /// with the other events of its commit that carry the same order
    /// (`Published::commit`).
    order: Arc<[OnceLock<OrderText>; 2]>,
}

/// How many ways there are of seeing an event (`http::live::frame_for`).
pub const VIEWS: usize = 4;

impl Published {
    /// The events of one commit, in order; those that carry equal orders share the
    /// order's text. Comparing two orders costs a fraction of writing one as JSON.
    pub fn commit(events: impl IntoIterator<Item = LiveEvent>) -> Vec<Arc<Self>> {
        let mut published: Vec<Arc<Self>> = Vec::new();
        for event in events {
            let same = event.order.as_ref().and_then(|order| {
                published
                    .iter()
                    .rev()
                    .find(|p| p.event.order.as_ref() == Some(order))
            });
            let order = same.map(|p| p.order.clone()).unwrap_or_default();
            published.push(Arc::new(Self {
                event,
                frames: Default::default(),
                order,
            }));
        }
        published
    }

    /// The stream text for way `view` of seeing the event: `make` runs for the first
    /// stream that asks, and the others get what it made.
    pub fn frame(&self, view: usize, make: impl FnOnce(&LiveEvent) -> Frame) -> Frame {
        self.frames[view].get_or_init(|| make(&self.event)).clone()
    }

    /// The text of the order the event carries, if any, with the customer's phone or
    /// without (`contacts`): `make` runs for the first event of the commit that asks.
    pub fn order_text(
        &self,
        contacts: bool,
        make: impl FnOnce(&Order) -> OrderText,
    ) -> Option<&RawValue> {
        let order = self.event.order.as_deref()?;
        Some(self.order[usize::from(contacts)].get_or_init(|| make(order)))
    }
}

impl std::fmt::Debug for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.event.fmt(f)
    }
}

impl Deref for Published {
    type Target = LiveEvent;

    fn deref(&self) -> &LiveEvent {
        &self.event
    }
}

#[cfg(test)]
mod tests {
    use super::Published;
    use app::api::{EventKind, LiveEvent};
    use app::domain::orders::Order;
    use std::cell::Cell;

    #[test]
    fn each_view_is_made_once_and_shared() {
        let published = Published::commit([LiveEvent {
            seq: 7,
            kind: EventKind::OrderSent,
            order_id: None,
            table_id: None,
            station_ids: vec![],
            at_ms: 0,
            order: None,
            tickets: None,
            products: None,
        }])
        .remove(0);
        let made = Cell::new(0);
        let make = |e: &LiveEvent| {
            made.set(made.get() + 1);
            format!("seq {}", e.seq).into()
        };
        let first = published.frame(1, make);
        let again = published.frame(1, make);
        assert_eq!(&*first, "seq 7");
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        assert_eq!(made.get(), 1);
        published.frame(2, make);
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn events_of_a_commit_with_the_same_order_share_its_text() {
        let order = |number| {
            let mut order: Order = serde_json::from_value(serde_json::json!({
                "id": "0190a000-0000-7000-8000-000000000001", "number": 1, "table_id": null,
                "status": "open", "opened_by": "0190a000-0000-7000-8000-000000000002",
                "opened_at_ms": 0, "lines": [], "waiter_ids": [], "payments": [], "discounts": []
            }))
            .unwrap();
            order.number = number;
            Some(Box::new(order))
        };
        let event = |seq, order| LiveEvent {
            seq,
            kind: EventKind::LinesAdded,
            order_id: None,
            table_id: None,
            station_ids: vec![],
            at_ms: 0,
            order,
            tickets: None,
            products: None,
        };
        let commit = Published::commit([
            event(1, order(1)),
            event(2, order(1)),
            event(3, None),
            event(4, order(2)),
        ]);
        let made = Cell::new(0);
        let text = |p: &Published| {
            p.order_text(false, |o| {
                made.set(made.get() + 1);
                serde_json::value::to_raw_value(&o.number).unwrap()
            })
            .map(|t| t.get().to_owned())
        };
        assert_eq!(text(&commit[0]).as_deref(), Some("1"));
        assert_eq!(text(&commit[1]).as_deref(), Some("1"));
        assert_eq!(made.get(), 1, "the second event's order is the first's");
        assert_eq!(text(&commit[2]), None);
        assert_eq!(text(&commit[3]).as_deref(), Some("2"));
        assert_eq!(made.get(), 2, "another order has its own text");
    }
}
