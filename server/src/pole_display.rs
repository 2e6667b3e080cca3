//! What the customer pole display (2 lines of 20 characters, ESC/POS display command set)
//! shows: the last item rung up and the order's total, and "Thank you" when the order is
//! paid or handed over. Each screen is sent whole: clear (0x0C), then 40 characters, which the
//! display's overwrite mode lays out as two lines. Text is CP437, transliterated where the
//! page lacks a character (€ becomes EUR).

use app::domain::orders::{LineStatus, Order};
use app::domain::Money;
use escpos::utils::PageCode;

pub const WIDTH: usize = 20;
const CLEAR: u8 = 0x0C;

/// A whole screen: `top` and `bottom`, each cut or padded to the display's width.
pub fn screen(top: &str, bottom: &str) -> Vec<u8> {
    let mut bytes = vec![CLEAR];
    for line in [top, bottom] {
        let fitted = crate::printing::fit_code_page(line, PageCode::PC437);
        let mut text: String = fitted.chars().take(WIDTH).collect();
        while text.chars().count() < WIDTH {
            text.push(' ');
        }
        bytes.extend(crate::printing::encode(&text, PageCode::PC437));
    }
    bytes
}

/// `left` and `right` on one line, `right` flush with the edge.
fn spread(left: &str, right: &str) -> String {
    let room = WIDTH.saturating_sub(right.chars().count() + 1);
    let left: String = left.chars().take(room).collect();
    format!(
        "{left:<width$}{right}",
        width = WIDTH - right.chars().count()
    )
}

/// The screen for `order` now: its last item with quantity and price, and the total.
/// None when it has no items yet.
pub fn for_order(order: &Order, currency: &str) -> Option<Vec<u8>> {
    let last = order
        .lines
        .iter()
        .rev() // lines come oldest first
        .find(|l| l.status != LineStatus::Void)?;
    let item = if last.quantity > 1 {
        format!("{}x {}", last.quantity, last.product_name)
    } else {
        last.product_name.clone()
    };
    let price = Money::new(last.total_minor(), currency).to_string();
    let total = Money::new(order.total_minor(), currency).to_string();
    Some(screen(
        &spread(&item, &fit(&price)),
        &spread("TOTAL", &fit(&total)),
    ))
}

/// The screen after the order is handed over.
pub fn thank_you(venue: &str) -> Vec<u8> {
    screen(&centred("Thank you!"), &centred(venue))
}

fn fit(text: &str) -> String {
    crate::printing::fit_code_page(text, PageCode::PC437)
}

fn centred(text: &str) -> String {
    let text: String = fit(text).chars().take(WIDTH).collect();
    let pad = (WIDTH - text.chars().count()) / 2;
    format!("{}{text}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        bytes[1..].iter().map(|&b| b as char).collect()
    }

    #[test]
    fn a_screen_is_two_lines_of_twenty() {
        let s = screen("Crème brûlée", "TOTAL");
        assert_eq!(s[0], CLEAR);
        assert_eq!(s.len(), 1 + 2 * WIDTH);
        // CP437 has è (0x8A) and û (0x96).
        assert_eq!(&s[1..13], b"Cr\x8Ame br\x96l\x82e");
    }

    #[test]
    fn long_names_are_cut_and_prices_stay_whole() {
        assert_eq!(
            spread("A very long product name indeed", "EUR12.50"),
            "A very long EUR12.50"
        );
        assert_eq!(spread("TOTAL", "EUR6.50"), "TOTAL        EUR6.50");
        assert_eq!(
            text(&thank_you("Trattoria Comanda")),
            "     Thank you!      Trattoria Comanda  "
        );
    }
}
