//! Kitchen tickets: one per station per send, holding only the lines not sent before, and
//! the age colouring that tells a cook which ticket is late, and the "all day" counts of
//! what is still to make.

use super::menu::ChosenOption;
use super::orders::LineStatus;
use super::{LineId, OrderId, StationId, TicketId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: TicketId,
    pub order_id: OrderId,
    pub order_number: i64,
    pub station_id: StationId,
    /// Where it goes: "Table 7", or "Takeaway Ana".
    pub destination: String,
    pub waiter_name: String,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    /// Set when the ticket was bumped (all done); cleared by a recall.
    pub bumped_at_ms: Option<i64>,
    /// A VOID ticket: its lines are taken back, not to be made.
    #[serde(default)]
    pub void: bool,
    pub lines: Vec<TicketLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketLine {
    pub line_id: LineId,
    /// The product's kitchen name when it has one (the ticket's short name), else its name.
    pub product_name: String,
    pub quantity: i64,
    pub options: Vec<ChosenOption>,
    pub note: String,
    pub course: i64,
    pub status: LineStatus,
    /// The guest's seat; None for the whole table.
    #[serde(default)]
    pub seat: Option<i64>,
}

/// How many bumped tickets a station's "recently done" list keeps.
pub const RECENTLY_DONE: usize = 12;

/// A station's screen: open tickets oldest first, and the most recently bumped ones
/// (newest first, at most [`RECENTLY_DONE`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StationTickets {
    pub active: Vec<Ticket>,
    pub done: Vec<Ticket>,
    /// The live stream's last event when these were read: the screen applies the
    /// events after it as deltas (`crate::delta`).
    #[serde(default)]
    pub seq: i64,
}

impl StationTickets {
    /// Puts `ticket` where a fresh read would show it: replacing what was shown of it,
    /// among the open ones (oldest first) or the recently done (newest first).
    pub fn put(&mut self, ticket: Ticket) {
        self.active.retain(|t| t.id != ticket.id);
        self.done.retain(|t| t.id != ticket.id);
        let key = |t: &Ticket| (t.created_at_ms, t.id);
        match ticket.bumped_at_ms {
            None => {
                let at = self.active.partition_point(|t| key(t) < key(&ticket));
                self.active.insert(at, ticket);
            }
            Some(bumped) => {
                let at = self.done.partition_point(|t| {
                    (std::cmp::Reverse(t.bumped_at_ms), key(t))
                        < (std::cmp::Reverse(Some(bumped)), key(&ticket))
                });
                self.done.insert(at, ticket);
                self.done.truncate(RECENTLY_DONE);
            }
        }
    }

    /// What is still to make ("all day"): each item's quantity summed over the open
    /// tickets, whatever its options, most first, then by name. Items ready, served or
    /// voided, and VOID tickets, are left out.
    pub fn all_day(&self) -> Vec<(String, i64)> {
        let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
        let to_make = self
            .active
            .iter()
            .filter(|t| !t.void)
            .flat_map(|t| &t.lines)
            .filter(|l| matches!(l.status, LineStatus::Sent | LineStatus::Preparing));
        for line in to_make {
            let count = counts.entry(line.product_name.as_str()).or_default();
            *count = count.saturating_add(line.quantity);
        }
        let mut all: Vec<(String, i64)> =
            counts.into_iter().map(|(n, q)| (n.to_owned(), q)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all
    }
}

/// How urgent a ticket looks on the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    Fresh,
    /// Past the station's warning threshold: yellow.
    Warn,
    /// Past the station's late threshold: red.
    Late,
}

impl Age {
    pub fn of(age_secs: i64, warn_after_secs: i64, late_after_secs: i64) -> Self {
        if age_secs >= late_after_secs {
            Age::Late
        } else if age_secs >= warn_after_secs {
            Age::Warn
        } else {
            Age::Fresh
        }
    }

    pub fn css_class(self) -> &'static str {
        match self {
            Age::Fresh => "age-fresh",
            Age::Warn => "age-warn",
            Age::Late => "age-late",
        }
    }
}

/// `m:ss` under an hour, `h:mm:ss` beyond.
pub fn format_age(age_secs: i64) -> String {
    let s = age_secs.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(void: bool, lines: &[(&str, i64, LineStatus)]) -> Ticket {
        Ticket {
            id: TicketId::new_v7(),
            order_id: OrderId::new_v7(),
            order_number: 1,
            station_id: StationId("kitchen".into()),
            destination: "Table 1".into(),
            waiter_name: "Ana".into(),
            created_at_ms: 0,
            bumped_at_ms: None,
            void,
            lines: lines
                .iter()
                .map(|(name, quantity, status)| TicketLine {
                    line_id: LineId::new_v7(),
                    product_name: (*name).into(),
                    quantity: *quantity,
                    options: vec![],
                    note: String::new(),
                    course: 1,
                    status: *status,
                    seat: None,
                })
                .collect(),
        }
    }

    #[test]
    fn all_day_counts_what_is_still_to_make_most_first() {
        use LineStatus::*;
        let screen = StationTickets {
            active: vec![
                ticket(
                    false,
                    &[
                        ("Burger", 2, Sent),
                        ("Salad", 1, Ready),
                        ("Fries", 1, Preparing),
                    ],
                ),
                ticket(
                    false,
                    &[("Burger", 3, Sent), ("Fries", 1, Sent), ("Soup", 1, Void)],
                ),
                // Taken back: not to be made.
                ticket(true, &[("Burger", 1, Void)]),
            ],
            ..StationTickets::default()
        };
        assert_eq!(
            screen.all_day(),
            [("Burger".to_owned(), 5), ("Fries".to_owned(), 2)]
        );
    }

    #[test]
    fn ages_turn_yellow_then_red_at_the_thresholds() {
        assert_eq!(Age::of(0, 300, 600), Age::Fresh);
        assert_eq!(Age::of(299, 300, 600), Age::Fresh);
        assert_eq!(Age::of(300, 300, 600), Age::Warn);
        assert_eq!(Age::of(600, 300, 600), Age::Late);
    }

    #[test]
    fn formats_ages_like_a_kitchen_clock() {
        assert_eq!(format_age(5), "0:05");
        assert_eq!(format_age(754), "12:34");
        assert_eq!(format_age(3723), "1:02:03");
        assert_eq!(format_age(-3), "0:00");
    }
}
