//! The restaurant's vocabulary: ids, money, staff, menu, floor, orders, bills,
//! takeaway customers, barcodes and kitchen tickets.

pub mod bill;
pub mod cash_day;
pub mod courses;
pub mod discounts;
pub mod first_run;
pub mod floor;
pub mod ids;
pub mod kitchen;
pub mod line_changes;
pub mod menu;
pub mod money;
pub mod orders;
pub mod payments;
pub mod pick_items;
pub mod reports;
pub mod scanning;
pub mod split;
pub mod staff;
pub mod status;
pub mod takeaway;
pub mod transfers;

pub use ids::*;
pub use money::Money;
