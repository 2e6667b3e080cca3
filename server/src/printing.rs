//! What goes on paper: kitchen tickets and bills rendered as ESC/POS bytes with the
//! `escpos` crate, for a printer's paper width and code page.
//!
//! Thermal printers print bytes of one code page, never UTF-8. A character the printer's
//! code page has is sent as that byte ("é" in CP858); any other is transliterated to ASCII
//! ("Ελληνικά" on a CP858 printer prints "Ellenika"), so raw UTF-8 never reaches the paper.
//!
//! Text is encoded here, not by `Printer::write`: escpos 0.20's CP858 table lists the ASCII
//! hyphen where the soft hyphen (0xF0) belongs, so its `write` turns every "-" into 0xF0.
//! ASCII is sent as itself; other characters take their byte from the crate's tables.

use app::domain::bill::{rate_label, round_cash, BillTotals, TaxMode};
use app::domain::cash_day::{Report, ReportKind};
use app::domain::kitchen::Ticket;
use app::domain::menu::OptionKind;
use app::domain::orders::{LineStatus, Order};
use app::domain::Money;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{CashDrawer, JustifyMode, PageCode, Protocol};
use std::cell::RefCell;
use std::rc::Rc;

/// The code pages Comanda configures printers with, by the name stored in `printers`.
pub fn page_code(name: &str) -> Option<PageCode> {
    Some(match name {
        "CP437" => PageCode::PC437,
        "CP737" => PageCode::PC737,
        "CP858" => PageCode::PC858,
        "CP866" => PageCode::PC866,
        "CP1252" => PageCode::WPC1252,
        _ => return None,
    })
}

/// Collects what the printer library would send.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "capture".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// How a printer is set up.
#[derive(Clone, Debug)]
pub struct PaperSetup {
    /// 32 (58 mm) or 48 (80 mm).
    pub columns: usize,
    pub code_page: PageCode,
}

impl PaperSetup {
    /// The setup of a printer as stored: its code page's name and its columns.
    pub fn of(code_page: &str, columns: i64) -> Result<Self, String> {
        let code_page =
            page_code(code_page).ok_or_else(|| format!("unknown code page {code_page}"))?;
        Ok(PaperSetup {
            columns: columns as usize,
            code_page,
        })
    }

    /// A printer for this paper whose bytes are captured rather than sent.
    fn printer(&self) -> (Capture, Printer<Capture>) {
        let capture = Capture::default();
        let options = PrinterOptions::new(Some(self.code_page), None, self.columns as u8);
        let printer = Printer::new(capture.clone(), Protocol::default(), Some(options));
        (capture, printer)
    }

    /// `text` as one line in this paper's code page.
    fn line(&self, text: &str) -> Vec<u8> {
        let mut bytes = encode(text, self.code_page);
        bytes.push(b'\n');
        bytes
    }
}

/// The byte for `c` in `page`: ASCII as itself, others from the escpos tables.
fn byte_of(c: char, page: PageCode) -> Option<u8> {
    if c.is_ascii() {
        return (!c.is_ascii_control()).then_some(c as u8);
    }
    let capture = Capture::default();
    let options = PrinterOptions::new(Some(page), None, 48);
    let mut printer = Printer::new(capture.clone(), Protocol::default(), Some(options));
    printer.write(&c.to_string()).and_then(|p| p.print()).ok()?;
    let bytes = capture.0.borrow();
    // A character missing from the table comes back as its UTF-8, more than one byte.
    (bytes.len() == 1).then(|| bytes[0])
}

/// `text` with every character the code page lacks replaced by an ASCII transliteration.
pub fn fit_code_page(text: &str, page: PageCode) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if byte_of(c, page).is_some() {
            out.push(c);
        } else if !c.is_control() {
            out.push_str(deunicode::deunicode_char(c).unwrap_or("?"));
        }
    }
    out
}

/// `text` as bytes of `page`, transliterating what it lacks.
pub fn encode(text: &str, page: PageCode) -> Vec<u8> {
    fit_code_page(text, page)
        .chars()
        .filter_map(|c| byte_of(c, page))
        .collect()
}

/// A kitchen ticket for one station. `follow_up` marks tickets after the order's first at
/// this station ("ADDED"); `reprint` marks copies of a ticket that may have printed already.
pub fn kitchen_ticket(
    setup: &PaperSetup,
    station_name: &str,
    ticket: &Ticket,
    follow_up: bool,
    reprint: bool,
) -> Result<Vec<u8>, String> {
    let (capture, mut p) = setup.printer();
    let line = |s: &str| setup.line(s);
    let rule = "-".repeat(setup.columns);
    let time = {
        let minutes = ticket.created_at_ms.div_euclid(60_000).rem_euclid(24 * 60);
        format!("{:02}:{:02} UTC", minutes / 60, minutes % 60)
    };
    let mut run = || -> escpos::errors::Result<()> {
        p.init()?.page_code(setup.code_page)?;
        if reprint {
            p.justify(JustifyMode::CENTER)?
                .bold(true)?
                .size(2, 2)?
                .custom(&line("REPRINT"))?
                .size(1, 1)?
                .bold(false)?;
        }
        p.justify(JustifyMode::CENTER)?
            .bold(true)?
            .size(2, 2)?
            .custom(&line(station_name))?
            .size(1, 1)?;
        if ticket.void {
            p.reverse(true)?
                .size(2, 2)?
                .custom(&line(" VOID - DO NOT MAKE "))?
                .size(1, 1)?
                .reverse(false)?;
        } else if follow_up {
            p.custom(&line("** ADDED **"))?;
        }
        p.bold(false)?.justify(JustifyMode::LEFT)?;
        p.bold(true)?.size(2, 1)?.custom(&line(&format!(
            "{}  #{}",
            ticket.destination, ticket.order_number
        )))?;
        p.size(1, 1)?
            .bold(false)?
            .custom(&line(&format!("{}  {time}", ticket.waiter_name)))?
            .custom(&line(&rule))?;
        let mut course = None;
        for l in &ticket.lines {
            // As the station screen heads them: a course after the starters, or a change.
            if course.is_some_and(|c| c != l.course) || (course.is_none() && l.course > 1) {
                let name = app::domain::courses::name(l.course).to_uppercase();
                p.custom(&line(&format!("-- {name} --")))?;
            }
            course = Some(l.course);
            // A line voided after it was sent is marked when its ticket is reprinted.
            let void = if ticket.void || l.status == LineStatus::Void {
                "VOID "
            } else {
                ""
            };
            let seat = l.seat.map(|s| format!(" S{s}")).unwrap_or_default();
            p.bold(true)?.size(2, 2)?.custom(&line(&format!(
                "{void}{}x {}{seat}",
                l.quantity, l.product_name
            )))?;
            p.size(1, 1)?.bold(false)?;
            for o in &l.options {
                let text = match o.kind {
                    OptionKind::Removable => format!("   NO {}", o.name),
                    OptionKind::Addon => format!("   + {}", o.name),
                    OptionKind::Choice => format!("   {}", o.name),
                };
                p.custom(&line(&text))?;
            }
            if !l.note.is_empty() {
                p.bold(true)?
                    .custom(&line(&format!("   ! {}", l.note)))?
                    .bold(false)?;
            }
        }
        p.custom(&line(&rule))?
            .feed()?
            .feed()?
            .feed()?
            .partial_cut()?
            .print()?;
        Ok(())
    };
    run().map_err(|e| format!("rendering ticket {}: {e}", ticket.id))?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

/// What a bill shows besides the order itself.
pub struct BillHeader<'a> {
    pub venue: &'a str,
    pub currency: &'a str,
    /// "Table 5" or "Takeaway Ana".
    pub destination: &'a str,
    pub waiter: &'a str,
    /// When it is printed, UTC milliseconds.
    pub at_ms: i64,
    /// Whether the menu prices include tax, and the bill's taxes and total under it.
    pub tax_mode: TaxMode,
    pub totals: BillTotals,
    /// The cash rounding step (5 = 0.05; 1 = none).
    pub cash_rounding_minor: i64,
}

/// `left` and `right` on one line of `width` columns, `right` flush with the edge.
fn spread(left: &str, right: &str, width: usize) -> String {
    let right_len = right.chars().count();
    let room = width.saturating_sub(right_len + 1);
    let left: String = left.chars().take(room).collect();
    format!("{left:<pad$}{right}", pad = width.saturating_sub(right_len))
}

/// A bill: venue, where and who, each line with its options and price, subtotal, the tax
/// per rate (contained in the prices, or added to them), the total (and the cash total
/// where cash is rounded), the order number as a QR code (`with_qr`, for printers that
/// can), the payments with tips and change, and a footer.
pub fn bill(
    setup: &PaperSetup,
    header: &BillHeader<'_>,
    order: &Order,
    reprint: bool,
    with_qr: bool,
) -> Result<Vec<u8>, String> {
    let (capture, mut p) = setup.printer();
    let (page, width) = (setup.code_page, setup.columns);
    let line = |s: &str| setup.line(s);
    // Amounts are fitted to the page first, so the columns line up after transliteration.
    let money = |minor: i64| fit_code_page(&Money::new(minor, header.currency).to_string(), page);
    let rule = "-".repeat(width);
    let when = jiff::Timestamp::from_millisecond(header.at_ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    let mut run = || -> escpos::errors::Result<()> {
        p.init()?.page_code(page)?;
        if reprint {
            p.justify(JustifyMode::CENTER)?
                .bold(true)?
                .custom(&line("REPRINT"))?
                .bold(false)?;
        }
        p.justify(JustifyMode::CENTER)?
            .bold(true)?
            .size(2, 2)?
            .custom(&line(header.venue))?
            .size(1, 1)?
            .bold(false)?
            .justify(JustifyMode::LEFT)?
            .custom(&line(&spread(
                header.destination,
                &format!("Order #{}", order.number),
                width,
            )))?
            .custom(&line(&spread(header.waiter, &when, width)))?
            .custom(&line(&rule))?;
        for l in order.lines.iter().filter(|l| l.status != LineStatus::Void) {
            let item = format!("{}x {}", l.quantity, l.product_name);
            p.custom(&line(&spread(&item, &money(l.total_minor()), width)))?;
            for o in &l.options {
                let text = match o.kind {
                    OptionKind::Removable => format!("   no {}", o.name),
                    OptionKind::Addon => format!("   + {}", o.name),
                    OptionKind::Choice => format!("   {}", o.name),
                };
                p.custom(&line(&text))?;
            }
        }
        let (totals, subtotal) = (&header.totals, order.total_minor());
        p.custom(&line(&rule))?
            .custom(&line(&spread("Subtotal", &money(subtotal), width)))?;
        let taken = app::domain::discounts::taken(order);
        for (d, amount) in order.discounts.iter().zip(taken) {
            if amount > 0 {
                let label = format!("Discount {}", d.reason);
                p.custom(&line(&spread(&label, &money(-amount), width)))?;
            }
        }
        for tax in &totals.taxes {
            let rate = rate_label(tax.rate_bp);
            let label = match header.tax_mode {
                TaxMode::Inclusive => format!("incl. tax {rate} of {}", money(tax.gross_minor)),
                TaxMode::Exclusive => format!("Tax {rate} on {}", money(tax.net_minor)),
            };
            p.custom(&line(&spread(&label, &money(tax.tax_minor), width)))?;
        }
        p.bold(true)?
            .size(1, 2)?
            .custom(&line(&spread("TOTAL", &money(totals.total_minor), width)))?
            .size(1, 1)?
            .bold(false)?;
        let cash = round_cash(totals.total_minor, header.cash_rounding_minor);
        if cash != totals.total_minor {
            p.custom(&line(&spread("Paid in cash", &money(cash), width)))?;
        }
        for payment in &order.payments {
            let method = payment.method.label();
            p.custom(&line(&spread(method, &money(payment.amount_minor), width)))?;
            if payment.tip_minor > 0 {
                p.custom(&line(&spread("  Tip", &money(payment.tip_minor), width)))?;
            }
            if let Some(given) = payment.tendered_minor {
                p.custom(&line(&spread("  Given", &money(given), width)))?
                    .custom(&line(&spread(
                        "  Change",
                        &money(payment.change_minor),
                        width,
                    )))?;
            }
        }
        let left = totals.total_minor - app::domain::payments::paid(&order.payments);
        if !order.payments.is_empty() && left > 0 {
            p.custom(&line(&spread("Left to pay", &money(left), width)))?;
        }
        p.custom(&line(&rule))?.justify(JustifyMode::CENTER)?;
        if with_qr {
            p.qrcode(&format!("ORDER-{}", order.number))?;
        }
        p.custom(&line(&format!("Order #{}", order.number)))?
            .custom(&line("Thank you for your visit!"))?
            .feed()?
            .feed()?
            .feed()?
            .partial_cut()?
            .print()?;
        Ok(())
    };
    run().map_err(|e| format!("rendering the bill of order {}: {e}", order.number))?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

/// An X or Z report: the business day's sales, discounts, taxes per rate, voids, refunds,
/// write-offs, payments per method, tips per waiter and the cash counts of its shifts.
pub fn report(setup: &PaperSetup, r: &Report, reprint: bool) -> Result<Vec<u8>, String> {
    let (capture, mut p) = setup.printer();
    let (page, width) = (setup.code_page, setup.columns);
    let line = |s: &str| setup.line(s);
    let money =
        |minor: i64| fit_code_page(&Money::new(minor, r.currency.as_str()).to_string(), page);
    let row = |label: &str, minor: i64| line(&spread(label, &money(minor), width));
    let rule = "-".repeat(width);
    let at = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    };
    let title = match (r.kind, r.number) {
        (ReportKind::Z, Some(n)) => format!("Z REPORT #{n}"),
        (ReportKind::Z, None) => "Z REPORT".to_owned(),
        (ReportKind::X, _) => "X REPORT".to_owned(),
    };
    let mut run = || -> escpos::errors::Result<()> {
        p.init()?.page_code(page)?.justify(JustifyMode::CENTER)?;
        if reprint {
            p.bold(true)?.custom(&line("REPRINT"))?.bold(false)?;
        }
        p.bold(true)?
            .size(2, 2)?
            .custom(&line(&title))?
            .size(1, 1)?
            .bold(false)?
            .custom(&line(&format!("Business day {}", r.business_day)))?
            .justify(JustifyMode::LEFT)?
            .custom(&line(&format!("From {}", at(r.from_ms))))?
            .custom(&line(&format!("To   {}", at(r.to_ms))))?
            .custom(&line(&format!("By   {}", r.taken_by)))?
            .custom(&line(&rule))?
            .custom(&line(&spread("Orders", &r.orders.to_string(), width)))?
            .custom(&line(&spread("Covers", &r.covers.to_string(), width)))?
            .custom(&row("Gross sales", r.gross_sales_minor))?
            .custom(&row("Discounts", -r.discounts_minor))?
            .bold(true)?
            .custom(&row("Sales", r.sales_minor))?
            .bold(false)?
            .custom(&row("Net of tax", r.net_sales_minor))?;
        for t in &r.taxes {
            let label = format!("Tax {} on {}", rate_label(t.rate_bp), money(t.net_minor));
            p.custom(&row(&label, t.tax_minor))?;
        }
        p.custom(&row("Average ticket", r.average_ticket_minor))?
            .custom(&row(&format!("Voids ({})", r.voids), r.voids_minor))?
            .custom(&row(&format!("Refunds ({})", r.refunds), r.refunds_minor))?
            .custom(&row("Written off", r.write_offs_minor))?
            .custom(&row("Cash rounding", r.cash_rounding_minor))?
            .custom(&line(&rule))?
            .custom(&line("Payments"))?;
        for m in &r.payments {
            let label = format!("{} ({})", m.method.label(), m.count);
            p.custom(&row(&label, m.amount_minor))?;
            if m.tip_minor > 0 {
                p.custom(&row("  tips", m.tip_minor))?;
            }
            if m.refunded_minor > 0 {
                p.custom(&row("  refunded", -m.refunded_minor))?;
            }
        }
        if !r.tips.is_empty() {
            p.custom(&line(&rule))?.custom(&line("Tips"))?;
            for t in &r.tips {
                p.custom(&row(&format!("  {}", t.name), t.tip_minor))?;
            }
        }
        for shift in &r.shifts {
            p.custom(&line(&rule))?
                .custom(&line(&format!(
                    "Shift closed by {}",
                    shift.closed_by.as_deref().unwrap_or("?")
                )))?
                .custom(&row("  Float", shift.float_minor))?
                .custom(&row("  Cash expected", shift.expected_minor))?;
            if let (Some(counted), Some(gap)) = (shift.counted_minor, shift.discrepancy_minor) {
                p.custom(&row("  Cash counted", counted))?
                    .custom(&row("  Discrepancy", gap))?;
            }
        }
        p.custom(&line(&rule))?
            .feed()?
            .feed()?
            .feed()?
            .partial_cut()?
            .print()?;
        Ok(())
    };
    run().map_err(|e| format!("rendering the {title}: {e}"))?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

/// The pulse that opens a cash drawer on the printer's drawer port (ESC p, pin 2).
pub fn drawer_pulse() -> Result<Vec<u8>, String> {
    let capture = Capture::default();
    let mut p = Printer::new(capture.clone(), Protocol::default(), None);
    p.init()
        .and_then(|p| p.cash_drawer(CashDrawer::Pin2))
        .and_then(|p| p.print())
        .map_err(|e| e.to_string())?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn western_text_uses_cp858_bytes_and_greek_is_transliterated() {
        assert_eq!(
            fit_code_page("Crème brûlée 3,50 €", PageCode::PC858),
            "Crème brûlée 3,50 €"
        );
        assert_eq!(fit_code_page("Ελληνικά", PageCode::PC858), "Ellenika");
        assert_eq!(fit_code_page("Ελληνικά", PageCode::PC737), "Ελληνικά");
        assert_eq!(fit_code_page("Борщ", PageCode::PC866), "Борщ");
        assert_eq!(fit_code_page("Борщ", PageCode::PC437), "Borshch");
        assert_eq!(fit_code_page("tab\there", PageCode::PC437), "tabhere");
        assert!(fit_code_page("Pizza 🍕 ✓", PageCode::PC437).is_ascii());
    }

    #[test]
    fn text_is_one_byte_a_character_in_the_code_page() {
        assert_eq!(
            encode("€ è-3,50", PageCode::PC858),
            [0xD5, b' ', 0x8A, b'-', b'3', b',', b'5', b'0']
        );
        assert_eq!(encode("Ελ", PageCode::PC737), [0x84, 0xA2]);
        assert_eq!(encode("Ελ", PageCode::PC858), b"El");
    }

    #[test]
    fn the_drawer_pulse_is_esc_p() {
        let bytes = drawer_pulse().unwrap();
        assert!(
            bytes.windows(3).any(|w| w == [0x1B, b'p', 0x00]),
            "{bytes:02X?}"
        );
    }
}
