//! The pay sheet's "By item" list: the items left to pay, each kind once. Lines of the
//! same item at the same price, with the same options, seat and discount (two waiters'
//! Lagers, a round sent twice) are one row with their units added up; a pick takes units from those
//! lines in turn, so the payment names real lines (`PaidItem`), as the server checks it.

use super::discounts::DiscountKind;
use super::orders::{LineStatus, Order};
use super::split::{paid_units, PaidItem};
use super::LineId;

/// One row of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    /// "Burger (Medium, no Onions)", "Lager · 10 % off".
    pub name: String,
    pub seat: Option<i64>,
    pub unit_price_minor: i64,
    /// Its lines, oldest first, with the units of each not paid yet.
    pub lines: Vec<(LineId, i64)>,
}

impl ItemRow {
    /// Units of the row not paid yet.
    pub fn unpaid(&self) -> i64 {
        self.lines.iter().map(|(_, n)| n).sum()
    }

    /// Units of the row among `picks`.
    pub fn picked(&self, picks: &[PaidItem]) -> i64 {
        picks
            .iter()
            .filter(|p| self.lines.iter().any(|(l, _)| *l == p.line_id))
            .map(|p| p.quantity)
            .sum()
    }

    /// One unit more (`more`) or less of the row in `picks`: the first of its lines with
    /// a unit left takes it, the last picked gives it back.
    pub fn pick(&self, picks: &mut Vec<PaidItem>, more: bool) {
        let picked = |picks: &[PaidItem], line: LineId| {
            picks
                .iter()
                .find(|p| p.line_id == line)
                .map_or(0, |p| p.quantity)
        };
        let line = match more {
            true => self
                .lines
                .iter()
                .find(|(l, unpaid)| picked(picks, *l) < *unpaid),
            false => self.lines.iter().rev().find(|(l, _)| picked(picks, *l) > 0),
        };
        let Some((line, _)) = line else {
            return;
        };
        match picks.iter_mut().find(|p| p.line_id == *line) {
            Some(p) => p.quantity += if more { 1 } else { -1 },
            None => picks.push(PaidItem {
                line_id: *line,
                quantity: 1,
            }),
        }
        picks.retain(|p| p.quantity > 0);
    }
}

/// The order's items left to pay, as rows, in the order they were first added; the lines
/// of `skip_seats` (seats paid for already) left out.
pub fn item_rows(order: &Order, skip_seats: &[i64]) -> Vec<ItemRow> {
    let mut rows: Vec<ItemRow> = Vec::new();
    let open = order
        .lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .filter(|l| !l.seat.is_some_and(|s| skip_seats.contains(&s)));
    for line in open {
        let unpaid = line.quantity - paid_units(order, line.id);
        if unpaid <= 0 {
            continue;
        }
        let options: Vec<String> = line.options.iter().map(|o| o.label()).collect();
        let mut name = match options.is_empty() {
            true => line.product_name.clone(),
            false => format!("{} ({})", line.product_name, options.join(", ")),
        };
        // A discounted line costs less than its price says: never one row with others.
        for d in order
            .discounts
            .iter()
            .filter(|d| d.line_id == Some(line.id))
        {
            let off = match d.kind {
                DiscountKind::Percent => format!("{} % off", percent(d.value)),
                DiscountKind::Amount => "discounted".to_owned(),
            };
            name = format!("{name} · {off}");
        }
        let same = rows.iter_mut().find(|r| {
            (&r.name, r.seat, r.unit_price_minor) == (&name, line.seat, line.unit_price_minor)
        });
        match same {
            Some(row) => row.lines.push((line.id, unpaid)),
            None => rows.push(ItemRow {
                name,
                seat: line.seat,
                unit_price_minor: line.unit_price_minor,
                lines: vec![(line.id, unpaid)],
            }),
        }
    }
    rows
}

/// Basis points as a person says the percentage: 1000 is "10", 1250 "12.5".
fn percent(bp: i64) -> String {
    let text = format!("{}.{:02}", bp / 100, (bp % 100).abs());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::split::tests::line;

    #[test]
    fn the_same_item_is_one_row_and_a_pick_takes_units_line_by_line() {
        let mut lagers = [line(550, 2, 2200, None), line(550, 1, 2200, None)];
        for l in &mut lagers {
            l.product_name = "Lager".into();
        }
        let mut for_seat = line(550, 1, 2200, Some(1));
        for_seat.product_name = "Lager".into();
        let order = Order::for_tests(None, vec![lagers[0].clone(), lagers[1].clone(), for_seat]);
        let rows = item_rows(&order, &[]);
        // The two Lager lines are one row of 3; the seat's Lager is its own.
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].name.as_str(), rows[0].unpaid()), ("Lager", 3));
        assert_eq!(rows[1].seat, Some(1));
        assert_eq!(item_rows(&order, &[1]).len(), 1);

        let mut picks = vec![];
        for _ in 0..3 {
            rows[0].pick(&mut picks, true);
        }
        // Full: a fourth changes nothing.
        rows[0].pick(&mut picks, true);
        assert_eq!(
            picks,
            [
                PaidItem {
                    line_id: lagers[0].id,
                    quantity: 2
                },
                PaidItem {
                    line_id: lagers[1].id,
                    quantity: 1
                },
            ]
        );
        assert_eq!(rows[0].picked(&picks), 3);
        assert_eq!(
            (percent(1000), percent(1250), percent(5)),
            ("10".into(), "12.5".into(), "0.05".into())
        );
        rows[0].pick(&mut picks, false);
        assert_eq!(
            picks,
            [PaidItem {
                line_id: lagers[0].id,
                quantity: 2
            }]
        );

        // The second Lager, 10 % off (a happy hour), is a row of its own that says so.
        let mut happy = order.clone();
        happy.discounts.push(crate::domain::discounts::Discount {
            id: crate::domain::DiscountId::new_v7(),
            line_id: Some(lagers[1].id),
            kind: DiscountKind::Percent,
            value: 1000,
            reason: "Happy hour".into(),
            rule: None,
            given_by: crate::domain::StaffId::new_v7(),
            approved_by: None,
            created_at_ms: 0,
        });
        let names: Vec<_> = item_rows(&happy, &[]).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["Lager", "Lager · 10 % off", "Lager"]);
    }
}
