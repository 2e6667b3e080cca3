//! Changing a line before it is sent: its quantity, options, seat, course or note
//! (the `change_line` operation), and finding the unsent line that a new one is the same
//! as, so a phone counts "3× Lager" on one line instead of adding three.

use super::menu::{unit_price_minor, Menu};
use super::orders::{LineError, LineStatus, NewLine, Order, OrderLine, UndoError, MAX_QUANTITY};
use super::{LineId, OptionId, StaffId};
use serde::{Deserialize, Deserializer, Serialize};

/// What a phone asks to change on a line not sent yet; what is absent stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineChange {
    /// 1 to 99.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// This many more (fewer when negative), on whatever the line has when the change
    /// arrives: two phones counting up one line both count. Not with `quantity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<i64>,
    /// The options chosen now, replacing those chosen before; the line is priced again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_ids: Option<Vec<OptionId>>,
    /// A seat (1 to 30), or null for the whole table.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>, nullable))]
    pub seat: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<i64>,
    /// At most 280 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A field that is present, even as null: absent is `None` (the serde default), null is
/// `Some(None)`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

impl LineChange {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        *self == LineChange::default()
    }

    /// What turns `line` into `asked` (the line as the waiter left it on the sheet): only
    /// what differs, so a change of seat does not price the line again.
    pub fn between(line: &OrderLine, asked: &NewLine) -> LineChange {
        let mut had: Vec<OptionId> = line.options.iter().map(|o| o.option_id).collect();
        let mut wants = asked.option_ids.clone();
        had.sort();
        wants.sort();
        let note = asked.note.trim();
        LineChange {
            quantity: (asked.quantity != line.quantity).then_some(asked.quantity),
            more: None,
            option_ids: (had != wants).then(|| asked.option_ids.clone()),
            seat: (asked.seat != line.seat).then_some(asked.seat),
            course: asked.course.filter(|c| *c != line.course),
            note: (note != line.note).then(|| note.to_owned()),
        }
    }
}

impl Order {
    /// The line `id`, if it may still be changed: never sent, and not paid for by item.
    pub fn changeable_line(&self, id: LineId) -> Result<&OrderLine, UndoError> {
        let line = self
            .lines
            .iter()
            .find(|l| l.id == id)
            .ok_or(UndoError::NoLine(id))?;
        if line.status != LineStatus::New {
            return Err(UndoError::LineMade(line.product_name.clone()));
        }
        if self
            .payments
            .iter()
            .any(|p| p.items.iter().any(|i| i.line_id == id))
        {
            return Err(UndoError::LinePaid(line.product_name.clone()));
        }
        Ok(line)
    }

    /// The unsent line that `new` is the same as (product, options, note, seat and
    /// course, which `new` must give), with room for its quantity: tapped again, it is counted up there. Only a
    /// line `me` added, and never across a discount: a line with one, or a new line the
    /// venue's rules discount (`discounted`: a happy hour began), stays a line of its own.
    pub fn same_unsent(&self, new: &NewLine, me: StaffId, discounted: bool) -> Option<&OrderLine> {
        if discounted {
            return None;
        }
        let mut wanted = new.option_ids.clone();
        wanted.sort();
        self.lines.iter().find(|l| {
            let mut options: Vec<OptionId> = l.options.iter().map(|o| o.option_id).collect();
            options.sort();
            l.status == LineStatus::New
                && l.product_id == new.product_id
                && options == wanted
                && l.note == new.note.trim()
                && l.seat == new.seat
                && new.course == Some(l.course)
                && l.quantity + new.quantity <= MAX_QUANTITY
                && l.added_by == me
                && !self.discounts.iter().any(|d| d.line_id == Some(l.id))
                && self.changeable_line(l.id).is_ok()
        })
    }
}

impl OrderLine {
    /// The line as `change` leaves it, checked as a new line is. Its price stays as it was
    /// taken unless the options change, which prices it again against `menu`. Portions it
    /// holds are its own: a product sold out since may still change seat, course, note or
    /// options, or be fewer, but not more.
    pub fn changed(&self, change: &LineChange, menu: &Menu) -> Result<OrderLine, LineError> {
        let quantity = match (change.quantity, change.more) {
            (None, None) if change.is_empty() => return Err(LineError::NoChange),
            (Some(_), Some(_)) => return Err(LineError::TwoQuantities),
            (Some(q), None) => q,
            // Out of range either way: 0 is refused as a quantity below.
            (None, Some(more)) => self.quantity.checked_add(more).unwrap_or(0),
            (None, None) => self.quantity,
        };
        let asked = NewLine {
            id: Some(self.id),
            product_id: self.product_id,
            quantity,
            option_ids: vec![],
            note: change.note.clone().unwrap_or_else(|| self.note.clone()),
            course: Some(change.course.unwrap_or(self.course)),
            seat: change.seat.unwrap_or(self.seat),
        };
        let note = asked.checked_note()?;
        let course = asked.course.unwrap_or(self.course);
        let product = menu.product(self.product_id);
        let (unit_price_minor, options) = match &change.option_ids {
            None => (self.unit_price_minor, self.options.clone()),
            Some(ids) => {
                let product = product.ok_or(LineError::UnknownProduct(self.product_id))?;
                let options = menu.resolve_options(product, ids)?;
                (unit_price_minor(product.price_minor, &options), options)
            }
        };
        let more = asked.quantity - self.quantity;
        if more > 0 {
            let product = product.ok_or(LineError::UnknownProduct(self.product_id))?;
            if !product.available {
                return Err(LineError::Unavailable(product.name.clone()));
            }
            if let Some(left) = product.stock_left.filter(|left| more > *left) {
                return Err(LineError::NotEnough(product.name.clone(), left));
            }
        }
        Ok(OrderLine {
            quantity: asked.quantity,
            unit_price_minor,
            options,
            note,
            course,
            seat: asked.seat,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::menu::tests::burger_menu;
    use crate::domain::TableId;
    use uuid::Uuid;

    fn oid(n: u128) -> OptionId {
        OptionId(Uuid::from_u128(n))
    }

    /// Who added the test order's line.
    fn nobody() -> StaffId {
        StaffId(Uuid::nil())
    }

    /// An order with one unsent burger (medium, no onions) for seat 2.
    fn order() -> (Order, Menu) {
        let (menu, burger) = burger_menu();
        let new = NewLine {
            id: None,
            product_id: burger.id,
            quantity: 1,
            option_ids: vec![oid(12), oid(31)],
            note: "allergy".into(),
            course: Some(2),
            seat: Some(2),
        };
        let p = new.price(&menu).unwrap();
        let line = OrderLine {
            id: LineId::new_v7(),
            product_id: p.product_id,
            product_name: p.product_name,
            station_id: p.station_id,
            quantity: 1,
            unit_price_minor: p.unit_price_minor,
            tax_rate_bp: p.tax_rate_bp,
            options: p.options,
            note: p.note,
            course: 2,
            seat: Some(2),
            status: LineStatus::New,
            ticket_id: None,
            added_by: StaffId(Uuid::nil()),
            created_at_ms: 0,
        };
        let order = Order::for_tests(Some(TableId(Uuid::nil())), vec![line]);
        (order, menu)
    }

    #[test]
    fn a_leave_out_reads_as_no_and_the_rest_by_name() {
        let (order, _) = order();
        let labels: Vec<String> = order.lines[0].options.iter().map(|o| o.label()).collect();
        assert_eq!(labels, ["Medium", "no Onions"]);
    }

    #[test]
    fn the_same_item_tapped_again_is_found_whatever_the_option_order() {
        let (order, menu) = order();
        let again = NewLine {
            id: None,
            product_id: menu.products[0].id,
            quantity: 1,
            option_ids: vec![oid(31), oid(12)],
            note: " allergy ".into(),
            course: Some(2),
            seat: Some(2),
        };
        assert_eq!(
            order.same_unsent(&again, nobody(), false).map(|l| l.id),
            Some(order.lines[0].id)
        );
        // Another seat, course, option or note is another line.
        for other in [
            NewLine {
                seat: None,
                ..again.clone()
            },
            NewLine {
                course: Some(1),
                ..again.clone()
            },
            NewLine {
                option_ids: vec![oid(12)],
                ..again.clone()
            },
            NewLine {
                note: String::new(),
                ..again.clone()
            },
            NewLine {
                quantity: MAX_QUANTITY,
                ..again.clone()
            },
        ] {
            assert_eq!(
                order.same_unsent(&other, nobody(), false),
                None,
                "{other:?}"
            );
        }
        // Another waiter's line, or a happy hour on either side, is not counted up.
        assert_eq!(order.same_unsent(&again, StaffId::new_v7(), false), None);
        assert_eq!(order.same_unsent(&again, nobody(), true), None);
        let mut discounted = order.clone();
        discounted
            .discounts
            .push(crate::domain::discounts::Discount {
                id: crate::domain::DiscountId::new_v7(),
                line_id: Some(order.lines[0].id),
                kind: crate::domain::discounts::DiscountKind::Percent,
                value: 2000,
                reason: "Happy hour".into(),
                rule: Some("happy-hour".into()),
                given_by: nobody(),
                approved_by: None,
                created_at_ms: 0,
            });
        assert_eq!(discounted.same_unsent(&again, nobody(), false), None);
        // Once sent, it is not counted up.
        let mut sent = order.clone();
        sent.lines[0].status = LineStatus::Sent;
        assert_eq!(sent.same_unsent(&again, nobody(), false), None);
    }

    #[test]
    fn a_change_keeps_the_price_unless_the_options_change() {
        let (order, menu) = order();
        let line = &order.lines[0];
        let moved = line
            .changed(
                &LineChange {
                    seat: Some(None),
                    course: Some(3),
                    quantity: Some(3),
                    note: Some("  no salt ".into()),
                    ..LineChange::default()
                },
                &menu,
            )
            .unwrap();
        assert_eq!(
            (
                moved.seat,
                moved.course,
                moved.quantity,
                moved.note.as_str()
            ),
            (None, 3, 3, "no salt")
        );
        assert_eq!(moved.unit_price_minor, line.unit_price_minor);
        assert_eq!(moved.options, line.options);

        let cheese = LineChange {
            option_ids: Some(vec![oid(13), oid(21)]),
            ..LineChange::default()
        };
        let repriced = line.changed(&cheese, &menu).unwrap();
        assert_eq!(repriced.unit_price_minor, 1300);
        let names: Vec<String> = repriced.options.iter().map(|o| o.label()).collect();
        assert_eq!(names, ["Well done", "Cheese"]);
    }

    #[test]
    fn a_change_is_checked_as_a_new_line_is() {
        let (order, mut menu) = order();
        let line = &order.lines[0];
        let change = |c: LineChange| line.changed(&c, &menu).map_err(|e| e.field());
        let quantity = |q| LineChange {
            quantity: Some(q),
            ..LineChange::default()
        };
        assert_eq!(change(quantity(0)), Err("quantity"));
        assert_eq!(change(quantity(100)), Err("quantity"));
        let course = LineChange {
            course: Some(10),
            ..LineChange::default()
        };
        assert_eq!(change(course), Err("course"));
        let seat = LineChange {
            seat: Some(Some(31)),
            ..LineChange::default()
        };
        assert_eq!(change(seat), Err("seat"));
        let note = LineChange {
            note: Some("x".repeat(281)),
            ..LineChange::default()
        };
        assert_eq!(change(note), Err("note"));
        // Two choices from a group of one.
        let options = LineChange {
            option_ids: Some(vec![oid(11), oid(12)]),
            ..LineChange::default()
        };
        assert_eq!(change(options), Err("option_ids"));

        // Sold out since: it may move seat or be fewer, but not more.
        menu.products[0].available = false;
        menu.products[0].stock_left = Some(0);
        let line = &order.lines[0];
        let seat = LineChange {
            seat: Some(Some(1)),
            ..LineChange::default()
        };
        assert!(line.changed(&seat, &menu).is_ok());
        assert_eq!(
            line.changed(&quantity(2), &menu),
            Err(LineError::Unavailable("Burger".into()))
        );
    }

    #[test]
    fn only_an_unsent_unpaid_line_changes() {
        let (mut order, _) = order();
        let id = order.lines[0].id;
        assert!(order.changeable_line(id).is_ok());
        assert!(matches!(
            order.changeable_line(LineId::new_v7()),
            Err(UndoError::NoLine(_))
        ));
        order.lines[0].status = LineStatus::Sent;
        assert_eq!(
            order.changeable_line(id).unwrap_err().to_string(),
            "Burger was sent already: it can no longer be changed"
        );
    }

    #[test]
    fn more_counts_on_what_the_line_has_and_nothing_is_no_change() {
        let (order, menu) = order();
        let line = &order.lines[0];
        let more = |n| LineChange {
            more: Some(n),
            ..LineChange::default()
        };
        assert_eq!(line.changed(&more(2), &menu).map(|l| l.quantity), Ok(3));
        assert_eq!(line.changed(&more(-1), &menu), Err(LineError::Quantity(0)));
        assert_eq!(
            line.changed(&more(i64::MAX), &menu),
            Err(LineError::Quantity(0))
        );
        let both = LineChange {
            quantity: Some(2),
            more: Some(1),
            ..LineChange::default()
        };
        assert_eq!(line.changed(&both, &menu), Err(LineError::TwoQuantities));
        assert_eq!(
            line.changed(&LineChange::default(), &menu),
            Err(LineError::NoChange)
        );
    }

    #[test]
    fn a_sheet_saved_changes_only_what_differs() {
        let (order, _) = order();
        let line = &order.lines[0];
        let same = NewLine {
            id: Some(line.id),
            product_id: line.product_id,
            quantity: 1,
            option_ids: vec![oid(31), oid(12)],
            note: "allergy ".into(),
            course: Some(2),
            seat: Some(2),
        };
        assert!(LineChange::between(line, &same).is_empty());
        let moved = NewLine {
            seat: None,
            quantity: 2,
            ..same.clone()
        };
        assert_eq!(
            LineChange::between(line, &moved),
            LineChange {
                seat: Some(None),
                quantity: Some(2),
                ..LineChange::default()
            }
        );
        let rare = NewLine {
            option_ids: vec![oid(11)],
            ..same
        };
        assert_eq!(
            LineChange::between(line, &rare).option_ids,
            Some(vec![oid(11)])
        );
    }

    #[test]
    fn a_change_travels_as_the_issue_writes_it() {
        let json = r#"{"quantity":2,"seat":null,"note":"x"}"#;
        let change: LineChange = serde_json::from_str(json).unwrap();
        assert_eq!(change.seat, Some(None));
        assert_eq!(change.quantity, Some(2));
        let absent: LineChange = serde_json::from_str(r#"{"course":3}"#).unwrap();
        assert_eq!(absent.seat, None);
        assert_eq!(serde_json::to_string(&absent).unwrap(), r#"{"course":3}"#);
        assert!(LineChange::default().is_empty());
    }
}
