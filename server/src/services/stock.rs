//! Portions left of the products a venue counts (`Product::stock_left`): lines taken count
//! them down inside the same write, so two phones cannot both take the last one; at 0 the
//! product is sold out. A line taken off before it was sent gives its portions back.
//! The products counted travel on the order's live event (`LiveEvent::products`), so
//! phones show what is left without fetching the menu again.

use crate::db::direct::{sql, Conn};
use crate::services::venue::menu_for;
use crate::services::{ServiceError, ServiceResult};
use app::domain::menu::Product;
use app::domain::ProductId;

/// Counts down `quantity` of each product that is counted, refusing the whole request
/// (the caller's write rolls back) when one has fewer left. `lines` are (index in the
/// request, product, quantity). Returns the products counted.
pub fn take(conn: &Conn, lines: &[(usize, ProductId, i64)]) -> ServiceResult<Vec<ProductId>> {
    let mut counted = Vec::new();
    for (i, product, quantity) in lines {
        let row: Option<(String, Option<i64>)> = sql!(
            conn,
            "SELECT name, stock_left FROM products WHERE id = ? AND stock_left IS NOT NULL",
            product
        )
        .optional(|r| Ok((r.get(0)?, r.get(1)?)))?;
        let Some((name, left)) = row else { continue };
        let left = left.unwrap_or(0);
        if *quantity > left {
            let message = match left {
                0 => format!("{name} is sold out"),
                n => format!("only {n} {name} left"),
            };
            return Err(ServiceError::invalid(
                format!("lines[{i}].quantity"),
                message,
            ));
        }
        sql!(
            conn,
            "UPDATE products SET stock_left = stock_left - ?1,
                    available = CASE WHEN stock_left - ?1 = 0 THEN 0 ELSE available END
             WHERE id = ?2",
            quantity,
            product
        )
        .execute()?;
        if !counted.contains(product) {
            counted.push(*product);
        }
    }
    Ok(counted)
}

/// Gives back `quantity` of a counted product (a line taken off before it was made); a
/// product sold out by its count is on sale again. Whether it is counted.
pub fn give_back(conn: &Conn, product: ProductId, quantity: i64) -> ServiceResult<bool> {
    let done = sql!(
        conn,
        "UPDATE products SET available = CASE WHEN stock_left = 0 THEN 1 ELSE available END,
                stock_left = MIN(stock_left + ?, 100000)
         WHERE id = ? AND stock_left IS NOT NULL",
        quantity,
        product
    )
    .execute()?;
    Ok(done > 0)
}

/// The products `ids` as phones have them, for the event that counted them.
pub fn products(conn: &Conn, ids: &[ProductId]) -> ServiceResult<Vec<Product>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(menu_for(conn, ids)?.products)
}
