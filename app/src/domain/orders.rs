//! Orders and their lines: what a table asked for, with prices frozen at the moment each
//! line was added, and the checks a new line must pass before it is accepted.

use super::bill::{BillTotals, TaxMode, TaxRounding, Taxable};
use super::menu::{ChosenOption, Menu, OptionsError};
use super::{LineId, OptionId, OrderId, ProductId, StaffId, StationId, TableId, TicketId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest note a waiter may attach to a line, in characters.
pub const MAX_NOTE_CHARS: usize = 280;
/// Most units of one product on one line.
pub const MAX_QUANTITY: i64 = 99;
/// Courses are numbered 0 (drinks) to this (`super::courses`).
pub const MAX_COURSE: i64 = 9;
/// Most lines accepted in one request.
pub const MAX_LINES_PER_REQUEST: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum OrderStatus {
    Open,
    Closed,
}

/// Where a line is on its way from the waiter's phone to the guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum LineStatus {
    /// Added, not yet sent to a station.
    New,
    /// On a station's ticket.
    Sent,
    /// The station has started it.
    Preparing,
    /// Done at the station, waiting to be taken to the table.
    Ready,
    /// At the table.
    Served,
    /// Cancelled.
    Void,
}

impl LineStatus {
    /// As it is written in JSON and the database: "new", "sent", ….
    pub fn name(self) -> &'static str {
        match self {
            LineStatus::New => "new",
            LineStatus::Sent => "sent",
            LineStatus::Preparing => "preparing",
            LineStatus::Ready => "ready",
            LineStatus::Served => "served",
            LineStatus::Void => "void",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: OrderId,
    /// Short number for tickets and the pass ("order 42").
    pub number: i64,
    /// The table; None for a takeaway order.
    pub table_id: Option<TableId>,
    /// Who collects it, for a takeaway order.
    pub takeaway: Option<super::takeaway::Takeaway>,
    pub status: OrderStatus,
    pub opened_by: StaffId,
    /// Everyone who has served this table.
    pub waiter_ids: Vec<StaffId>,
    /// Payments taken so far, oldest first.
    #[serde(default)]
    pub payments: Vec<super::payments::Payment>,
    /// Discounts on lines or the whole order, oldest first.
    #[serde(default)]
    pub discounts: Vec<super::discounts::Discount>,
    /// UTC, milliseconds since the Unix epoch.
    pub opened_at_ms: i64,
    /// The first course held back: unsent lines of this course and later wait until it
    /// is fired. None when nothing is held.
    #[serde(default)]
    pub held_from: Option<i64>,
    /// How many sit at the table, when the waiter said (1 to 99).
    #[serde(default)]
    pub guests: Option<i64>,
    /// The order this one was merged into (it is closed then, its lines moved there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<OrderId>,
    /// Who the table was handed to, if it was (`hand_over`); else who opened it looks
    /// after it (`Order::waiter`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_to: Option<StaffId>,
    pub lines: Vec<OrderLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub id: LineId,
    pub product_id: ProductId,
    /// The product's name when the line was added.
    pub product_name: String,
    pub station_id: StationId,
    pub quantity: i64,
    /// Product price plus chosen options when the line was added, in minor units.
    pub unit_price_minor: i64,
    /// The product's tax rate when the line was added, in basis points.
    #[serde(default)]
    pub tax_rate_bp: i64,
    pub options: Vec<ChosenOption>,
    pub note: String,
    pub course: i64,
    /// The guest's seat (1 to 30); None for something the whole table shares.
    #[serde(default)]
    pub seat: Option<i64>,
    pub status: LineStatus,
    pub ticket_id: Option<TicketId>,
    pub added_by: StaffId,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}

impl OrderLine {
    pub fn total_minor(&self) -> i64 {
        self.unit_price_minor * self.quantity
    }
}

impl Order {
    /// The menu prices of every line that is not void, summed (before tax is added where
    /// prices exclude it; see `totals`).
    pub fn total_minor(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.status != LineStatus::Void)
            .map(OrderLine::total_minor)
            .sum()
    }

    /// What is left to pay of the bill under the venue's tax rules.
    pub fn left_to_pay(&self, mode: TaxMode, rounding: TaxRounding) -> i64 {
        self.totals(mode, rounding).total_minor - super::payments::paid(&self.payments)
    }

    /// What the table owes so far, discounts taken off, with taxes per rate, under the
    /// venue's tax rules.
    pub fn totals(&self, mode: TaxMode, rounding: TaxRounding) -> BillTotals {
        let items: Vec<Taxable> = super::discounts::charged(self)
            .into_iter()
            .filter_map(|(id, charged)| {
                let line = self.lines.iter().find(|l| l.id == id)?;
                Some(Taxable {
                    rate_bp: line.tax_rate_bp,
                    line_total: charged,
                })
            })
            .collect();
        super::bill::totals(&items, mode, rounding)
    }

    /// Whether the order may be cancelled as a slip: nothing sent, nothing paid.
    pub fn check_cancel(&self) -> Result<(), UndoError> {
        let made = |l: &&OrderLine| !matches!(l.status, LineStatus::New | LineStatus::Void);
        if let Some(sent) = self.lines.iter().find(made) {
            return Err(UndoError::OrderSent(sent.product_name.clone()));
        }
        if !self.payments.is_empty() {
            return Err(UndoError::OrderPaid(self.number));
        }
        Ok(())
    }

    /// Whether line `id` may simply be taken off: never sent, and not paid for by item.
    pub fn check_remove_line(&self, id: LineId) -> Result<(), UndoError> {
        let line = self
            .lines
            .iter()
            .find(|l| l.id == id)
            .ok_or(UndoError::NoLine(id))?;
        if line.status != LineStatus::New {
            return Err(UndoError::LineSent(line.product_name.clone()));
        }
        if self
            .payments
            .iter()
            .any(|p| p.items.iter().any(|i| i.line_id == id))
        {
            return Err(UndoError::LinePaid(line.product_name.clone()));
        }
        Ok(())
    }

    /// The highest seat a line is on; 0 when none is.
    pub fn highest_seat(&self) -> i64 {
        self.lines.iter().filter_map(|l| l.seat).max().unwrap_or(0)
    }

    /// The waiter who looks after the table now: who it was handed to, else who opened it.
    pub fn waiter(&self) -> StaffId {
        self.handed_to.unwrap_or(self.opened_by)
    }

    /// Puts `staff` among the order's waiters (who opened, added to or took a payment
    /// for it), in the order the server reads them back.
    pub fn join(&mut self, staff: StaffId) {
        if let Err(at) = self.waiter_ids.binary_search(&staff) {
            self.waiter_ids.insert(at, staff);
        }
    }
}

#[cfg(test)]
impl Order {
    /// An open order numbered 1 at `table_id` (None: a takeaway) with `lines`, opened at
    /// the epoch by nobody, nothing paid: what the domain's tests start from.
    pub(crate) fn for_tests(table_id: Option<TableId>, lines: Vec<OrderLine>) -> Order {
        Order {
            id: OrderId::new_v7(),
            number: 1,
            table_id,
            takeaway: None,
            status: OrderStatus::Open,
            opened_by: StaffId(uuid::Uuid::nil()),
            waiter_ids: vec![],
            payments: vec![],
            discounts: vec![],
            opened_at_ms: 0,
            held_from: None,
            guests: None,
            merged_into: None,
            handed_to: None,
            lines,
        }
    }
}

/// Why a slip cannot simply be undone (`Order::check_cancel`, `check_remove_line`).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum UndoError {
    #[error("{0} was sent already: void what should not be made, then pay or write off")]
    OrderSent(String),
    #[error("order {0} has payments: it cannot be cancelled")]
    OrderPaid(i64),
    #[error("the order has no line {0}")]
    NoLine(LineId),
    #[error("{0} was sent already: void it instead, with a reason")]
    LineSent(String),
    #[error("{0} is paid for: refund it instead")]
    LinePaid(String),
    #[error("{0} was sent already: it can no longer be changed")]
    LineMade(String),
}

/// A line as a waiter's phone asks to add it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewLine {
    /// Client-made UUID v7; the server makes one if absent.
    #[serde(default)]
    pub id: Option<LineId>,
    pub product_id: ProductId,
    /// 1 to 99.
    pub quantity: i64,
    #[serde(default)]
    pub option_ids: Vec<OptionId>,
    /// At most 280 characters.
    #[serde(default)]
    pub note: String,
    /// 0 (drinks) to 9; when absent, the course of the product's category.
    #[serde(default)]
    pub course: Option<i64>,
    /// The guest's seat, 1 to 30; absent for the whole table.
    #[serde(default)]
    pub seat: Option<i64>,
}

/// Why a new line cannot be added; `field()` names the offending field.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LineError {
    #[error("quantity must be between 1 and {MAX_QUANTITY}, not {0}")]
    Quantity(i64),
    #[error("course must be between 0 and {MAX_COURSE}, not {0}")]
    Course(i64),
    #[error(transparent)]
    Seat(#[from] super::split::SplitError),
    #[error("note is {0} characters; at most {MAX_NOTE_CHARS} fit on a ticket")]
    NoteTooLong(usize),
    #[error("no product {0} on the menu")]
    UnknownProduct(ProductId),
    #[error("{0} is not available right now")]
    Unavailable(String),
    /// The product, and the portions left of it.
    #[error("only {1} {0} left")]
    NotEnough(String, i64),
    #[error(transparent)]
    Options(#[from] OptionsError),
    /// A change that changes nothing (`change_line`).
    #[error("say what to change")]
    NoChange,
    /// A change giving both a quantity and a number more.
    #[error("give a quantity or a number more, not both")]
    TwoQuantities,
}

impl LineError {
    pub fn field(&self) -> &'static str {
        match self {
            LineError::Quantity(_) | LineError::NotEnough(..) | LineError::TwoQuantities => {
                "quantity"
            }
            LineError::NoChange => "change",
            LineError::Course(_) => "course",
            LineError::Seat(_) => "seat",
            LineError::NoteTooLong(_) => "note",
            LineError::UnknownProduct(_) | LineError::Unavailable(_) => "product_id",
            LineError::Options(_) => "option_ids",
        }
    }
}

/// A new line that passed every check, priced against the current menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    pub product_id: ProductId,
    pub product_name: String,
    /// What the kitchen's ticket calls it, when not its name.
    pub kitchen_name: Option<String>,
    pub station_id: StationId,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub tax_rate_bp: i64,
    pub options: Vec<ChosenOption>,
    pub note: String,
    pub course: i64,
    pub seat: Option<i64>,
}

impl NewLine {
    /// Checks the line against `menu` and freezes its price.
    pub fn price(&self, menu: &Menu) -> Result<PricedLine, LineError> {
        let note = self.checked_note()?;
        let product = menu
            .product(self.product_id)
            .ok_or(LineError::UnknownProduct(self.product_id))?;
        if !product.available {
            return Err(LineError::Unavailable(product.name.clone()));
        }
        if let Some(left) = product.stock_left.filter(|left| self.quantity > *left) {
            return Err(LineError::NotEnough(product.name.clone(), left));
        }
        let options = menu.resolve_options(product, &self.option_ids)?;
        Ok(PricedLine {
            product_id: product.id,
            product_name: product.name.clone(),
            kitchen_name: product.kitchen_name.clone(),
            station_id: product.station_id.clone(),
            quantity: self.quantity,
            unit_price_minor: super::menu::unit_price_minor(product.price_minor, &options),
            tax_rate_bp: product.tax_rate_bp,
            options,
            note,
            // Drinks go as drinks, mains as mains, unless the waiter said otherwise.
            course: self.course.unwrap_or_else(|| menu.course_of(product)),
            seat: self.seat,
        })
    }

    /// The checks that need no menu (quantity, course if given, seat, note), and the note
    /// trimmed.
    pub(crate) fn checked_note(&self) -> Result<String, LineError> {
        if !(1..=MAX_QUANTITY).contains(&self.quantity) {
            return Err(LineError::Quantity(self.quantity));
        }
        if let Some(course) = self.course.filter(|c| !(0..=MAX_COURSE).contains(c)) {
            return Err(LineError::Course(course));
        }
        super::split::check_seat(self.seat)?;
        let note = self.note.trim();
        let note_chars = note.chars().count();
        if note_chars > MAX_NOTE_CHARS {
            return Err(LineError::NoteTooLong(note_chars));
        }
        Ok(note.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::menu::tests::burger_menu;
    use uuid::Uuid;

    fn line(menu_product: ProductId) -> NewLine {
        NewLine {
            id: None,
            product_id: menu_product,
            quantity: 2,
            option_ids: vec![OptionId(Uuid::from_u128(13)), OptionId(Uuid::from_u128(21))],
            note: "  no salt  ".into(),
            course: Some(1),
            seat: None,
        }
    }

    #[test]
    fn a_status_is_named_as_json_writes_it() {
        use LineStatus::*;
        for status in [New, Sent, Preparing, Ready, Served, Void] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.name()));
        }
    }

    #[test]
    fn a_counted_product_takes_no_more_than_is_left() {
        let (mut menu, burger) = burger_menu();
        menu.products[0].stock_left = Some(1);
        assert_eq!(
            line(burger.id).price(&menu),
            Err(LineError::NotEnough("Burger".into(), 1))
        );
        assert_eq!(
            LineError::NotEnough("Burger".into(), 1).to_string(),
            "only 1 Burger left"
        );
        menu.products[0].stock_left = Some(2);
        assert!(line(burger.id).price(&menu).is_ok());
    }

    #[test]
    fn prices_and_trims_a_valid_line() {
        let (menu, burger) = burger_menu();
        let priced = line(burger.id).price(&menu).unwrap();
        assert_eq!(priced.unit_price_minor, 1300);
        assert_eq!(priced.note, "no salt");
        assert_eq!(priced.station_id, StationId("kitchen".into()));
    }

    #[test]
    fn rejects_bad_quantities_courses_and_notes() {
        let (menu, burger) = burger_menu();
        for q in [0, -1, 100] {
            let err = NewLine {
                quantity: q,
                ..line(burger.id)
            }
            .price(&menu)
            .unwrap_err();
            assert_eq!(err, LineError::Quantity(q));
            assert_eq!(err.field(), "quantity");
        }
        let err = NewLine {
            course: Some(-1),
            ..line(burger.id)
        }
        .price(&menu)
        .unwrap_err();
        assert_eq!(err.field(), "course");
        let err = NewLine {
            note: "x".repeat(281),
            ..line(burger.id)
        }
        .price(&menu)
        .unwrap_err();
        assert_eq!(err, LineError::NoteTooLong(281));
        // Characters, not bytes: 280 Greek letters fit.
        assert!(NewLine {
            note: "λ".repeat(280),
            ..line(burger.id)
        }
        .price(&menu)
        .is_ok());
    }

    #[test]
    fn too_many_options_are_refused_before_they_are_compared() {
        let (menu, burger) = burger_menu();
        let many = NewLine {
            option_ids: (0..61)
                .map(|n| OptionId(Uuid::from_u128(1000 + n)))
                .collect(),
            ..line(burger.id)
        };
        let err = many.price(&menu).unwrap_err();
        assert_eq!(err.to_string(), "at most 60 options go on one line");
        assert_eq!(err.field(), "option_ids");
    }

    #[test]
    fn rejects_unknown_and_unavailable_products() {
        let (mut menu, burger) = burger_menu();
        let ghost = ProductId(Uuid::from_u128(404));
        assert_eq!(
            line(ghost).price(&menu).unwrap_err(),
            LineError::UnknownProduct(ghost)
        );
        menu.products[0].available = false;
        assert_eq!(
            line(burger.id).price(&menu).unwrap_err(),
            LineError::Unavailable("Burger".into())
        );
    }

    #[test]
    fn order_total_skips_void_lines() {
        let (menu, burger) = burger_menu();
        let priced = line(burger.id).price(&menu).unwrap();
        let mk = |status| OrderLine {
            id: LineId::new_v7(),
            product_id: priced.product_id,
            product_name: priced.product_name.clone(),
            station_id: priced.station_id.clone(),
            quantity: priced.quantity,
            unit_price_minor: priced.unit_price_minor,
            tax_rate_bp: priced.tax_rate_bp,
            options: priced.options.clone(),
            note: String::new(),
            course: 1,
            seat: None,
            status,
            ticket_id: None,
            added_by: StaffId(Uuid::nil()),
            created_at_ms: 0,
        };
        let order = Order::for_tests(
            Some(TableId(Uuid::nil())),
            vec![
                mk(LineStatus::Sent),
                mk(LineStatus::Void),
                mk(LineStatus::New),
            ],
        );
        assert_eq!(order.total_minor(), 2 * 2 * 1300);
    }
}
