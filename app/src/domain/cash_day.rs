//! The cash day: refunds of closed orders, shifts counted against the cash the system
//! expects, and the X and Z reports that sum up a business day. Everything here is
//! computed from the day's orders, payments, refunds and shifts, so a report can always be
//! recomputed and checked.

use super::bill::{div_round, BillTotals, TaxLine, TaxMode, TaxRounding};
use super::money::{add, sub, total, Overflow};
use super::orders::{LineStatus, Order};
use super::payments::{Payment, PaymentMethod};
use super::{OrderId, RefundId, StaffId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// Coins and notes a drawer is counted in, in minor units (euro and dollar alike).
pub const DENOMINATIONS: [i64; 15] = [
    50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
];

/// A refund as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Refund {
    pub id: RefundId,
    pub order_id: OrderId,
    pub method: PaymentMethod,
    pub amount_minor: i64,
    pub reason: String,
    pub refunded_by: StaffId,
    pub approved_by: StaffId,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RefundError {
    #[error("the amount must be more than zero")]
    Amount,
    #[error("only {left} of what was paid is left to refund")]
    MoreThanPaid { left: String },
    #[error("refund to {0} only if the order was paid that way; cash always works")]
    Method(&'static str),
    #[error("say why: a refund needs a reason")]
    NoReason,
}

/// A refund of lines names each line once: the same line listed twice would refund its
/// share twice. Returns the first line listed again, if any.
pub fn listed_twice(line_ids: &[crate::domain::LineId]) -> Option<crate::domain::LineId> {
    let mut seen = std::collections::BTreeSet::new();
    line_ids.iter().copied().find(|id| !seen.insert(*id))
}

/// What is left to refund of an order: what was paid, less what was refunded before.
pub fn refundable(payments: &[Payment], refunds: &[Refund]) -> i64 {
    super::payments::paid(payments) - refunds.iter().map(|r| r.amount_minor).sum::<i64>()
}

/// Checks a refund of `amount` to `method` against the order's payments and earlier
/// refunds: never more than was paid, to a method the guest paid with, or cash.
pub fn check_refund(
    payments: &[Payment],
    refunds: &[Refund],
    method: PaymentMethod,
    amount: i64,
    money: impl Fn(i64) -> String,
) -> Result<(), RefundError> {
    if amount <= 0 {
        return Err(RefundError::Amount);
    }
    let left = refundable(payments, refunds);
    if amount > left {
        return Err(RefundError::MoreThanPaid { left: money(left) });
    }
    if method != PaymentMethod::Cash && !payments.iter().any(|p| p.method == method) {
        return Err(RefundError::Method(method.label()));
    }
    Ok(())
}

/// Cash counted by denomination: the total, or None if a count is negative or absurd.
pub fn count_total(counts: &BTreeMap<i64, i64>) -> Option<i64> {
    counts.iter().try_fold(0i64, |sum, (&denomination, &n)| {
        (DENOMINATIONS.contains(&denomination) && (0..=100_000).contains(&n))
            .then(|| sum + denomination * n)
    })
}

/// A shift as the cash count sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Shift {
    pub id: super::ShiftId,
    pub opened_by: String,
    pub opened_at_ms: i64,
    pub float_minor: i64,
    pub closed_by: Option<String>,
    pub closed_at_ms: Option<i64>,
    /// Float, plus cash taken (with cash tips), less cash refunded, during the shift.
    pub expected_minor: i64,
    pub counted_minor: Option<i64>,
    /// Counted less expected: negative when cash is missing.
    pub discrepancy_minor: Option<i64>,
}

/// What the drawer should hold: the float, the cash taken (tips in cash too) less the
/// change given, less cash refunds. Checked: a stored amount beyond any real one (a row
/// from before the ceilings) makes an `Overflow`, never a wrapped figure.
pub fn expected_cash(
    float_minor: i64,
    payments: &[Payment],
    refunds: &[Refund],
) -> Result<i64, Overflow> {
    let mut taken = 0;
    for p in payments.iter().filter(|p| p.method == PaymentMethod::Cash) {
        taken = add(taken, add(p.amount_minor, p.tip_minor)?)?;
    }
    let refunded = total(
        refunds
            .iter()
            .filter(|r| r.method == PaymentMethod::Cash)
            .map(|r| r.amount_minor),
    )?;
    sub(add(float_minor, taken)?, refunded)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ReportKind {
    /// Read at any time; changes nothing.
    X,
    /// Ends the business day: numbered and immutable.
    Z,
}

/// Payments by one method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MethodTotal {
    pub method: PaymentMethod,
    pub count: i64,
    pub amount_minor: i64,
    pub tip_minor: i64,
    pub refunded_minor: i64,
}

/// Tips one waiter took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WaiterTips {
    pub staff_id: StaffId,
    pub name: String,
    pub tip_minor: i64,
}

/// An X or Z report: the business day's figures from `from_ms` to `to_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    pub kind: ReportKind,
    /// A Z report's number; None for an X report.
    pub number: Option<i64>,
    /// The business day, `2026-11-22`, in the venue's time zone.
    pub business_day: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub taken_by: String,
    pub currency: String,
    /// Orders closed in the period.
    pub orders: i64,
    pub covers: i64,
    /// Menu prices of what was sold, before discounts.
    pub gross_sales_minor: i64,
    pub discounts_minor: i64,
    /// What guests were billed: gross less discounts (tax added where prices exclude it).
    pub sales_minor: i64,
    /// Sales without tax.
    pub net_sales_minor: i64,
    /// Tax per rate on the sales.
    pub taxes: Vec<TaxLine>,
    /// Lines voided in the period and what they were worth.
    pub voids: i64,
    pub voids_minor: i64,
    pub refunds: i64,
    pub refunds_minor: i64,
    /// Left unpaid on orders a manager closed anyway.
    pub write_offs_minor: i64,
    /// What cash rounding settled: negative when guests paid a little more in cash.
    #[serde(default)]
    pub cash_rounding_minor: i64,
    /// Sales per order closed.
    pub average_ticket_minor: i64,
    pub payments: Vec<MethodTotal>,
    pub tips: Vec<WaiterTips>,
    /// The shifts closed in the period; their cash counts.
    pub shifts: Vec<Shift>,
}

/// What a report is made of: the orders closed in the period (with what was written off),
/// the payments and refunds made in it, the lines voided in it, and the staff's names.
#[derive(Clone, Debug, Default)]
pub struct DayData {
    pub closed: Vec<(Order, i64)>,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
    /// The amount of each line voided.
    pub voided: Vec<i64>,
    pub shifts: Vec<Shift>,
    pub names: BTreeMap<StaffId, String>,
}

/// The header of a report: what, when, by whom.
#[derive(Clone, Debug)]
pub struct ReportHeader {
    pub kind: ReportKind,
    pub number: Option<i64>,
    pub business_day: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub taken_by: String,
    pub currency: String,
}

/// Sums the day up under the venue's tax rules. Every sum is checked (see `expected_cash`).
pub fn report(
    header: ReportHeader,
    day: &DayData,
    mode: TaxMode,
    rounding: TaxRounding,
) -> Result<Report, Overflow> {
    let mut taxes: BTreeMap<i64, TaxLine> = BTreeMap::new();
    let (mut gross, mut discounts, mut covers, mut write_offs) = (0, 0, 0, 0);
    for (order, written_off) in &day.closed {
        let bill: BillTotals = order.totals(mode, rounding);
        for t in bill.taxes {
            let sum = taxes.entry(t.rate_bp).or_insert(TaxLine {
                rate_bp: t.rate_bp,
                net_minor: 0,
                tax_minor: 0,
                gross_minor: 0,
            });
            sum.net_minor = add(sum.net_minor, t.net_minor)?;
            sum.tax_minor = add(sum.tax_minor, t.tax_minor)?;
            sum.gross_minor = add(sum.gross_minor, t.gross_minor)?;
        }
        let sold = total(
            order
                .lines
                .iter()
                .filter(|l| l.status != LineStatus::Void)
                .map(|l| l.total_minor()),
        )?;
        gross = add(gross, sold)?;
        discounts = add(discounts, super::discounts::total_off(order))?;
        covers = add(covers, super::split::covers(order))?;
        write_offs = add(write_offs, *written_off)?;
    }
    let taxes: Vec<TaxLine> = taxes.into_values().collect();
    let sales = total(taxes.iter().map(|t| t.gross_minor))?;
    let net = total(taxes.iter().map(|t| t.net_minor))?;
    let orders = day.closed.len() as i64;
    let mut methods: Vec<MethodTotal> = Vec::new();
    for method in [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Voucher,
        PaymentMethod::House,
    ] {
        let paid: Vec<_> = day.payments.iter().filter(|p| p.method == method).collect();
        let refunded = total(
            day.refunds
                .iter()
                .filter(|r| r.method == method)
                .map(|r| r.amount_minor),
        )?;
        if paid.is_empty() && refunded == 0 {
            continue;
        }
        methods.push(MethodTotal {
            method,
            count: paid.len() as i64,
            amount_minor: total(paid.iter().map(|p| p.amount_minor))?,
            tip_minor: total(paid.iter().map(|p| p.tip_minor))?,
            refunded_minor: refunded,
        });
    }
    let mut tips: BTreeMap<StaffId, i64> = BTreeMap::new();
    for p in day.payments.iter().filter(|p| p.tip_minor > 0) {
        let sum = tips.entry(p.taken_by).or_default();
        *sum = add(*sum, p.tip_minor)?;
    }
    let mut tips: Vec<WaiterTips> = tips
        .into_iter()
        .map(|(staff_id, tip_minor)| WaiterTips {
            staff_id,
            name: day.names.get(&staff_id).cloned().unwrap_or_default(),
            tip_minor,
        })
        .collect();
    tips.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Report {
        kind: header.kind,
        number: header.number,
        business_day: header.business_day,
        from_ms: header.from_ms,
        to_ms: header.to_ms,
        taken_by: header.taken_by,
        currency: header.currency,
        orders,
        covers,
        gross_sales_minor: gross,
        discounts_minor: discounts,
        sales_minor: sales,
        net_sales_minor: net,
        taxes,
        voids: day.voided.len() as i64,
        voids_minor: total(day.voided.iter().copied())?,
        refunds: day.refunds.len() as i64,
        refunds_minor: total(day.refunds.iter().map(|r| r.amount_minor))?,
        write_offs_minor: write_offs,
        cash_rounding_minor: total(day.payments.iter().map(|p| p.rounding_minor))?,
        average_ticket_minor: if orders == 0 {
            0
        } else {
            div_round(sales, orders)
        },
        payments: methods,
        tips,
        shifts: day.shifts.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_refunded_once() {
        let (a, b) = (
            crate::domain::LineId::new_v7(),
            crate::domain::LineId::new_v7(),
        );
        assert_eq!(listed_twice(&[a, b]), None);
        assert_eq!(listed_twice(&[a, b, a, a]), Some(a));
    }
    use crate::domain::money::MAX_AMOUNT_MINOR;
    use crate::domain::split::tests::{line, order};
    use crate::domain::PaymentId;
    use proptest::prelude::*;

    fn payment(method: PaymentMethod, amount: i64, tip: i64) -> Payment {
        Payment {
            id: PaymentId::new_v7(),
            order_id: OrderId::new_v7(),
            method,
            amount_minor: amount,
            tip_minor: tip,
            tendered_minor: None,
            change_minor: 0,
            reference: None,
            seat: None,
            items: vec![],
            rounding_minor: 0,
            taken_by: StaffId(uuid::Uuid::from_u128(7)),
            created_at_ms: 0,
        }
    }

    fn refund(method: PaymentMethod, amount: i64) -> Refund {
        Refund {
            id: RefundId::new_v7(),
            order_id: OrderId::new_v7(),
            method,
            amount_minor: amount,
            reason: "cold".into(),
            refunded_by: StaffId::new_v7(),
            approved_by: StaffId::new_v7(),
            created_at_ms: 0,
        }
    }

    fn money(m: i64) -> String {
        format!("{}.{:02}", m / 100, m % 100)
    }

    #[test]
    fn a_refund_goes_back_the_way_it_was_paid_or_in_cash() {
        let paid = [payment(PaymentMethod::Card, 2000, 0)];
        assert_eq!(
            check_refund(&paid, &[], PaymentMethod::Card, 2000, money),
            Ok(())
        );
        assert_eq!(
            check_refund(&paid, &[], PaymentMethod::Cash, 500, money),
            Ok(())
        );
        assert_eq!(
            check_refund(&paid, &[], PaymentMethod::Voucher, 500, money),
            Err(RefundError::Method("Voucher"))
        );
        let before = [refund(PaymentMethod::Card, 1500)];
        let err = check_refund(&paid, &before, PaymentMethod::Card, 501, money).unwrap_err();
        assert_eq!(
            err.to_string(),
            "only 5.00 of what was paid is left to refund"
        );
    }

    #[test]
    fn the_drawer_expects_the_float_and_cash_taken_less_cash_refunded() {
        let payments = [
            payment(PaymentMethod::Cash, 2000, 200),
            payment(PaymentMethod::Card, 5000, 500),
        ];
        let refunds = [refund(PaymentMethod::Cash, 300)];
        assert_eq!(expected_cash(10_000, &payments, &refunds), Ok(11_900));
        let wild = [payment(PaymentMethod::Cash, 1, i64::MAX)];
        assert_eq!(expected_cash(10_000, &wild, &[]), Err(Overflow));
        let counts = BTreeMap::from([(5_000, 2), (1_000, 1), (500, 1), (200, 2)]);
        assert_eq!(count_total(&counts), Some(11_900));
        assert_eq!(count_total(&BTreeMap::from([(300, 1)])), None);
        assert_eq!(count_total(&BTreeMap::from([(100, -1)])), None);
    }

    #[test]
    fn a_report_sums_the_day() {
        let mut first = order(vec![
            line(1000, 2, 1000, Some(1)),
            line(500, 1, 2200, Some(2)),
        ]);
        first.lines.push(line(900, 1, 1000, None));
        first.lines[2].status = LineStatus::Void;
        let second = order(vec![line(1200, 1, 1000, None)]);
        let day = DayData {
            closed: vec![(first, 0), (second, 200)],
            payments: vec![
                payment(PaymentMethod::Cash, 2500, 100),
                payment(PaymentMethod::Card, 1000, 0),
            ],
            refunds: vec![refund(PaymentMethod::Cash, 500)],
            voided: vec![900],
            shifts: vec![],
            names: BTreeMap::from([(StaffId(uuid::Uuid::from_u128(7)), "Ana".to_owned())]),
        };
        let header = ReportHeader {
            kind: ReportKind::X,
            number: None,
            business_day: "2026-11-22".into(),
            from_ms: 0,
            to_ms: 1,
            taken_by: "Mara".into(),
            currency: "EUR".into(),
        };
        let r = report(header, &day, TaxMode::Inclusive, TaxRounding::PerBill).unwrap();
        assert_eq!((r.orders, r.covers), (2, 3));
        assert_eq!(r.gross_sales_minor, 3700);
        assert_eq!(r.sales_minor, 3700);
        assert_eq!(r.taxes.len(), 2);
        assert_eq!(
            r.net_sales_minor + r.taxes.iter().map(|t| t.tax_minor).sum::<i64>(),
            3700
        );
        assert_eq!((r.voids, r.voids_minor), (1, 900));
        assert_eq!((r.refunds_minor, r.write_offs_minor), (500, 200));
        assert_eq!(r.average_ticket_minor, 1850);
        assert_eq!(r.tips[0].name, "Ana");
        assert_eq!(r.payments[0].refunded_minor, 500);
    }

    /// One payment a phone might send: method, amount, tip and cash handed over, all up to
    /// the ceiling, and whether a manager approved the tip.
    fn any_payment() -> impl Strategy<Value = (u8, i64, i64, Option<i64>, bool)> {
        (
            0u8..3,
            1i64..=MAX_AMOUNT_MINOR,
            prop_oneof![Just(0i64), 0i64..=MAX_AMOUNT_MINOR],
            prop::option::of(0i64..=MAX_AMOUNT_MINOR),
            any::<bool>(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// A day of orders with lines, discounts, payments, tips and refunds, every amount
        /// up to the ceiling and each passing the rules the server applies: the report's
        /// sums never overflow and reconcile with the same sums taken in i128.
        #[test]
        fn a_days_sums_never_overflow_and_always_reconcile(
            orders in prop::collection::vec(
                (
                    prop::collection::vec((1i64..=10_000_000, 1i64..=99, prop::sample::select(vec![0i64, 1000, 2200])), 1..6),
                    prop::option::of((any::<bool>(), 1i64..=MAX_AMOUNT_MINOR)),
                    prop::collection::vec(any_payment(), 1..6),
                    prop::collection::vec((any::<bool>(), 1i64..=MAX_AMOUNT_MINOR), 0..4),
                ),
                1..8,
            ),
            float in 0i64..=MAX_AMOUNT_MINOR,
        ) {
            use crate::domain::discounts::{Discount, DiscountKind};
            use crate::domain::payments::{NewPayment, PaymentRules};
            let methods = [PaymentMethod::Cash, PaymentMethod::Card, PaymentMethod::Voucher];
            let mut day = DayData::default();
            for (lines, discount, pays, refunds) in orders {
                let mut o = order(lines.into_iter().map(|(p, q, r)| line(p, q, r, None)).collect());
                if let Some((percent, value)) = discount {
                    let (kind, value) = if percent {
                        (DiscountKind::Percent, value % 10_000 + 1)
                    } else {
                        (DiscountKind::Amount, value)
                    };
                    o.discounts.push(Discount {
                        id: crate::domain::DiscountId::new_v7(), line_id: None, kind, value,
                        reason: "regular".into(), rule: None, given_by: StaffId::new_v7(),
                        approved_by: None, created_at_ms: 0,
                    });
                }
                for (m, amount, tip, tendered, approved) in pays {
                    let (mode, rounding) = (TaxMode::Inclusive, TaxRounding::PerBill);
                    let (left, total) = (o.left_to_pay(mode, rounding), o.totals(mode, rounding).total_minor);
                    let new = NewPayment {
                        id: PaymentId::new_v7(), method: methods[m as usize], amount_minor: amount.min(left.max(1)),
                        tip_minor: tip, tendered_minor: tendered, reference: None, seat: None, items: vec![],
                    };
                    if let Ok(change) = new.check(left, total, &PaymentRules::PLAIN, approved, money) {
                        let mut p = payment(new.method, new.amount_minor, new.tip_minor);
                        p.order_id = o.id;
                        p.change_minor = change;
                        o.payments.push(p);
                    }
                }
                let mut done: Vec<Refund> = vec![];
                for (cash, amount) in refunds {
                    let method = if cash { PaymentMethod::Cash } else { PaymentMethod::Card };
                    if check_refund(&o.payments, &done, method, amount, money).is_ok() {
                        done.push(refund(method, amount));
                    }
                }
                let left = o.left_to_pay(TaxMode::Inclusive, TaxRounding::PerBill);
                prop_assert!(left >= 0, "never paid beyond the bill");
                day.payments.extend(o.payments.iter().cloned());
                day.refunds.extend(done);
                day.closed.push((o, left));
            }
            let header = ReportHeader {
                kind: ReportKind::X, number: None, business_day: "2026-12-01".into(),
                from_ms: 0, to_ms: 1, taken_by: "Mara".into(), currency: "EUR".into(),
            };
            let r = report(header, &day, TaxMode::Inclusive, TaxRounding::PerBill);
            prop_assert!(r.is_ok(), "the sums overflowed");
            let r = r.unwrap();
            let wide = |v: &mut dyn Iterator<Item = i64>| v.map(i128::from).sum::<i128>();
            let paid = wide(&mut day.payments.iter().map(|p| p.amount_minor));
            let tips = wide(&mut day.payments.iter().map(|p| p.tip_minor));
            prop_assert_eq!(wide(&mut r.payments.iter().map(|m| m.amount_minor)), paid);
            prop_assert_eq!(wide(&mut r.payments.iter().map(|m| m.tip_minor)), tips);
            prop_assert_eq!(wide(&mut r.tips.iter().map(|t| t.tip_minor)), tips);
            prop_assert_eq!(i128::from(r.refunds_minor), wide(&mut day.refunds.iter().map(|x| x.amount_minor)));
            prop_assert_eq!(r.sales_minor, r.gross_sales_minor - r.discounts_minor);
            prop_assert_eq!(r.net_sales_minor + r.taxes.iter().map(|t| t.tax_minor).sum::<i64>(), r.sales_minor);
            // What was billed was paid or written off, to the cent.
            prop_assert_eq!(i128::from(r.sales_minor), paid + i128::from(r.write_offs_minor));
            let cash = |m: PaymentMethod| m == PaymentMethod::Cash;
            let drawer = i128::from(float)
                + wide(&mut day.payments.iter().filter(|p| cash(p.method)).map(|p| p.amount_minor + p.tip_minor))
                - wide(&mut day.refunds.iter().filter(|x| cash(x.method)).map(|x| x.amount_minor));
            prop_assert_eq!(expected_cash(float, &day.payments, &day.refunds).map(i128::from), Ok(drawer));
        }
    }

    proptest! {
        #[test]
        fn refunds_never_exceed_what_was_paid(
            paid in prop::collection::vec(1i64..10_000, 1..5),
            asks in prop::collection::vec(1i64..20_000, 1..10),
        ) {
            let payments: Vec<_> = paid.iter().map(|&a| payment(PaymentMethod::Card, a, 0)).collect();
            let mut refunds = vec![];
            for ask in asks {
                if check_refund(&payments, &refunds, PaymentMethod::Card, ask, money).is_ok() {
                    refunds.push(refund(PaymentMethod::Card, ask));
                }
                let total: i64 = refunds.iter().map(|r| r.amount_minor).sum();
                prop_assert!(total <= paid.iter().sum::<i64>());
                prop_assert!(refundable(&payments, &refunds) >= 0);
            }
        }
    }
}
