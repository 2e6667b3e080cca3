//! Moving a table's order to another table (the party moved to the terrace), merging two
//! tables' orders into one (two parties became one) and handing a table to another
//! waiter (a shift ends): the checks the phone and the server share, so an offline phone
//! shows what the server will do.

use super::floor::MAX_GUESTS;
use super::orders::Order;
use super::split::{covers, MAX_SEAT};
use super::staff::Role;
use super::{OrderId, StaffId};
use thiserror::Error;

/// Why an order cannot move to a table.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MoveError {
    #[error("a takeaway order has no table to move")]
    Takeaway,
    /// The table's label.
    #[error("table {0} has an open order: merge the two tables instead")]
    Taken(String),
}

impl Order {
    /// Whether the order may move to the table labelled `to`, where `open_there` is open,
    /// if anything is. Moving to its own table changes nothing and is no error.
    pub fn check_move(&self, to: &str, open_there: Option<OrderId>) -> Result<(), MoveError> {
        if self.table_id.is_none() {
            return Err(MoveError::Takeaway);
        }
        match open_there {
            Some(other) if other != self.id => Err(MoveError::Taken(to.to_owned())),
            _ => Ok(()),
        }
    }
}

/// Why two orders cannot be merged. The label is the table's that stands in the way.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MergeError {
    #[error("a takeaway order cannot be merged with a table")]
    Takeaway,
    #[error("table {0} has a payment taken: merge tables before anyone pays")]
    Paid(String),
    /// A discount on a whole bill would cover the other table's items too.
    #[error("table {0} has a discount on its whole bill: take it off, merge, then give it again")]
    WholeDiscount(String),
    #[error("the two tables have more than {MAX_SEAT} seats between them")]
    Seats,
    #[error("the two tables have more than {MAX_GUESTS} guests between them")]
    Guests,
}

/// Why a table cannot be handed to someone.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum HandOverError {
    /// Their name.
    #[error("{0} does not take tables: hand it to a waiter or a manager")]
    TakesNoTables(String),
}

/// How an order merged into another joins it (`Order::check_merge`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    /// Added to the merged order's seat numbers, so its seat 1 does not become the other
    /// table's seat 1: the highest seat the other table has (by its lines or its guests).
    pub seat_offset: i64,
    /// What the merged order holds from: the earlier course either held, so nothing held
    /// on one table goes out early because of the other.
    pub held_from: Option<i64>,
    /// Both tables' guests together (at most 99), if either was counted: a table not
    /// counted adds its covers (its seats, or one).
    pub guests: Option<i64>,
}

impl Order {
    /// Whether this order (at the table labelled `from`) may be merged into `into` (at
    /// `to`), and how. Neither may be a takeaway, have a payment, or have a discount on its
    /// whole bill; lines, their discounts, tickets and waiters go along.
    pub fn check_merge(&self, into: &Order, from: &str, to: &str) -> Result<Merge, MergeError> {
        if self.table_id.is_none() || into.table_id.is_none() {
            return Err(MergeError::Takeaway);
        }
        for (order, label) in [(self, from), (into, to)] {
            if !order.payments.is_empty() {
                return Err(MergeError::Paid(label.to_owned()));
            }
            if order.discounts.iter().any(|d| d.line_id.is_none()) {
                return Err(MergeError::WholeDiscount(label.to_owned()));
            }
        }
        let seat_offset = into.highest_seat().max(into.guests.unwrap_or(0));
        let top = self.highest_seat();
        if top > 0 && seat_offset.checked_add(top).is_none_or(|s| s > MAX_SEAT) {
            return Err(MergeError::Seats);
        }
        let guests = match (self.guests, into.guests) {
            (None, None) => None,
            _ => {
                let both = covers(self).checked_add(covers(into));
                Some(
                    both.filter(|g| *g <= MAX_GUESTS)
                        .ok_or(MergeError::Guests)?,
                )
            }
        };
        Ok(Merge {
            seat_offset,
            held_from: self.held_from.into_iter().chain(into.held_from).min(),
            guests,
        })
    }

    /// Whether the table may be handed to `name`, working as `role`: to anyone who takes
    /// orders. Handing it to whoever has it changes nothing and is no error.
    pub fn check_hand_over(&self, name: &str, role: Role) -> Result<(), HandOverError> {
        match role.takes_orders() {
            true => Ok(()),
            false => Err(HandOverError::TakesNoTables(name.to_owned())),
        }
    }

    /// Hands the table to `to`, who joins its waiters (on a phone: the server writes
    /// it); to whoever has it already, nothing changes.
    pub fn hand_over(&mut self, to: StaffId) {
        if self.waiter() != to {
            self.handed_to = Some(to);
            self.join(to);
        }
    }

    /// Takes `from`'s lines, discounts and waiters as `merge` says (on a phone: the server
    /// moves the rows). `from` is left closed, merged into this order.
    pub fn absorb(&mut self, from: &mut Order, merge: Merge) {
        for mut line in std::mem::take(&mut from.lines) {
            // `check_merge` made sure the seats fit.
            line.seat = line.seat.map(|s| s.saturating_add(merge.seat_offset));
            self.lines.push(line);
        }
        self.discounts.append(&mut from.discounts);
        for waiter in &from.waiter_ids {
            self.join(*waiter);
        }
        // In the order the server reads them back.
        self.lines.sort_by_key(|l| (l.created_at_ms, l.id));
        self.discounts.sort_by_key(|d| (d.created_at_ms, d.id));
        self.held_from = merge.held_from;
        self.guests = merge.guests;
        from.status = super::orders::OrderStatus::Closed;
        from.merged_into = Some(self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TableId;

    fn order(table: Option<TableId>) -> Order {
        Order::for_tests(table, vec![])
    }

    #[test]
    fn an_order_moves_to_a_free_table_or_stays_where_it_is() {
        let here = order(Some(TableId::new_v7()));
        assert_eq!(here.check_move("9", None), Ok(()));
        assert_eq!(here.check_move("4", Some(here.id)), Ok(()));
        assert_eq!(
            here.check_move("9", Some(OrderId::new_v7())),
            Err(MoveError::Taken("9".into()))
        );
        assert_eq!(
            MoveError::Taken("9".into()).to_string(),
            "table 9 has an open order: merge the two tables instead"
        );
        assert_eq!(order(None).check_move("9", None), Err(MoveError::Takeaway));
    }

    fn line(seat: Option<i64>) -> crate::domain::orders::OrderLine {
        crate::domain::split::tests::line(1200, 1, 1000, seat)
    }

    #[test]
    fn a_merged_table_keeps_its_seats_apart_and_holds_what_either_held() {
        let mut into = order(Some(TableId::new_v7()));
        into.lines = vec![line(Some(2))];
        into.guests = Some(4);
        into.held_from = Some(3);
        let mut from = order(Some(TableId::new_v7()));
        from.lines = vec![line(Some(1)), line(None)];
        from.guests = Some(2);
        from.held_from = Some(2);
        let merge = from.check_merge(&into, "5", "4").unwrap();
        assert_eq!(
            merge,
            Merge {
                seat_offset: 4,
                held_from: Some(2),
                guests: Some(6)
            }
        );
        into.absorb(&mut from, merge);
        let seats: Vec<_> = into.lines.iter().map(|l| l.seat).collect();
        assert_eq!(seats, [Some(2), Some(5), None]);
        assert!(from.lines.is_empty());
        assert_eq!(from.merged_into, Some(into.id));
        // Neither counted: no count after either.
        let (a, b) = (
            order(Some(TableId::new_v7())),
            order(Some(TableId::new_v7())),
        );
        assert_eq!(a.check_merge(&b, "1", "2").unwrap().guests, None);
        // One counted: the other adds its covers (its seats, or one), not nothing.
        let mut counted = order(Some(TableId::new_v7()));
        counted.guests = Some(3);
        let mut seated = order(Some(TableId::new_v7()));
        seated.lines = vec![line(Some(1)), line(Some(2))];
        assert_eq!(
            seated.check_merge(&counted, "1", "2").unwrap().guests,
            Some(5)
        );
        assert_eq!(a.check_merge(&counted, "1", "2").unwrap().guests, Some(4));
        counted.guests = Some(99);
        assert_eq!(a.check_merge(&counted, "1", "2"), Err(MergeError::Guests));
    }

    #[test]
    fn tables_with_a_payment_a_whole_bill_discount_or_too_many_seats_are_not_merged() {
        use crate::domain::discounts::{Discount, DiscountKind};
        use crate::domain::{DiscountId, StaffId};
        let table = || order(Some(TableId::new_v7()));
        let (from, mut into) = (table(), table());
        crate::domain::split::tests::pay_items(&mut into, vec![], 100);
        assert_eq!(
            from.check_merge(&into, "5", "4"),
            Err(MergeError::Paid("4".into()))
        );
        let (mut from, into) = (table(), table());
        from.discounts.push(Discount {
            id: DiscountId::new_v7(),
            line_id: None,
            kind: DiscountKind::Percent,
            value: 1000,
            reason: "regulars".into(),
            rule: None,
            given_by: StaffId::new_v7(),
            approved_by: None,
            created_at_ms: 0,
        });
        assert_eq!(
            from.check_merge(&into, "5", "4").unwrap_err().to_string(),
            "table 5 has a discount on its whole bill: take it off, merge, then give it again"
        );
        let (mut from, mut into) = (table(), table());
        into.guests = Some(29);
        from.lines = vec![line(Some(2))];
        assert_eq!(from.check_merge(&into, "5", "4"), Err(MergeError::Seats));
        assert_eq!(
            order(None).check_merge(&into, "", "4"),
            Err(MergeError::Takeaway)
        );
    }

    #[test]
    fn a_table_is_handed_to_someone_who_takes_orders() {
        let mut table = order(Some(TableId::new_v7()));
        let luca = StaffId::new_v7();
        assert_eq!(table.check_hand_over("Luca", Role::Waiter), Ok(()));
        assert_eq!(
            table
                .check_hand_over("Chef", Role::Kitchen)
                .unwrap_err()
                .to_string(),
            "Chef does not take tables: hand it to a waiter or a manager"
        );
        assert_eq!(table.waiter(), table.opened_by);
        table.hand_over(luca);
        assert_eq!(
            (table.waiter(), table.waiter_ids.as_slice()),
            (luca, &[luca][..])
        );
    }
}
