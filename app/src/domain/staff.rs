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

/// What a role may do beyond its fixed work, as the managers set it. Managers may do
/// everything (`RolePermissions::manager`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RolePermissions {
    pub role: Role,
    /// May mark products sold out (86) and back, and say how many portions are left.
    pub sells_out: bool,
    /// May open the cash drawer by hand.
    pub opens_drawer: bool,
    /// Discounts up to this much on an order (minor units) need no manager's PIN; None:
    /// the venue's limit.
    pub discount_limit_minor: Option<i64>,
    /// Voids of sent items worth up to this need no manager's PIN; None: the venue's
    /// limit.
    pub void_limit_minor: Option<i64>,
}

impl RolePermissions {
    /// A manager's: everything, with the venue's limits (a manager approves with their
    /// own PIN).
    pub fn manager() -> Self {
        RolePermissions {
            role: Role::Manager,
            sells_out: true,
            opens_drawer: true,
            discount_limit_minor: None,
            void_limit_minor: None,
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

/// PINs anyone would try first: keypad patterns, years and favourites, beyond the runs and
/// repeats `check_new_pin` refuses by rule.
const COMMON_PINS: [&str; 8] = [
    "2580", "0852", "1004", "2000", "1122", "6969", "1313", "0007",
];

/// Whether `pin` may become someone's PIN: 4 to 8 digits, and not one that a stranger
/// would guess in a few tries (one digit repeated, a run up or down the keypad such as
/// 1234 or 9876, a repeated pair such as 1212, or a well-known one such as 2580). The
/// reason, when it may not, is said to the person choosing it.
pub fn check_new_pin(pin: &str) -> Result<(), &'static str> {
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err("a PIN is 4 to 8 digits");
    }
    let digits: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    let steps: Vec<i8> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    if steps.iter().all(|s| *s == 0) {
        return Err("a PIN of one digit repeated is guessed at once");
    }
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Err("a PIN counting up or down is guessed at once");
    }
    if digits.len().is_multiple_of(2) && digits.chunks(2).all(|pair| pair == &digits[..2]) {
        return Err("a PIN of one pair repeated is guessed at once");
    }
    if COMMON_PINS.contains(&pin) {
        return Err("this PIN is one of the first that people try");
    }
    Ok(())
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

    #[test]
    fn easy_pins_are_refused_and_ordinary_ones_taken() {
        for weak in [
            "0000", "1111", "1234", "4321", "6789", "98765", "1212", "909090", "2580",
        ] {
            assert!(check_new_pin(weak).is_err(), "{weak}");
        }
        for bad in ["", "123", "123456789", "12a4", "١٢٣٤"] {
            assert_eq!(check_new_pin(bad), Err("a PIN is 4 to 8 digits"), "{bad}");
        }
        for fine in ["9000", "4711", "1357", "20481", "86420135"] {
            assert_eq!(check_new_pin(fine), Ok(()), "{fine}");
        }
    }
}
