//! Staff members and their roles. What each role may do is decided here, once, and
//! enforced by the server on every call.

use super::StaffId;
use serde::{Deserialize, Serialize};

/// What a member of staff does in the venue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum Role {
    Waiter,
    Kitchen,
    Cashier,
    Manager,
}

impl Role {
    /// Opening tables, adding lines and sending orders.
    pub fn takes_orders(self) -> bool {
        matches!(self, Role::Waiter | Role::Cashier | Role::Manager)
    }

    /// Marking items ready, bumping and recalling tickets.
    pub fn works_stations(self) -> bool {
        matches!(self, Role::Kitchen | Role::Manager)
    }

    /// Saying a takeaway order is ready for pickup: the counter or the kitchen.
    pub fn calls_pickup(self) -> bool {
        self.takes_orders() || self.works_stations()
    }

    /// Seeing the floor plan and open orders.
    pub fn sees_floor(self) -> bool {
        self.takes_orders()
    }

    /// Seeing customers' phone numbers (takeaway orders): those who take the orders and
    /// hand them over, not the kitchen.
    pub fn sees_customer_contacts(self) -> bool {
        self.takes_orders()
    }

    /// Opening and closing the cash drawer's shift (float in, cash counted out).
    pub fn handles_cash(self) -> bool {
        matches!(self, Role::Cashier | Role::Manager)
    }

    /// The manager's pages: staff, configuration, reports.
    pub fn manages(self) -> bool {
        self == Role::Manager
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Waiter => "waiter",
            Role::Kitchen => "kitchen",
            Role::Cashier => "cashier",
            Role::Manager => "manager",
        }
    }
}

/// A member of staff as the API shows it (never with the PIN hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_managers_manage_and_kitchen_takes_no_orders() {
        assert!(Role::Manager.manages());
        assert!(!Role::Waiter.manages());
        assert!(!Role::Kitchen.takes_orders());
        assert!(Role::Kitchen.works_stations());
        assert!(!Role::Waiter.works_stations());
    }
}
