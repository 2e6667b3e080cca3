//! Sales reports over a range of business days: a day is summed up once
//! (`DaySummary::of`, its totals being the Z report's own figures for that day), and a
//! range adds its days up (`Summaries::table`) into one view: by day, by hour of day, by
//! product or category, by waiter, by payment method or by tax rate. A view is a table of
//! typed cells, so the screen, the CSV and the spreadsheet show the same thing.

use super::bill::{div_round, TaxLine, TaxMode, TaxRounding};
use super::cash_day::{MethodTotal, Report};
use super::money::{add, Overflow};
use super::orders::{LineStatus, Order};
use super::payments::PaymentMethod;
use super::{CategoryId, ProductId, StaffId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest range a report covers, in days: a year, leap or not.
pub const MAX_DAYS: i64 = 366;

/// What a report is broken down by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum By {
    #[default]
    Day,
    Hour,
    Product,
    Category,
    Waiter,
    Method,
    Tax,
    /// Voids and refunds with their reasons, one row each.
    Voids,
}

impl By {
    pub const ALL: [By; 8] = [
        By::Day,
        By::Hour,
        By::Product,
        By::Category,
        By::Waiter,
        By::Method,
        By::Tax,
        By::Voids,
    ];

    /// As it is written in a URL and a file name: `day`, `product`.
    pub fn as_str(self) -> &'static str {
        match self {
            By::Day => "day",
            By::Hour => "hour",
            By::Product => "product",
            By::Category => "category",
            By::Waiter => "waiter",
            By::Method => "method",
            By::Tax => "tax",
            By::Voids => "voids",
        }
    }

    pub fn parse(text: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.as_str() == text)
    }

    /// What the manager sees it called.
    pub fn title(self) -> &'static str {
        match self {
            By::Day => "Sales by day",
            By::Hour => "Sales by hour",
            By::Product => "Product mix",
            By::Category => "Categories",
            By::Waiter => "Waiters",
            By::Method => "Payment methods",
            By::Tax => "Taxes",
            By::Voids => "Voids and refunds",
        }
    }
}

/// A business day's figures that any range adds up: the Z report's, per day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Totals {
    pub orders: i64,
    pub covers: i64,
    /// Menu prices of what was sold, before discounts.
    pub gross_sales_minor: i64,
    pub discounts_minor: i64,
    /// What guests were billed (tax in).
    pub sales_minor: i64,
    pub net_sales_minor: i64,
    pub tax_minor: i64,
    pub tips_minor: i64,
    pub voids: i64,
    pub voids_minor: i64,
    pub refunds: i64,
    pub refunds_minor: i64,
    pub write_offs_minor: i64,
    pub cash_rounding_minor: i64,
    /// Per rate, lowest first.
    pub taxes: Vec<TaxLine>,
    /// Per method, in the Z report's order.
    pub methods: Vec<MethodTotal>,
}

impl Totals {
    /// The figures of an X or Z report.
    pub fn of(report: &Report) -> Result<Totals, Overflow> {
        Ok(Totals {
            orders: report.orders,
            covers: report.covers,
            gross_sales_minor: report.gross_sales_minor,
            discounts_minor: report.discounts_minor,
            sales_minor: report.sales_minor,
            net_sales_minor: report.net_sales_minor,
            tax_minor: super::money::total(report.taxes.iter().map(|t| t.tax_minor))?,
            tips_minor: super::money::total(report.payments.iter().map(|m| m.tip_minor))?,
            voids: report.voids,
            voids_minor: report.voids_minor,
            refunds: report.refunds,
            refunds_minor: report.refunds_minor,
            write_offs_minor: report.write_offs_minor,
            cash_rounding_minor: report.cash_rounding_minor,
            taxes: report.taxes.clone(),
            methods: report.payments.clone(),
        })
    }

    /// Adds `other` in; refuses to wrap.
    pub fn add(&mut self, other: &Totals) -> Result<(), Overflow> {
        let pairs = [
            (&mut self.orders, other.orders),
            (&mut self.covers, other.covers),
            (&mut self.gross_sales_minor, other.gross_sales_minor),
            (&mut self.discounts_minor, other.discounts_minor),
            (&mut self.sales_minor, other.sales_minor),
            (&mut self.net_sales_minor, other.net_sales_minor),
            (&mut self.tax_minor, other.tax_minor),
            (&mut self.tips_minor, other.tips_minor),
            (&mut self.voids, other.voids),
            (&mut self.voids_minor, other.voids_minor),
            (&mut self.refunds, other.refunds),
            (&mut self.refunds_minor, other.refunds_minor),
            (&mut self.write_offs_minor, other.write_offs_minor),
            (&mut self.cash_rounding_minor, other.cash_rounding_minor),
        ];
        for (sum, more) in pairs {
            *sum = add(*sum, more)?;
        }
        for t in &other.taxes {
            let at = match self.taxes.binary_search_by_key(&t.rate_bp, |s| s.rate_bp) {
                Ok(at) => at,
                Err(at) => {
                    self.taxes.insert(
                        at,
                        TaxLine {
                            rate_bp: t.rate_bp,
                            net_minor: 0,
                            tax_minor: 0,
                            gross_minor: 0,
                        },
                    );
                    at
                }
            };
            let sum = &mut self.taxes[at];
            sum.net_minor = add(sum.net_minor, t.net_minor)?;
            sum.tax_minor = add(sum.tax_minor, t.tax_minor)?;
            sum.gross_minor = add(sum.gross_minor, t.gross_minor)?;
        }
        for m in &other.methods {
            let sum = match self.methods.iter_mut().find(|s| s.method == m.method) {
                Some(sum) => sum,
                None => {
                    self.methods.push(MethodTotal {
                        method: m.method,
                        count: 0,
                        amount_minor: 0,
                        tip_minor: 0,
                        refunded_minor: 0,
                    });
                    self.methods.sort_by_key(|s| method_rank(s.method));
                    self.methods
                        .iter_mut()
                        .find(|s| s.method == m.method)
                        .expect("just put in")
                }
            };
            sum.count = add(sum.count, m.count)?;
            sum.amount_minor = add(sum.amount_minor, m.amount_minor)?;
            sum.tip_minor = add(sum.tip_minor, m.tip_minor)?;
            sum.refunded_minor = add(sum.refunded_minor, m.refunded_minor)?;
        }
        Ok(())
    }

    /// Sales per order.
    pub fn average_ticket_minor(&self) -> i64 {
        per(self.sales_minor, self.orders)
    }
}

fn method_rank(method: PaymentMethod) -> usize {
    [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Voucher,
        PaymentMethod::House,
    ]
    .iter()
    .position(|m| *m == method)
    .unwrap_or(usize::MAX)
}

/// Orders closed in one hour of the venue's local day, and what they were billed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourSales {
    /// 0 to 23, local time.
    pub hour: i64,
    pub orders: i64,
    pub sales_minor: i64,
}

/// One product's sales: what it was billed after discounts shares every order's total
/// out over its lines (`split::line_shares`), so the products add up to the day's sales.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSales {
    pub product_id: ProductId,
    pub name: String,
    pub category_id: Option<CategoryId>,
    pub category: String,
    pub quantity: i64,
    pub gross_minor: i64,
    pub sales_minor: i64,
}

/// One waiter's day: the orders they looked after when closed (`Order::waiter`), the tips
/// they took, and the items they voided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiterSales {
    pub staff_id: StaffId,
    pub name: String,
    pub orders: i64,
    pub covers: i64,
    pub sales_minor: i64,
    pub discounts_minor: i64,
    pub tips_minor: i64,
    pub voids: i64,
    pub voids_minor: i64,
}

/// An item voided, for the day's waiters (and the list of voids).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voided {
    pub by: StaffId,
    pub amount_minor: i64,
}

/// A closed order and when it closed.
pub struct Closed<'a> {
    pub order: &'a Order,
    pub closed_at_ms: i64,
}

/// What a summary needs to know beyond the day's orders: names and categories as they
/// are now, the hour of a moment in the venue's time zone, the tax rules.
pub struct Lookups<'a> {
    pub staff: &'a BTreeMap<StaffId, String>,
    pub categories: &'a BTreeMap<ProductId, (Option<CategoryId>, String)>,
    pub hour_of: &'a dyn Fn(i64) -> i64,
    pub mode: TaxMode,
    pub rounding: TaxRounding,
}

/// A business day summed up, kept once the day is over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySummary {
    /// `2026-11-22`.
    pub day: String,
    pub totals: Totals,
    pub hours: Vec<HourSales>,
    pub products: Vec<ProductSales>,
    pub waiters: Vec<WaiterSales>,
}

impl WaiterSales {
    fn new(staff_id: StaffId, name: String) -> WaiterSales {
        WaiterSales {
            staff_id,
            name,
            orders: 0,
            covers: 0,
            sales_minor: 0,
            discounts_minor: 0,
            tips_minor: 0,
            voids: 0,
            voids_minor: 0,
        }
    }
}

impl DaySummary {
    /// Sums up `day` from its report (the Z report's figures over the day's period), the
    /// orders that report counted as closed, and the items voided in it.
    pub fn of(
        day: &str,
        report: &Report,
        closed: &[Closed],
        voided: &[Voided],
        look: &Lookups,
    ) -> Result<DaySummary, Overflow> {
        let mut hours: BTreeMap<i64, HourSales> = BTreeMap::new();
        let mut products: BTreeMap<ProductId, ProductSales> = BTreeMap::new();
        let mut waiters: BTreeMap<StaffId, WaiterSales> = BTreeMap::new();
        fn waiter<'w>(
            waiters: &'w mut BTreeMap<StaffId, WaiterSales>,
            staff: &BTreeMap<StaffId, String>,
            id: StaffId,
        ) -> &'w mut WaiterSales {
            waiters.entry(id).or_insert_with(|| {
                WaiterSales::new(id, staff.get(&id).cloned().unwrap_or_default())
            })
        }
        for c in closed {
            let order = c.order;
            let billed = order.totals(look.mode, look.rounding).total_minor;
            let hour = (look.hour_of)(c.closed_at_ms);
            let slot = hours.entry(hour).or_insert(HourSales {
                hour,
                ..HourSales::default()
            });
            slot.orders = add(slot.orders, 1)?;
            slot.sales_minor = add(slot.sales_minor, billed)?;
            let w = waiter(&mut waiters, look.staff, order.waiter());
            w.orders = add(w.orders, 1)?;
            w.covers = add(w.covers, super::split::covers(order))?;
            w.sales_minor = add(w.sales_minor, billed)?;
            w.discounts_minor = add(w.discounts_minor, super::discounts::total_off(order))?;
            let shares: BTreeMap<_, _> = super::split::line_shares(order, look.mode, look.rounding)
                .into_iter()
                .collect();
            for line in order.lines.iter().filter(|l| l.status != LineStatus::Void) {
                let p = products.entry(line.product_id).or_insert_with(|| {
                    let (category_id, category) = look
                        .categories
                        .get(&line.product_id)
                        .cloned()
                        .unwrap_or_default();
                    ProductSales {
                        product_id: line.product_id,
                        name: line.product_name.clone(),
                        category_id,
                        category,
                        quantity: 0,
                        gross_minor: 0,
                        sales_minor: 0,
                    }
                });
                p.quantity = add(p.quantity, line.quantity)?;
                p.gross_minor = add(p.gross_minor, line.total_minor())?;
                p.sales_minor = add(p.sales_minor, shares.get(&line.id).copied().unwrap_or(0))?;
            }
        }
        for p in &report.tips {
            let w = waiter(&mut waiters, look.staff, p.staff_id);
            w.tips_minor = add(w.tips_minor, p.tip_minor)?;
        }
        for v in voided {
            let w = waiter(&mut waiters, look.staff, v.by);
            w.voids = add(w.voids, 1)?;
            w.voids_minor = add(w.voids_minor, v.amount_minor)?;
        }
        Ok(DaySummary {
            day: day.to_owned(),
            totals: Totals::of(report)?,
            hours: hours.into_values().collect(),
            products: products.into_values().collect(),
            waiters: waiters.into_values().collect(),
        })
    }
}

/// How a cell is shown: a spreadsheet types it the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Kind {
    Text,
    /// `2026-11-22`.
    Date,
    Count,
    /// Minor units of the report's currency.
    Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Column {
    /// Stable, for programs: `sales_minor`.
    pub key: String,
    /// For people: `Sales`.
    pub label: String,
    pub kind: Kind,
}

/// A cell: text (and dates) or a whole number (counts, minor units).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Cell {
    Number(i64),
    Text(String),
}

impl Cell {
    pub fn number(&self) -> Option<i64> {
        match self {
            Cell::Number(n) => Some(*n),
            Cell::Text(_) => None,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) => t,
            Cell::Number(_) => "",
        }
    }
}

/// A period's figures, for comparing one period with the one before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Period {
    /// First business day, `2026-11-16`.
    pub from: String,
    /// Last business day, included.
    pub to: String,
    pub totals: Totals,
    pub average_ticket_minor: i64,
}

/// A range offered in one tap: "Last week", 2026-11-23 to 2026-11-29.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Preset {
    /// `last-week`.
    pub key: String,
    pub label: String,
    pub from: String,
    pub to: String,
}

/// `GET /api/v1/reports/sales`: a range's totals, the same for the period before it, and
/// one view of it as a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SalesReport {
    pub by: By,
    pub currency: String,
    pub period: Period,
    /// The same number of days just before.
    pub previous: Period,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl SalesReport {
    /// The column called `key`, if the view has it.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }
}

impl Column {
    pub fn new(key: &str, label: &str, kind: Kind) -> Column {
        Column {
            key: key.to_owned(),
            label: label.to_owned(),
            kind,
        }
    }
}

fn col(key: &str, label: &str, kind: Kind) -> Column {
    Column::new(key, label, kind)
}

/// `sum` per one of `count` (an average ticket), rounded; 0 for none.
fn per(sum: i64, count: i64) -> i64 {
    if count == 0 {
        0
    } else {
        div_round(sum, count)
    }
}

/// The days of a range, each summed up, oldest first.
pub struct Summaries<'a> {
    pub days: &'a [DaySummary],
    /// The hour the venue's business day starts (its end-of-day hour), so hours run in
    /// the order of a service: 04:00 first.
    pub first_hour: i64,
}

impl Summaries<'_> {
    pub fn totals(&self) -> Result<Totals, Overflow> {
        let mut sum = Totals::default();
        for d in self.days {
            sum.add(&d.totals)?;
        }
        Ok(sum)
    }

    /// The view `by` as columns and rows. Voids and refunds are listed one by one from
    /// the rows they were made in (`services::reports::adjustments`), not from summaries:
    /// here they are an empty table.
    pub fn table(&self, by: By) -> Result<(Vec<Column>, Vec<Vec<Cell>>), Overflow> {
        use Cell::{Number as N, Text as T};
        use Kind::*;
        Ok(match by {
            By::Voids => (vec![], vec![]),
            By::Day => (
                vec![
                    col("day", "Day", Date),
                    col("orders", "Orders", Count),
                    col("covers", "Covers", Count),
                    col("gross_sales_minor", "Gross sales", Money),
                    col("discounts_minor", "Discounts", Money),
                    col("sales_minor", "Sales", Money),
                    col("net_sales_minor", "Net of tax", Money),
                    col("tax_minor", "Tax", Money),
                    col("tips_minor", "Tips", Money),
                    col("voids_minor", "Voided", Money),
                    col("refunds_minor", "Refunded", Money),
                    col("average_ticket_minor", "Average ticket", Money),
                ],
                self.days
                    .iter()
                    .map(|d| {
                        let t = &d.totals;
                        vec![
                            T(d.day.clone()),
                            N(t.orders),
                            N(t.covers),
                            N(t.gross_sales_minor),
                            N(t.discounts_minor),
                            N(t.sales_minor),
                            N(t.net_sales_minor),
                            N(t.tax_minor),
                            N(t.tips_minor),
                            N(t.voids_minor),
                            N(t.refunds_minor),
                            N(t.average_ticket_minor()),
                        ]
                    })
                    .collect(),
            ),
            By::Hour => {
                let mut hours = [(0i64, 0i64); 24];
                for h in self.days.iter().flat_map(|d| &d.hours) {
                    let slot = &mut hours[h.hour.rem_euclid(24) as usize];
                    slot.0 = add(slot.0, h.orders)?;
                    slot.1 = add(slot.1, h.sales_minor)?;
                }
                let rows = (0..24)
                    .map(|i| (self.first_hour + i).rem_euclid(24))
                    .map(|h| {
                        let (orders, sales) = hours[h as usize];
                        vec![
                            T(format!("{h:02}:00")),
                            N(orders),
                            N(sales),
                            N(per(sales, orders)),
                        ]
                    })
                    .collect();
                (
                    vec![
                        col("hour", "Hour", Text),
                        col("orders", "Orders", Count),
                        col("sales_minor", "Sales", Money),
                        col("average_ticket_minor", "Average ticket", Money),
                    ],
                    rows,
                )
            }
            By::Product | By::Category => {
                // Products by id (named as last sold), or categories by id.
                let mut sums: BTreeMap<String, (String, String, i64, i64, i64)> = BTreeMap::new();
                for p in self.days.iter().flat_map(|d| &d.products) {
                    let (key, name) = match by {
                        By::Product => (p.product_id.to_string(), p.name.clone()),
                        _ => (
                            p.category_id.map(|c| c.to_string()).unwrap_or_default(),
                            if p.category.is_empty() {
                                "No category".to_owned()
                            } else {
                                p.category.clone()
                            },
                        ),
                    };
                    let sum = sums.entry(key).or_default();
                    sum.0 = name;
                    sum.1 = p.category.clone();
                    sum.2 = add(sum.2, p.quantity)?;
                    sum.3 = add(sum.3, p.gross_minor)?;
                    sum.4 = add(sum.4, p.sales_minor)?;
                }
                let mut rows: Vec<_> = sums.into_values().collect();
                rows.sort_by(|a, b| b.4.cmp(&a.4).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
                let mut columns = vec![col(
                    by.as_str(),
                    if by == By::Product {
                        "Product"
                    } else {
                        "Category"
                    },
                    Text,
                )];
                if by == By::Product {
                    columns.push(col("category", "Category", Text));
                }
                columns.extend([
                    col("quantity", "Sold", Count),
                    col("gross_sales_minor", "Gross sales", Money),
                    col("sales_minor", "Sales", Money),
                ]);
                let rows = rows
                    .into_iter()
                    .map(|(name, category, quantity, gross, sales)| {
                        let mut row = vec![T(name)];
                        if by == By::Product {
                            row.push(T(category));
                        }
                        row.extend([N(quantity), N(gross), N(sales)]);
                        row
                    })
                    .collect();
                (columns, rows)
            }
            By::Waiter => {
                let mut sums: BTreeMap<StaffId, WaiterSales> = BTreeMap::new();
                for w in self.days.iter().flat_map(|d| &d.waiters) {
                    let sum = sums
                        .entry(w.staff_id)
                        .or_insert_with(|| WaiterSales::new(w.staff_id, String::new()));
                    sum.name = w.name.clone();
                    sum.orders = add(sum.orders, w.orders)?;
                    sum.covers = add(sum.covers, w.covers)?;
                    sum.sales_minor = add(sum.sales_minor, w.sales_minor)?;
                    sum.discounts_minor = add(sum.discounts_minor, w.discounts_minor)?;
                    sum.tips_minor = add(sum.tips_minor, w.tips_minor)?;
                    sum.voids = add(sum.voids, w.voids)?;
                    sum.voids_minor = add(sum.voids_minor, w.voids_minor)?;
                }
                let mut all: Vec<WaiterSales> = sums.into_values().collect();
                all.sort_by(|a, b| b.sales_minor.cmp(&a.sales_minor).then(a.name.cmp(&b.name)));
                (
                    vec![
                        col("waiter", "Waiter", Text),
                        col("orders", "Orders", Count),
                        col("covers", "Covers", Count),
                        col("sales_minor", "Sales", Money),
                        col("average_ticket_minor", "Average ticket", Money),
                        col("tips_minor", "Tips", Money),
                        col("discounts_minor", "Discounts", Money),
                        col("voids", "Items voided", Count),
                        col("voids_minor", "Voided", Money),
                    ],
                    all.into_iter()
                        .map(|w| {
                            let average = per(w.sales_minor, w.orders);
                            vec![
                                T(if w.name.is_empty() {
                                    "Someone no longer on the staff".into()
                                } else {
                                    w.name
                                }),
                                N(w.orders),
                                N(w.covers),
                                N(w.sales_minor),
                                N(average),
                                N(w.tips_minor),
                                N(w.discounts_minor),
                                N(w.voids),
                                N(w.voids_minor),
                            ]
                        })
                        .collect(),
                )
            }
            By::Method => {
                let totals = self.totals()?;
                (
                    vec![
                        col("method", "Method", Text),
                        col("payments", "Payments", Count),
                        col("amount_minor", "Taken", Money),
                        col("tips_minor", "Tips", Money),
                        col("refunded_minor", "Refunded", Money),
                    ],
                    totals
                        .methods
                        .iter()
                        .map(|m| {
                            vec![
                                T(m.method.label().to_owned()),
                                N(m.count),
                                N(m.amount_minor),
                                N(m.tip_minor),
                                N(m.refunded_minor),
                            ]
                        })
                        .collect(),
                )
            }
            By::Tax => {
                let totals = self.totals()?;
                (
                    vec![
                        col("rate", "Rate", Text),
                        col("net_minor", "Net", Money),
                        col("tax_minor", "Tax", Money),
                        col("gross_minor", "Gross", Money),
                    ],
                    totals
                        .taxes
                        .iter()
                        .map(|t| {
                            vec![
                                T(super::bill::rate_label(t.rate_bp)),
                                N(t.net_minor),
                                N(t.tax_minor),
                                N(t.gross_minor),
                            ]
                        })
                        .collect(),
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bill::{TaxMode, TaxRounding};
    use crate::domain::cash_day::{report, DayData, ReportHeader, ReportKind};
    use crate::domain::split::tests::{line, order};

    fn day_of(orders: &[(Order, i64)], voided: &[Voided]) -> DaySummary {
        let header = ReportHeader {
            kind: ReportKind::X,
            number: None,
            business_day: "2026-11-22".into(),
            from_ms: 0,
            to_ms: 86_400_000,
            taken_by: String::new(),
            currency: "EUR".into(),
        };
        let data = DayData {
            closed: orders.iter().map(|(o, _)| (o.clone(), 0)).collect(),
            voided: voided.iter().map(|v| v.amount_minor).collect(),
            ..DayData::default()
        };
        let z = report(header, &data, TaxMode::Inclusive, TaxRounding::PerBill).unwrap();
        let closed: Vec<Closed> = orders
            .iter()
            .map(|(o, at)| Closed {
                order: o,
                closed_at_ms: *at,
            })
            .collect();
        let hour = |ms: i64| ms / 3_600_000 % 24;
        let look = Lookups {
            staff: &BTreeMap::new(),
            categories: &BTreeMap::new(),
            hour_of: &hour,
            mode: TaxMode::Inclusive,
            rounding: TaxRounding::PerBill,
        };
        DaySummary::of("2026-11-22", &z, &closed, voided, &look).unwrap()
    }

    #[test]
    fn a_days_products_hours_and_waiters_add_up_to_its_sales() {
        let a = order(vec![line(450, 2, 1000, None), line(1200, 1, 1000, Some(1))]);
        let b = order(vec![line(333, 3, 1000, None)]);
        let day = day_of(&[(a, 19 * 3_600_000), (b, 21 * 3_600_000 + 5)], &[]);
        let sales = day.totals.sales_minor;
        assert_eq!(sales, 900 + 1200 + 999);
        assert_eq!(
            day.products.iter().map(|p| p.sales_minor).sum::<i64>(),
            sales
        );
        assert_eq!(day.hours.iter().map(|h| h.sales_minor).sum::<i64>(), sales);
        assert_eq!(
            day.waiters.iter().map(|w| w.sales_minor).sum::<i64>(),
            sales
        );
        assert_eq!(
            day.hours
                .iter()
                .map(|h| (h.hour, h.orders))
                .collect::<Vec<_>>(),
            [(19, 1), (21, 1)]
        );
    }

    #[test]
    fn a_range_adds_its_days_and_hours_run_from_the_start_of_service() {
        let one = day_of(
            &[(order(vec![line(500, 1, 1000, None)]), 3 * 3_600_000)],
            &[],
        );
        let two = day_of(
            &[(order(vec![line(500, 2, 1000, None)]), 12 * 3_600_000)],
            &[],
        );
        let days = [one, two];
        let range = Summaries {
            days: &days,
            first_hour: 4,
        };
        assert_eq!(range.totals().unwrap().sales_minor, 1500);
        assert_eq!(range.totals().unwrap().orders, 2);
        let (columns, rows) = range.table(By::Hour).unwrap();
        assert_eq!(columns[2].key, "sales_minor");
        assert_eq!(rows[0][0], Cell::Text("04:00".into()));
        assert_eq!(rows[23][0], Cell::Text("03:00".into()));
        assert_eq!(rows[23][2], Cell::Number(500));
        assert_eq!(rows[8][2], Cell::Number(1000));
        let (_, by_product) = range.table(By::Product).unwrap();
        let sold: i64 = by_product.iter().map(|r| r[2].number().unwrap()).sum();
        assert_eq!(sold, 3);
    }

    #[test]
    fn sums_refuse_to_wrap() {
        let mut big = Totals {
            sales_minor: i64::MAX,
            ..Totals::default()
        };
        let one = Totals {
            sales_minor: 1,
            ..Totals::default()
        };
        assert_eq!(big.add(&one), Err(Overflow));
    }

    #[test]
    fn views_read_as_urls_write_them() {
        assert_eq!(By::parse("product"), Some(By::Product));
        assert_eq!(By::parse("nonsense"), None);
    }
}
