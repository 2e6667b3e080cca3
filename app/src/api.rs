//! The bodies of the versioned HTTP API (`/api/v1/…`) that the UI and integrators share.
//! The server documents each of them in its OpenAPI document.

use crate::domain::floor::Floor;
use crate::domain::menu::Menu;
use crate::domain::orders::{NewLine, Order};
use crate::domain::staff::StaffMember;
use crate::domain::{OrderId, ProductId, StationId, TableId};
use serde::{Deserialize, Serialize};

/// Every 4xx/5xx answer carries this body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Stable machine-readable code, e.g. `wrong_pin`, `validation`, `not_found`.
    pub error: String,
    /// A sentence a person can read.
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers, else `degraded`.
    pub status: String,
    /// `ok` or the reason the database did not answer.
    pub database: String,
    /// The server's version.
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The staff member's PIN, 4 to 8 digits.
    pub pin: String,
}

/// The header a browser sends with its device's id (a UUID v7 made once and kept), so the
/// server throttles wrong PINs per device as well as per address.
pub const DEVICE_HEADER: &str = "X-Comanda-Device";

/// Opens live streams (`/events`, `/scans`) as `?ticket=` for a minute, so the session
/// token never travels in a URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StreamTicket {
    pub ticket: String,
    /// Seconds it stays valid for opening a stream.
    pub expires_in_secs: u64,
}

/// Wrong PINs typed in a recent period, for the manager to notice someone guessing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WrongPins {
    /// Failed sign-ins.
    pub sign_in: i64,
    /// Wrong managers' PINs typed to approve a void, discount, refund or write-off.
    pub approval: i64,
    /// How many network addresses they came from.
    pub addresses: i64,
    /// The latest, UTC milliseconds.
    pub last_at_ms: Option<i64>,
    /// The period's start, UTC milliseconds; it runs until now.
    pub since_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; live streams take a `StreamTicket` instead.
    pub token: String,
    pub staff: StaffMember,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Venue {
    pub name: String,
    /// ISO 4217 code of every amount in this venue.
    pub currency: String,
    /// Whether an SMS provider is set up and on; if not, "ready" texts wait in the outbox.
    #[serde(default)]
    pub sms_enabled: bool,
    /// Whether menu prices include tax.
    #[serde(default)]
    pub tax_mode: crate::domain::bill::TaxMode,
    #[serde(default)]
    pub tax_rounding: crate::domain::bill::TaxRounding,
    /// Cash totals round to this step (5 = 0.05); 1 means exact.
    #[serde(default = "one")]
    pub cash_rounding_minor: i64,
    /// The most a single amount (a payment, tip, cash handed over, float or count) may be
    /// in this venue. (A refund is bounded by what was paid.)
    #[serde(default = "ceiling")]
    pub max_amount_minor: i64,
    /// A tip above this needs a manager's PIN; absent means above the bill's total.
    #[serde(default)]
    pub tip_approval_above_minor: Option<i64>,
}

fn one() -> i64 {
    1
}

fn ceiling() -> i64 {
    crate::domain::money::DEFAULT_CEILING_MINOR
}

impl Venue {
    /// The rules a payment here must pass.
    pub fn payment_rules(&self) -> crate::domain::payments::PaymentRules {
        crate::domain::payments::PaymentRules {
            cash_increment: self.cash_rounding_minor,
            max_amount_minor: self.max_amount_minor,
            tip_approval_above_minor: self.tip_approval_above_minor,
        }
    }
}

/// Everything a waiter's phone needs to work: menu, floor and the open orders, as of
/// event sequence number `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub venue: Venue,
    pub menu: Menu,
    pub floor: Floor,
    pub orders: Vec<Order>,
    /// Reasons a line may be voided for.
    #[serde(default)]
    pub void_reasons: Vec<VoidReason>,
    /// Voiding a sent line worth more than this needs a manager's PIN.
    #[serde(default)]
    pub void_approval_above_minor: i64,
    /// A discount taking off more than this needs a manager's PIN.
    #[serde(default)]
    pub discount_approval_above_minor: i64,
    /// The venue's rules that discount a category at set hours (the active ones): a phone
    /// offline gives lines the discounts the server will give them.
    #[serde(default)]
    pub discount_rules: Vec<crate::domain::discounts::DiscountRule>,
    /// The venue's local time, for those rules offline.
    #[serde(default)]
    pub clock: crate::domain::discounts::VenueClock,
    /// The last event this snapshot includes; resume the live stream after it.
    pub seq: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenTableRequest {
    /// Client-made UUID v7 for the new order; the server makes one if absent.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    pub table_id: TableId,
}

/// Void a line: a reason from the venue's list, an optional note, and a manager's PIN
/// where the venue's rules ask for one (above its threshold, or once the kitchen started).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidRequest {
    /// The id of a reason in `Snapshot::void_reasons`.
    pub reason_id: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// A payment taken online, with a manager's PIN where the tip is above the venue's limit.
/// (The outbox's `take_payment` op is the same payment without a PIN.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TakePaymentRequest {
    pub payment: crate::domain::payments::NewPayment,
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// The venue's money rules, as managers see and change them (absent fields stay as
/// they are when changing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VenueSettings {
    #[serde(default)]
    pub tax_mode: Option<crate::domain::bill::TaxMode>,
    #[serde(default)]
    pub tax_rounding: Option<crate::domain::bill::TaxRounding>,
    /// 1, 5, 10, 50 or 100.
    #[serde(default)]
    pub cash_rounding_minor: Option<i64>,
    /// Voiding a sent line worth more than this needs a manager's PIN.
    #[serde(default)]
    pub void_approval_above_minor: Option<i64>,
    /// A discount taking off more than this needs a manager's PIN.
    #[serde(default)]
    pub discount_approval_above_minor: Option<i64>,
    /// The most a single amount may be (see `Venue::max_amount_minor`).
    #[serde(default)]
    pub max_amount_minor: Option<i64>,
    /// A tip above this needs a manager's PIN. When changing: absent keeps it, `null`
    /// makes it the bill's total, a number sets it.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub tip_approval_above_minor: Option<Option<i64>>,
    /// An IANA time zone, e.g. `Europe/Rome`: discount rules and business days follow it.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// When the business day ends, local time, e.g. "04:00": sales before it count for the
    /// day before.
    #[serde(default)]
    pub business_day_ends: Option<String>,
}

/// A field that may be absent (keep), `null` (clear) or a value: `null` reads as
/// `Some(None)`, where plain serde would read it as absent.
fn some_or_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A new void reason, or a manager's change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidReasonChange {
    /// 1 to 60 characters.
    #[serde(default)]
    pub label: Option<String>,
    /// Retired reasons are no longer offered.
    #[serde(default)]
    pub active: Option<bool>,
}

/// A new discount rule (all but `active` required), or a manager's change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiscountRuleChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub category_id: Option<crate::domain::CategoryId>,
    /// 1 to 10000 basis points (2000 = 20 %).
    #[serde(default)]
    pub percent_bp: Option<i64>,
    /// "17:00", the venue's local time.
    #[serde(default)]
    pub starts: Option<String>,
    /// "19:00"; earlier than `starts` runs past midnight.
    #[serde(default)]
    pub ends: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// A reason to void a line, from the list the manager keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidReason {
    pub id: String,
    pub label: String,
    /// Retired reasons are kept for the lines voided for them, but not offered.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A takeaway (pickup) order for a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenTakeawayRequest {
    /// Client-made UUID v7 for the new order; the same id again returns that order.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    pub customer_name: String,
    /// In international form (`+39 333 123 4567`); stored as E.164.
    #[serde(default)]
    pub phone: Option<String>,
    /// The customer agreed to a text when the order is ready.
    #[serde(default)]
    pub sms_consent: bool,
    /// Two-letter code choosing the message template; `en` if absent.
    #[serde(default)]
    pub language: Option<String>,
}

/// What the wall screen at the pickup counter shows: order numbers only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PickupBoard {
    pub venue_name: String,
    /// Takeaway orders at a station, oldest first.
    pub preparing: Vec<i64>,
    /// Takeaway orders ready to collect, oldest first.
    pub ready: Vec<i64>,
}

/// The SMS provider's setup, as managers see it (the auth token is never sent back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsSettings {
    /// Whether a provider is set up at all.
    pub configured: bool,
    pub enabled: bool,
    /// e.g. `https://api.twilio.com`; messages go to
    /// `{base_url}/2010-04-01/Accounts/{account_sid}/Messages.json`.
    pub base_url: String,
    pub account_sid: String,
    /// The sending number (E.164) or alphanumeric sender id.
    pub sender: String,
    pub has_auth_token: bool,
    pub templates: Vec<SmsTemplate>,
}

/// A manager's change to the SMS provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsProviderChange {
    pub base_url: String,
    pub account_sid: String,
    /// Absent or empty keeps the token already stored.
    #[serde(default)]
    pub auth_token: Option<String>,
    pub sender: String,
    pub enabled: bool,
}

/// The "ready for pickup" text in one language. `{name}`, `{number}` and `{venue}` are
/// filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsTemplate {
    pub language: String,
    pub body: String,
}

/// One text message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsMessage {
    pub id: String,
    pub order_id: OrderId,
    pub order_number: i64,
    pub to_phone: String,
    pub body: String,
    pub status: crate::domain::takeaway::SmsStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddLinesRequest {
    /// 1 to 100 lines.
    pub lines: Vec<NewLine>,
}

/// What happened, as the live stream (`GET /api/v1/events`) tells it. An event about an
/// order carries the order as it is after the change, so a phone brings its snapshot up
/// to date without fetching it again (`crate::delta`); events replayed after a reconnect
/// carry none, and clients refresh what they name.
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
    /// The order `order_id` as it is after this change (live events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Box<Order>>,
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
}

/// What a serial device is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum DeviceKind {
    /// A 2x20 customer display: the last item and the total, "Thank you" when done.
    PoleDisplay,
    /// A barcode scanner: each code read becomes a product lookup on the counter screen.
    Scanner,
}

/// A serial device, its setup and whether it is connected now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SerialDevice {
    pub id: String,
    pub name: String,
    pub kind: DeviceKind,
    /// The device path, e.g. `/dev/ttyUSB0`.
    pub port: String,
    pub baud: i64,
    pub active: bool,
    pub connected: bool,
    /// Why it is not connected, when it is not.
    pub last_error: Option<String>,
}

/// A new serial device, or a manager's change to one (absent fields stay as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SerialDeviceChange {
    pub name: Option<String>,
    pub kind: Option<DeviceKind>,
    pub port: Option<String>,
    /// 1200 to 115200; 9600 if absent on a new device.
    pub baud: Option<i64>,
    pub active: Option<bool>,
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

/// One thing a waiter did, as a phone queues it in its outbox and sends it to
/// `POST /api/v1/ops`. The server applies each `op_id` once, however often it arrives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Op {
    /// Client-made UUID v7.
    pub op_id: crate::domain::OpId,
    #[serde(flatten)]
    pub action: OpAction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum OpAction {
    /// Open the table under a client-made order id. If the table already has an open order,
    /// this id becomes another name for that order and the waiter joins it.
    OpenTable {
        order_id: OrderId,
        table_id: TableId,
    },
    /// Add lines (with client-made line ids) to an order.
    AddLines {
        order_id: OrderId,
        lines: Vec<NewLine>,
    },
    /// Send the order's lines that were never sent.
    SendOrder { order_id: OrderId },
    /// Mark the order's ready lines served.
    ServeReady { order_id: OrderId },
    /// Call a takeaway order ready for pickup: what is still at a station becomes ready,
    /// and the customer's text is queued.
    ReadyForPickup { order_id: OrderId },
    /// Take a payment toward the order's bill (its id is client-made).
    TakePayment {
        order_id: OrderId,
        payment: crate::domain::payments::NewPayment,
    },
    /// Close a paid order, freeing its table.
    CloseOrder { order_id: OrderId },
    /// Cancel an order with nothing sent and nothing paid (a table opened by mistake):
    /// its table is free and it appears in no report.
    CancelOrder { order_id: OrderId },
    /// Take off a line that was never sent (tapped by mistake): no reason, no PIN, in no
    /// report.
    RemoveLine {
        order_id: OrderId,
        line_id: crate::domain::LineId,
    },
}

impl OpAction {
    /// The operation's type, as it appears in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            OpAction::OpenTable { .. } => "open_table",
            OpAction::AddLines { .. } => "add_lines",
            OpAction::SendOrder { .. } => "send_order",
            OpAction::ServeReady { .. } => "serve_ready",
            OpAction::ReadyForPickup { .. } => "ready_for_pickup",
            OpAction::TakePayment { .. } => "take_payment",
            OpAction::CloseOrder { .. } => "close_order",
            OpAction::CancelOrder { .. } => "cancel_order",
            OpAction::RemoveLine { .. } => "remove_line",
        }
    }

    /// The order the operation is about.
    pub fn order_id(&self) -> OrderId {
        match self {
            OpAction::OpenTable { order_id, .. }
            | OpAction::AddLines { order_id, .. }
            | OpAction::SendOrder { order_id }
            | OpAction::ServeReady { order_id }
            | OpAction::ReadyForPickup { order_id }
            | OpAction::TakePayment { order_id, .. }
            | OpAction::CloseOrder { order_id }
            | OpAction::CancelOrder { order_id }
            | OpAction::RemoveLine { order_id, .. } => *order_id,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpsRequest {
    /// In the order the waiter did them; 1 to 200.
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpsResponse {
    /// One per operation, in the same order.
    pub results: Vec<OpResult>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum OpStatus {
    /// Applied now. Remove it from the outbox.
    Applied,
    /// Applied (or rejected) before; `first` says which. Remove it from the outbox.
    Duplicate,
    /// Refused for good, with a `reason` to show the waiter. Remove it from the outbox.
    Rejected,
    /// Not applied yet: it needs an earlier operation the server has not seen. Keep it
    /// and send it again after the ones before it.
    Retry,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpResult {
    pub op_id: crate::domain::OpId,
    pub status: OpStatus,
    /// For a duplicate: how the operation fared the first time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<OpStatus>,
    /// Why it was rejected or must be retried, in words for the waiter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The order it applied to; differs from the op's when the table was already open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
}

/// A printer as staff see it: where it is, what it prints for, and whether it keeps up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrinterStatus {
    pub id: String,
    pub name: String,
    /// `tcp://host:port` or a serial device path.
    pub connection: String,
    /// 32 (58 mm paper) or 48 (80 mm).
    pub columns: i64,
    /// One of CP437, CP737, CP858, CP866, CP1252.
    pub code_page: String,
    pub has_drawer: bool,
    /// Bills print here.
    pub prints_bills: bool,
    /// It can print QR codes (the order number on bills).
    pub supports_qr: bool,
    pub active: bool,
    pub station_ids: Vec<StationId>,
    /// False while its oldest waiting job keeps failing.
    pub online: bool,
    /// Jobs not printed yet.
    pub waiting: i64,
    /// Why the last attempt failed, while it is offline.
    pub last_error: Option<String>,
}

/// A new printer (name and connection required), or changes to a printer's setup
/// (managers only; absent fields stay as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrinterChange {
    pub name: Option<String>,
    /// `tcp://host:port`, or a serial port's path (`/dev/ttyUSB0`).
    pub connection: Option<String>,
    /// For a serial printer: 1200 to 115200.
    #[serde(default)]
    pub baud: Option<i64>,
    /// 32 or 48.
    pub columns: Option<i64>,
    pub code_page: Option<String>,
    #[serde(default)]
    pub has_drawer: Option<bool>,
    #[serde(default)]
    pub prints_bills: Option<bool>,
    #[serde(default)]
    pub supports_qr: Option<bool>,
    pub active: Option<bool>,
    /// The stations it prints for (replaces the list).
    #[serde(default)]
    pub station_ids: Option<Vec<StationId>>,
}

/// A job in the print queue, as the manager sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrintJob {
    pub id: String,
    pub printer_id: String,
    pub printer_name: String,
    /// `kitchen_ticket`, `bill`, `report` or `drawer_pulse`.
    pub kind: String,
    pub ticket_id: Option<crate::domain::TicketId>,
    /// Where the ticket's order goes: "Table 7" or "Takeaway Ana".
    pub destination: Option<String>,
    pub order_number: Option<i64>,
    /// `queued`, `sending`, `done` or `cancelled`.
    pub status: String,
    pub reprint: bool,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub done_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RerouteRequest {
    /// The printer to print it on instead.
    pub printer_id: String,
}

/// Open a shift with the cash float in the drawer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenShiftRequest {
    pub float_minor: i64,
}

/// Close the shift with the cash counted: by denomination (minor units of the coin or
/// note to how many), or as a total.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CloseShiftRequest {
    #[serde(default)]
    pub counts: Option<std::collections::BTreeMap<i64, i64>>,
    #[serde(default)]
    pub counted_minor: Option<i64>,
    /// Why the count differs from the cash expected; needed when it does (kept in the
    /// audit log).
    #[serde(default)]
    pub reason: Option<String>,
}

/// What stops the Z report now: the shift still open, and the orders still open (with
/// something on them). The Z report waits until both are empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ZBlockers {
    /// Who opened the shift that is still open.
    pub open_shift_by: Option<String>,
    /// The open orders, as "Table 4" or "Takeaway Zoe".
    pub open_orders: Vec<String>,
    /// Whether anything happened since the last Z report (a Z of nothing is refused).
    pub anything_to_report: bool,
}

/// Refund a closed order: some of its lines (their share of the bill), an amount, or
/// with `all`, all that is left to refund; to a method it was paid with, or cash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RefundRequest {
    pub method: crate::domain::payments::PaymentMethod,
    #[serde(default)]
    pub amount_minor: Option<i64>,
    #[serde(default)]
    pub line_ids: Vec<crate::domain::LineId>,
    /// Refund all that is left: an explicit choice, never what an empty request means.
    #[serde(default)]
    pub all: bool,
    pub reason: String,
    /// Needed unless a manager is signed in.
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// Close an order that cannot be paid in full: what is left is written off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WriteOffRequest {
    pub reason: String,
    /// Needed unless a manager is signed in.
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// A closed order as the manager finds it to refund: what it cost, what was paid and
/// what was refunded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClosedOrder {
    pub order: Order,
    /// "Table 7" or "Takeaway Ana".
    pub destination: String,
    pub total_minor: i64,
    pub refunds: Vec<crate::domain::cash_day::Refund>,
    pub written_off_minor: i64,
    /// UTC, milliseconds since the Unix epoch.
    pub closed_at_ms: i64,
}
