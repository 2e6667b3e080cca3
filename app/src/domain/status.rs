//! How an order's lines and the order itself change status: send, serve, ready for pickup,
//! close. Each is a pure change of an `Order`, so the server (which then writes what
//! changed) and a phone offline (`LocalView`) follow the very same rule. Cancelling and
//! taking off a line are checked by `Order::check_cancel` and `check_remove_line`.

use super::bill::{TaxMode, TaxRounding};
use super::orders::{LineStatus, Order};
use super::{LineId, StationId};
use thiserror::Error;

/// Why an order cannot change status as asked.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StatusError {
    #[error("order {0} is at a table; only takeaway orders are called for pickup")]
    NotTakeaway(i64),
    #[error("order {0} has no items yet")]
    NoItems(i64),
    #[error("order {0} has items not sent yet; send them first")]
    NotSent(i64),
    /// What is left, in the venue's currency.
    #[error("order {number} still has {left} to pay")]
    LeftToPay { number: i64, left: String },
    /// The first course held, by name: closing would leave it never made.
    #[error("{0} still held: fire them before closing")]
    Held(String),
}

/// The lines one send puts on one station's ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StationTicket {
    pub station_id: StationId,
    pub line_ids: Vec<LineId>,
}

impl StationTicket {
    /// The tickets a send of `unsent` lines (id and station, in the order's line order)
    /// makes: one per station, in station order. The server, which reads only the unsent
    /// lines, and `Order::send` both group them here.
    pub fn group(unsent: impl IntoIterator<Item = (LineId, StationId)>) -> Vec<StationTicket> {
        let mut tickets: Vec<StationTicket> = Vec::new();
        for (line_id, station_id) in unsent {
            match tickets.iter_mut().find(|t| t.station_id == station_id) {
                Some(ticket) => ticket.line_ids.push(line_id),
                None => tickets.push(StationTicket {
                    station_id,
                    line_ids: vec![line_id],
                }),
            }
        }
        tickets.sort_by(|a, b| a.station_id.0.cmp(&b.station_id.0));
        tickets
    }
}

impl Order {
    /// Sends the lines never sent: they become Sent, one ticket per station (in station
    /// order). Nothing new, no ticket.
    pub fn send(&mut self) -> Vec<StationTicket> {
        self.fire(super::courses::Firing::send(None))
    }

    /// Sends the lines never sent of the courses `firing` takes (they become Sent, one
    /// ticket per station, in station order), and holds the courses it holds.
    pub fn fire(&mut self, firing: super::courses::Firing) -> Vec<StationTicket> {
        self.held_from = firing.held_from;
        let unsent = self
            .lines
            .iter_mut()
            .filter(|l| l.status == LineStatus::New && firing.takes(l.course))
            .map(|line| {
                line.status = LineStatus::Sent;
                (line.id, line.station_id.clone())
            });
        StationTicket::group(unsent)
    }

    /// Marks every ready line served; returns those lines.
    pub fn serve_ready(&mut self) -> Vec<LineId> {
        self.lines
            .iter_mut()
            .filter(|l| l.status == LineStatus::Ready)
            .map(|l| {
                l.status = LineStatus::Served;
                l.id
            })
            .collect()
    }

    /// Calls a takeaway order for pickup: every line in the making becomes ready. Only
    /// a takeaway with items, all of them sent.
    pub fn ready_for_pickup(&mut self) -> Result<Vec<LineId>, StatusError> {
        if self.takeaway.is_none() {
            return Err(StatusError::NotTakeaway(self.number));
        }
        if self.lines.iter().all(|l| l.status == LineStatus::Void) {
            return Err(StatusError::NoItems(self.number));
        }
        if self.lines.iter().any(|l| l.status == LineStatus::New) {
            return Err(StatusError::NotSent(self.number));
        }
        Ok(self
            .lines
            .iter_mut()
            .filter(|l| matches!(l.status, LineStatus::Sent | LineStatus::Preparing))
            .map(|l| {
                l.status = LineStatus::Ready;
                l.id
            })
            .collect())
    }

    /// Whether the order may close: its bill is paid (written off counts as paid), and no
    /// course is held (paid for, it would never be made). `money` formats what is left for
    /// the message.
    pub fn check_close(
        &self,
        mode: TaxMode,
        rounding: TaxRounding,
        money: impl Fn(i64) -> String,
    ) -> Result<(), StatusError> {
        match self.left_to_pay(mode, rounding) {
            left if left > 0 => Err(StatusError::LeftToPay {
                number: self.number,
                left: money(left),
            }),
            _ => match self.held_courses().first() {
                Some(course) => Err(StatusError::Held(super::courses::name(*course))),
                None => Ok(()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::split::tests::{line, order};
    use crate::domain::takeaway::Takeaway;

    #[test]
    fn a_paid_order_with_a_course_held_does_not_close() {
        let mut o = order(vec![line(500, 1, 1000, None), line(700, 1, 1000, None)]);
        o.lines[1].status = LineStatus::New;
        o.lines[1].course = 3;
        o.held_from = Some(3);
        let free = |_: i64| String::new();
        let (mode, rounding) = (TaxMode::Inclusive, TaxRounding::PerBill);
        crate::domain::split::tests::pay_items(&mut o, vec![], 1200);
        assert_eq!(
            o.check_close(mode, rounding, free).unwrap_err().to_string(),
            "Desserts still held: fire them before closing"
        );
        o.held_from = None;
        assert!(o.check_close(mode, rounding, free).is_ok());
    }

    #[test]
    fn a_send_tickets_only_new_lines_one_ticket_per_station() {
        let mut o = order(vec![
            line(500, 1, 1000, None),
            line(700, 1, 1000, None),
            line(900, 1, 1000, None),
        ]);
        o.lines[0].status = LineStatus::New;
        o.lines[1].status = LineStatus::New;
        o.lines[1].station_id = StationId("bar".into());
        let tickets = o.send();
        assert_eq!(
            tickets,
            vec![
                StationTicket {
                    station_id: StationId("bar".into()),
                    line_ids: vec![o.lines[1].id]
                },
                StationTicket {
                    station_id: StationId("kitchen".into()),
                    line_ids: vec![o.lines[0].id]
                },
            ]
        );
        assert!(o.lines.iter().all(|l| l.status == LineStatus::Sent));
        assert_eq!(o.send(), vec![], "a second send tickets nothing");
    }

    #[test]
    fn serving_takes_only_ready_lines() {
        let mut o = order(vec![line(500, 1, 1000, None), line(700, 1, 1000, None)]);
        o.lines[1].status = LineStatus::Ready;
        assert_eq!(o.serve_ready(), vec![o.lines[1].id]);
        assert_eq!(o.lines[0].status, LineStatus::Sent);
        assert_eq!(o.lines[1].status, LineStatus::Served);
    }

    #[test]
    fn only_a_sent_takeaway_is_called_for_pickup() {
        let mut o = order(vec![line(500, 1, 1000, None)]);
        o.number = 7;
        assert_eq!(o.ready_for_pickup(), Err(StatusError::NotTakeaway(7)));
        o.takeaway = Some(Takeaway {
            customer_name: "Zoe".into(),
            phone: None,
            sms_consent: false,
            language: "en".into(),
            sms: None,
        });
        o.lines.push(line(300, 1, 1000, None));
        o.lines[1].status = LineStatus::New;
        assert_eq!(o.ready_for_pickup(), Err(StatusError::NotSent(7)));
        o.lines[1].status = LineStatus::Void;
        assert_eq!(o.ready_for_pickup(), Ok(vec![o.lines[0].id]));
        assert_eq!(o.lines[0].status, LineStatus::Ready);
        o.lines[0].status = LineStatus::Void;
        assert_eq!(o.ready_for_pickup(), Err(StatusError::NoItems(7)));
    }

    #[test]
    fn an_order_closes_only_when_paid() {
        let money = |m: i64| format!("€{}.{:02}", m / 100, m % 100);
        let o = order(vec![line(500, 1, 1000, None)]);
        let refused = o.check_close(TaxMode::Inclusive, TaxRounding::PerBill, money);
        assert_eq!(
            refused.unwrap_err().to_string(),
            "order 1 still has €5.00 to pay"
        );
        let empty = order(vec![]);
        assert_eq!(
            empty.check_close(TaxMode::Inclusive, TaxRounding::PerBill, money),
            Ok(())
        );
    }
}
