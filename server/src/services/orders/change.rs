//! Changing a line before it is sent (`change_line`): its quantity, options, seat,
//! course or note, checked by the same rules as a new line (`OrderLine::changed`). The
//! portions of a counted product follow its quantity.

use super::{finish, line_of, load_own, open_order, Change};
use crate::db::direct::{sql, Conn};
use crate::services::venue::menu_for;
use crate::services::{stock, ServiceError, ServiceResult};
use app::api::EventKind;
use app::domain::line_changes::LineChange;
use app::domain::orders::LineError;
use app::domain::{LineId, OrderId, StaffId};

/// Changes the unsent line `line_id` as `change` says. A line sent (or paid for by item)
/// is refused: it is voided instead.
pub fn change_line(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    line_id: LineId,
    change: &LineChange,
) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let current = load_own(conn, id)?;
    line_of(&current, line_id)?;
    let line = current
        .changeable_line(line_id)
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let menu = menu_for(conn, &[line.product_id])?;
    let changed = match line.changed(change, &menu) {
        Ok(changed) => changed,
        // Taken off the menu since: said by name.
        Err(LineError::UnknownProduct(product)) => {
            let why = crate::services::menu::off_the_menu(conn, product)?;
            return Err(ServiceError::invalid("product_id", why));
        }
        Err(e) => return Err(e.into()),
    };
    // The portions follow the quantity: more are taken (refused when too few are left),
    // fewer are given back.
    let more = changed.quantity - line.quantity;
    let counted = if more > 0 {
        stock::take(conn, &[(0, line.product_id, more)]).map_err(|e| match e {
            ServiceError::Invalid { message, .. } => ServiceError::invalid("quantity", message),
            e => e,
        })?
    } else if more < 0 && stock::give_back(conn, line.product_id, -more)? {
        vec![line.product_id]
    } else {
        vec![]
    };
    let options = serde_json::to_string(&changed.options)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    sql!(
        conn,
        "UPDATE order_lines SET quantity = ?, unit_price_minor = ?, options_json = ?, note = ?, course = ?, seat = ?
         WHERE id = ? AND status = 'new'",
        changed.quantity,
        changed.unit_price_minor,
        options,
        changed.note,
        changed.course,
        changed.seat,
        line_id
    )
    .execute()?;
    let outcome = finish(
        conn,
        id,
        false,
        Some((EventKind::LinesAdded, by, table_id, &[])),
    )?;
    super::lines::with_counted(conn, outcome, &counted)
}
