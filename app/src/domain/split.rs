//! Sharing a bill among guests: each line's share of the bill (tax and discounts included),
//! by seat, by item (whole lines or some of their units) and evenly. Shares are allocated
//! with cumulative rounding, so the parts of any split add up to the bill to the minor unit,
//! whatever order the guests pay in.

use super::bill::{split_evenly, TaxMode, TaxRounding};
use super::orders::{LineStatus, Order};
use super::LineId;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Seats are numbered 1 to this.
pub const MAX_SEAT: i64 = 30;

/// Some units of one line, paid for by one payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaidItem {
    pub line_id: LineId,
    pub quantity: i64,
}

/// What one seat owes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatShare {
    pub seat: i64,
    pub amount_minor: i64,
    /// A payment for this seat was taken.
    pub paid: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SplitError {
    #[error("seat must be between 1 and {MAX_SEAT}, not {0}")]
    Seat(i64),
    #[error("the order has no line {0} to pay for")]
    UnknownLine(LineId),
    #[error("{name} is void and has nothing to pay")]
    VoidLine { name: String },
    #[error("only {unpaid} of {name} are left to pay, not {asked}")]
    TooMany {
        name: String,
        unpaid: i64,
        asked: i64,
    },
}

/// `total` shared in proportion to `weights` (none negative), adding up to `total` exactly.
/// Equal weights, or none above zero, share it evenly.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w.max(0))).sum();
    if sum == 0 {
        return split_evenly(total, weights.len());
    }
    // Share i is the rounded running total up to and including i, minus the one before it:
    // the rounding never accumulates, and the last running total is exactly `total`.
    let (mut running, mut before) = (0i128, 0i64);
    weights
        .iter()
        .map(|&w| {
            running += i128::from(w.max(0));
            let upto = div_round_wide(i128::from(total) * running, sum);
            let share = upto - before;
            before = upto;
            share
        })
        .collect()
}

fn div_round_wide(n: i128, d: i128) -> i64 {
    let r = if n >= 0 {
        (2 * n + d) / (2 * d)
    } else {
        -((-2 * n + d) / (2 * d))
    };
    r as i64
}

/// Every line's share of the bill (tax added where prices exclude it), void lines left out.
pub fn line_shares(order: &Order, mode: TaxMode, rounding: TaxRounding) -> Vec<(LineId, i64)> {
    // What each line is charged (void lines left out), discounts taken off.
    let charged = super::discounts::charged(order);
    let weights: Vec<i64> = charged.iter().map(|(_, amount)| *amount).collect();
    let total = order.totals(mode, rounding).total_minor;
    charged
        .iter()
        .zip(allocate(total, &weights))
        .map(|((id, _), share)| (*id, share))
        .collect()
}

/// What each seat owes: its own lines, and an even part of the lines for the whole table.
/// The seats are those the lines are on and, when the guests were counted, one per guest
/// (a guest who ordered nothing of their own still shares the bottle). Empty when no line
/// has a seat.
pub fn seat_shares(order: &Order, mode: TaxMode, rounding: TaxRounding) -> Vec<SeatShare> {
    let mut seats: Vec<i64> = order
        .lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .filter_map(|l| l.seat)
        .collect();
    if seats.is_empty() {
        return vec![];
    }
    seats.extend(1..=order.guests.unwrap_or(0).min(MAX_SEAT));
    seats.sort_unstable();
    seats.dedup();
    let shares = line_shares(order, mode, rounding);
    let seat_of = |id: LineId| order.lines.iter().find(|l| l.id == id).and_then(|l| l.seat);
    let shared: i64 = shares
        .iter()
        .filter(|(id, _)| seat_of(*id).is_none())
        .map(|(_, s)| s)
        .sum();
    seats
        .iter()
        .zip(split_evenly(shared, seats.len()))
        .map(|(&seat, part)| SeatShare {
            seat,
            amount_minor: part
                + shares
                    .iter()
                    .filter(|(id, _)| seat_of(*id) == Some(seat))
                    .map(|(_, s)| s)
                    .sum::<i64>(),
            paid: order.payments.iter().any(|p| p.seat == Some(seat)),
        })
        .collect()
}

/// What the next guest pays when `guests` split what is `left` evenly and `paid` payments
/// were taken already: an even part among those still to pay, so the shares add up to
/// the bill however many have paid (the last takes what is left).
pub fn even_share(left: i64, guests: usize, paid: usize) -> i64 {
    let still_to_pay = guests.saturating_sub(paid).max(1);
    split_evenly(left, still_to_pay)
        .first()
        .copied()
        .unwrap_or(left)
}

/// Units of the line that earlier payments by item have paid for.
pub fn paid_units(order: &Order, line: LineId) -> i64 {
    order
        .payments
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| i.line_id == line)
        .map(|i| i.quantity)
        .sum()
}

/// What the picked items cost: for each line, the next units not yet paid by item. Paying
/// every unit this way, in any order, adds up to the bill.
pub fn items_amount(
    order: &Order,
    mode: TaxMode,
    rounding: TaxRounding,
    picks: &[PaidItem],
) -> Result<i64, SplitError> {
    let shares = line_shares(order, mode, rounding);
    let mut amount = 0;
    for pick in picks {
        let line = order
            .lines
            .iter()
            .find(|l| l.id == pick.line_id)
            .ok_or(SplitError::UnknownLine(pick.line_id))?;
        if line.status == LineStatus::Void {
            return Err(SplitError::VoidLine {
                name: line.product_name.clone(),
            });
        }
        let before = paid_units(order, line.id)
            + picks
                .iter()
                .take_while(|p| !std::ptr::eq(*p, pick))
                .filter(|p| p.line_id == line.id)
                .map(|p| p.quantity)
                .sum::<i64>();
        let unpaid = line.quantity - before;
        if pick.quantity < 1 || pick.quantity > unpaid {
            return Err(SplitError::TooMany {
                name: line.product_name.clone(),
                unpaid,
                asked: pick.quantity,
            });
        }
        let share = shares
            .iter()
            .find(|(id, _)| *id == line.id)
            .map_or(0, |(_, s)| *s);
        let units = split_evenly(share, line.quantity as usize);
        let (from, to) = (before as usize, (before + pick.quantity) as usize);
        amount += units[from..to].iter().sum::<i64>();
    }
    Ok(amount)
}

/// Checks the seat a payment says it is for.
pub fn check_seat(seat: Option<i64>) -> Result<(), SplitError> {
    match seat {
        Some(s) if !(1..=MAX_SEAT).contains(&s) => Err(SplitError::Seat(s)),
        _ => Ok(()),
    }
}

/// The guests the order served: as counted when the table was opened, else its distinct
/// seats, or one when no line has a seat.
pub fn covers(order: &Order) -> i64 {
    if let Some(guests) = order.guests {
        return guests;
    }
    let mut seats: Vec<i64> = order.lines.iter().filter_map(|l| l.seat).collect();
    seats.sort_unstable();
    seats.dedup();
    (seats.len() as i64).max(1)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::orders::OrderLine;
    use crate::domain::payments::{Payment, PaymentMethod};
    use crate::domain::{PaymentId, ProductId, StaffId, StationId};
    use proptest::prelude::*;
    use uuid::Uuid;

    pub(crate) fn line(price: i64, quantity: i64, rate_bp: i64, seat: Option<i64>) -> OrderLine {
        OrderLine {
            id: LineId::new_v7(),
            product_id: ProductId(Uuid::from_u128(1)),
            product_name: format!("item {price}"),
            station_id: StationId("kitchen".into()),
            quantity,
            unit_price_minor: price,
            tax_rate_bp: rate_bp,
            options: vec![],
            note: String::new(),
            course: 1,
            seat,
            status: LineStatus::Sent,
            ticket_id: None,
            added_by: StaffId(Uuid::nil()),
            created_at_ms: 0,
        }
    }

    pub(crate) fn order(lines: Vec<OrderLine>) -> Order {
        Order::for_tests(None, lines)
    }

    pub(crate) fn pay_items(order: &mut Order, picks: Vec<PaidItem>, amount: i64) {
        order.payments.push(Payment {
            id: PaymentId::new_v7(),
            order_id: order.id,
            method: PaymentMethod::Card,
            amount_minor: amount,
            tip_minor: 0,
            tendered_minor: None,
            change_minor: 0,
            reference: None,
            seat: None,
            items: picks,
            rounding_minor: 0,
            taken_by: StaffId(Uuid::nil()),
            created_at_ms: 0,
        });
    }

    const EX: TaxMode = TaxMode::Exclusive;
    const BILL: TaxRounding = TaxRounding::PerBill;

    #[test]
    fn allocation_follows_the_weights_and_adds_up() {
        assert_eq!(allocate(1000, &[1, 1, 1]), vec![333, 334, 333]);
        assert_eq!(allocate(1000, &[0, 0]), vec![500, 500]);
        assert_eq!(allocate(1100, &[500, 500]), vec![550, 550]);
        assert!(allocate(7, &[]).is_empty());
    }

    #[test]
    fn each_seat_pays_its_own_lines_and_a_part_of_the_shared_ones() {
        // Prices include tax: the shares are the menu prices.
        let o = order(vec![
            line(1200, 1, 1000, Some(1)),
            line(900, 2, 1000, Some(2)),
            line(1000, 1, 2200, None), // a bottle for the table
        ]);
        let seats = seat_shares(&o, TaxMode::Inclusive, BILL);
        let amounts: Vec<_> = seats.iter().map(|s| (s.seat, s.amount_minor)).collect();
        assert_eq!(amounts, vec![(1, 1700), (2, 2300)]);
        assert_eq!(covers(&o), 2);
        // Counted when the table was opened, the guests are the covers.
        let counted = Order {
            guests: Some(5),
            ..o.clone()
        };
        assert_eq!(covers(&counted), 5);
        // Counted, every guest has a seat and shares the water; seats 3 to 5 owe only that.
        let shares: Vec<_> = seat_shares(&counted, TaxMode::Inclusive, BILL)
            .iter()
            .map(|s| (s.seat, s.amount_minor))
            .collect();
        assert_eq!(shares, [(1, 1400), (2, 2000), (3, 200), (4, 200), (5, 200)]);
        assert!(seat_shares(&order(vec![line(100, 1, 0, None)]), EX, BILL).is_empty());
    }

    #[test]
    fn six_guests_paying_evenly_one_after_another_pay_the_whole_bill() {
        let (mut left, mut paid) = (7300, 0);
        let mut shares = vec![];
        while left > 0 {
            let share = even_share(left, 6, paid);
            shares.push(share);
            left -= share;
            paid += 1;
        }
        assert_eq!(shares, [1217, 1217, 1217, 1217, 1216, 1216]);
        // Fewer guests than payments taken: the next pays what is left.
        assert_eq!(even_share(500, 2, 3), 500);
    }

    #[test]
    fn paying_some_units_of_a_line_leaves_the_rest_and_refuses_more() {
        let mut o = order(vec![line(333, 3, 0, None)]);
        let id = o.lines[0].id;
        let two = [PaidItem {
            line_id: id,
            quantity: 2,
        }];
        assert_eq!(items_amount(&o, EX, BILL, &two), Ok(666));
        pay_items(&mut o, two.to_vec(), 666);
        assert_eq!(paid_units(&o, id), 2);
        let err = items_amount(&o, EX, BILL, &two).unwrap_err();
        assert_eq!(err.to_string(), "only 1 of item 333 are left to pay, not 2");
        assert_eq!(
            items_amount(
                &o,
                EX,
                BILL,
                &two[..1]
                    .iter()
                    .map(|p| PaidItem { quantity: 1, ..*p })
                    .collect::<Vec<_>>()
            ),
            Ok(333)
        );
        assert_eq!(check_seat(Some(0)), Err(SplitError::Seat(0)));
        assert_eq!(check_seat(Some(4)), Ok(()));
    }

    fn lines() -> impl Strategy<Value = Vec<OrderLine>> {
        prop::collection::vec(
            (
                1i64..5_000,
                1i64..5,
                prop::sample::select(vec![0i64, 550, 1000, 2200, 888]),
                prop::option::of(1i64..5),
            )
                .prop_map(|(p, q, r, s)| line(p, q, r, s)),
            1..12,
        )
    }

    proptest! {
        #[test]
        fn every_split_adds_up_to_the_bill(lines in lines(), inclusive in any::<bool>(), per_line in any::<bool>()) {
            let mode = if inclusive { TaxMode::Inclusive } else { TaxMode::Exclusive };
            let rounding = if per_line { TaxRounding::PerLine } else { TaxRounding::PerBill };
            let mut o = order(lines);
            let bill = o.totals(mode, rounding).total_minor;
            prop_assert_eq!(line_shares(&o, mode, rounding).iter().map(|(_, s)| s).sum::<i64>(), bill);
            let seats = seat_shares(&o, mode, rounding);
            if !seats.is_empty() {
                prop_assert_eq!(seats.iter().map(|s| s.amount_minor).sum::<i64>(), bill);
            }
            // Unit by unit, last line first: the payments add up to the bill.
            let mut paid = 0;
            for l in o.lines.clone().iter().rev() {
                for _ in 0..l.quantity {
                    let pick = vec![PaidItem { line_id: l.id, quantity: 1 }];
                    let amount = items_amount(&o, mode, rounding, &pick).unwrap();
                    paid += amount;
                    pay_items(&mut o, pick, amount);
                }
            }
            prop_assert_eq!(paid, bill);
        }
    }
}
