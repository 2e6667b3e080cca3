//! Moving a table's order to another table (the party moved to the terrace): the check
//! the phone and the server share, so an offline phone shows what the server will do.

use super::orders::Order;
use super::OrderId;
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
}
