//! The live stream: what happened, as events, and barcode scans.

use crate::domain::kitchen::Ticket;
use crate::domain::menu::Product;
use crate::domain::orders::Order;
use crate::domain::{OrderId, ProductId, StationId, TableId};
use serde::{Deserialize, Serialize};

/// What happened, as the live stream (`GET /api/v1/events`) tells it. An event about an
/// order carries the order as it is after the change (after the last change of a phone's
/// ops batch, for each of that batch's events), so a phone brings its snapshot up to date
/// without fetching it again (`crate::delta`); events replayed after a reconnect carry
/// none, and clients refresh what they name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    /// Strictly increasing; also the SSE event id.
    pub seq: i64,
    pub kind: EventKind,
    pub order_id: Option<OrderId>,
    pub table_id: Option<TableId>,
    /// Stations whose tickets changed.
    pub station_ids: Vec<StationId>,
    /// UTC, milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The order `order_id` as it is after this change, or after the ops batch it came in
    /// (live events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Box<Order>>,
    /// The tickets this change made or changed at `station_ids`, as they are after it
    /// (live events, to staff who work stations): station screens apply them as deltas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets: Option<Vec<Ticket>>,
    /// Products whose portions left this change counted (live events only), as they are
    /// after it: phones put them in their menu as deltas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum EventKind {
    OrderOpened,
    LinesAdded,
    OrderSent,
    LineReady,
    LinesServed,
    TicketBumped,
    /// A printer went offline or came back; `station_ids` are those it prints for.
    PrinterChanged,
    /// A manager opened a cash drawer by hand (the event records who).
    DrawerOpened,
    TicketRecalled,
    /// Every line of a takeaway order is ready for pickup.
    OrderReady,
    /// A text message was sent, failed or is waiting again.
    SmsChanged,
    /// A serial device connected, disconnected or was set up anew.
    DeviceChanged,
    /// A payment was taken toward an order.
    PaymentTaken,
    /// A paid order was closed; its table is free.
    OrderClosed,
    /// A line was voided; a VOID ticket went to its station if it had been sent.
    LineVoided,
    /// A discount was given on a line or an order.
    DiscountGiven,
    /// An item marked ready by mistake is back in the making.
    LineUnready,
    /// Another waiter joined an open order (opened its table too).
    WaiterJoined,
    /// An open order moved to another table.
    OrderMoved,
    /// Two tables' orders became one: said of the order merged (closed, `merged_into`
    /// naming the other) and of the order it went into (its stations name every ticket it
    /// now has).
    OrderMerged,
    /// A table was handed to another waiter.
    OrderHandedOver,
    /// The back office changed the menu or the stations: fetch the snapshot again.
    MenuChanged,
    /// The back office changed the rooms or tables: fetch the snapshot again.
    FloorChanged,
}

impl EventKind {
    /// Whether the event changed the venue itself (its menu or floor), which phones and
    /// screens take by fetching it again rather than as a delta.
    pub fn changes_the_venue(self) -> bool {
        matches!(self, EventKind::MenuChanged | EventKind::FloorChanged)
    }
}

/// A code a serial scanner read, and the product it belongs to (if any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Scan {
    pub device_id: String,
    pub device_name: String,
    pub code: String,
    pub product_id: Option<ProductId>,
    pub product_name: Option<String>,
    /// UTC, milliseconds since the Unix epoch.
    pub at_ms: i64,
}
