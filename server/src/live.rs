//! A committed event as every live stream shares it (`AppState::live`). The broadcast
//! channel hands each receiver a clone of what was sent; sending the event behind an
//! `Arc` makes that clone a reference count, not a copy of the order it carries. Its
//! stream text is made once for each way a role may see it (`http::live`), not once per
//! open stream: a busy venue has a hundred phones listening.

use app::api::LiveEvent;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// What a live stream sends for an event, as a role may see it.
pub type Frame = Arc<str>;

/// A committed event, shared by every stream.
pub struct Published {
    event: LiveEvent,
    /// The event's stream text for each way of seeing it (`Published::frame`).
    frames: [OnceLock<Frame>; VIEWS],
}

/// How many ways there are of seeing an event (`http::live::View`).
pub const VIEWS: usize = 4;

impl Published {
    pub fn new(event: LiveEvent) -> Arc<Self> {
        Arc::new(Self {
            event,
            frames: Default::default(),
        })
    }

    /// The stream text for way `view` of seeing the event: `make` runs for the first
    /// stream that asks, and the others get what it made.
    pub fn frame(&self, view: usize, make: impl FnOnce(&LiveEvent) -> Frame) -> Frame {
        self.frames[view].get_or_init(|| make(&self.event)).clone()
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
    use std::cell::Cell;

    #[test]
    fn each_view_is_made_once_and_shared() {
        let published = Published::new(LiveEvent {
            seq: 7,
            kind: EventKind::OrderSent,
            order_id: None,
            table_id: None,
            station_ids: vec![],
            at_ms: 0,
            order: None,
            tickets: None,
            products: None,
        });
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
}
