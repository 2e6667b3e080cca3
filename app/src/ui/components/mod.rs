//! Pieces several pages share.

mod cash_day_panel;
mod device_panel;
mod discount_sheet;
mod error_banner;
mod floor_plan;
mod money_rules_panel;
mod options_sheet;
mod payment_sheet;
mod print_panel;
mod printer_banner;
mod refund_panel;
mod refused_list;
mod sms_panel;
mod takeaway_sheet;
mod ticket_card;
mod top_bar;
mod void_sheet;
mod write_off_sheet;

pub use cash_day_panel::{ReportsPanel, ShiftPanel};
pub use device_panel::DevicePanel;
pub use discount_sheet::DiscountSheet;
pub use error_banner::ErrorBanner;
pub use floor_plan::FloorPlan;
pub use money_rules_panel::MoneyRulesPanel;
pub use options_sheet::OptionsSheet;
pub use payment_sheet::PaymentSheet;
pub use print_panel::PrintPanel;
pub use printer_banner::PrinterBanner;
pub use refund_panel::RefundPanel;
pub use refused_list::RefusedList;
pub use sms_panel::SmsPanel;
pub use takeaway_sheet::TakeawaySheet;
pub use ticket_card::TicketCard;
pub use top_bar::{SignInFirst, TopBar};
pub use void_sheet::VoidSheet;
pub use write_off_sheet::WriteOffSheet;
