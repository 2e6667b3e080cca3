//! What a bill adds up to, exactly to the minor unit: taxes per rate for prices that include
//! tax (Europe) or exclude it (US), rounded per line or once per bill; cash rounding (to
//! 0.05 where the venue sets it); and even splits whose parts always add up to the whole.
//!
//! Every division rounds half away from zero, explicitly, in integers: no floating point
//! touches money.

use serde::{Deserialize, Serialize};

/// Basis points per 100 %: a rate of 1000 is 10 %.
pub const FULL_RATE_BP: i64 = 10_000;

/// Whether menu prices already include tax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum TaxMode {
    /// Prices include tax; the bill shows how much of each total is tax (Europe).
    #[default]
    Inclusive,
    /// Prices exclude tax; tax is added on top (US).
    Exclusive,
}

/// Where tax is rounded to the minor unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum TaxRounding {
    /// Once per rate over the whole bill (most European receipts).
    #[default]
    PerBill,
    /// On every line, then summed.
    PerLine,
}

/// One amount on the bill at a tax rate: `line_total` is the menu price times quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taxable {
    pub rate_bp: i64,
    pub line_total: i64,
}

/// The tax at one rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaxLine {
    pub rate_bp: i64,
    /// Without tax.
    pub net_minor: i64,
    pub tax_minor: i64,
    /// With tax.
    pub gross_minor: i64,
}

/// The totals of a bill.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BillTotals {
    /// One line per rate, lowest rate first.
    pub taxes: Vec<TaxLine>,
    /// What is owed: the sum of the tax lines' gross.
    pub total_minor: i64,
}

/// `numerator / denominator` rounded half away from zero (`denominator` > 0).
pub fn div_round(numerator: i64, denominator: i64) -> i64 {
    debug_assert!(denominator > 0);
    let (n, d) = (numerator as i128, denominator as i128);
    let rounded = if n >= 0 {
        (2 * n + d) / (2 * d)
    } else {
        -((-2 * n + d) / (2 * d))
    };
    rounded as i64
}

/// The tax contained in (`Inclusive`) or added to (`Exclusive`) `amount` at `rate_bp`.
fn tax_of(amount: i64, rate_bp: i64, mode: TaxMode) -> i64 {
    match mode {
        TaxMode::Inclusive => div_round(amount * rate_bp, FULL_RATE_BP + rate_bp),
        TaxMode::Exclusive => div_round(amount * rate_bp, FULL_RATE_BP),
    }
}

/// The bill's taxes per rate and its total.
pub fn totals(items: &[Taxable], mode: TaxMode, rounding: TaxRounding) -> BillTotals {
    let mut rates: Vec<i64> = items.iter().map(|i| i.rate_bp).collect();
    rates.sort_unstable();
    rates.dedup();
    let taxes: Vec<TaxLine> = rates
        .into_iter()
        .map(|rate_bp| {
            let at_rate = items.iter().filter(|i| i.rate_bp == rate_bp);
            let amount: i64 = at_rate.clone().map(|i| i.line_total).sum();
            let tax = match rounding {
                TaxRounding::PerBill => tax_of(amount, rate_bp, mode),
                TaxRounding::PerLine => at_rate.map(|i| tax_of(i.line_total, rate_bp, mode)).sum(),
            };
            let (net_minor, gross_minor) = match mode {
                TaxMode::Inclusive => (amount - tax, amount),
                TaxMode::Exclusive => (amount, amount + tax),
            };
            TaxLine {
                rate_bp,
                net_minor,
                tax_minor: tax,
                gross_minor,
            }
        })
        .collect();
    BillTotals {
        total_minor: taxes.iter().map(|t| t.gross_minor).sum(),
        taxes,
    }
}

/// `amount` rounded to the nearest multiple of `increment` (5 for 0.05; 1 leaves it).
pub fn round_cash(amount: i64, increment: i64) -> i64 {
    if increment <= 1 {
        return amount;
    }
    div_round(amount, increment) * increment
}

/// `total` in `parts` shares that differ by at most one minor unit and add up to `total`
/// exactly; the first shares take the odd units.
pub fn split_evenly(total: i64, parts: usize) -> Vec<i64> {
    if parts == 0 {
        return vec![];
    }
    let n = parts as i64;
    let (base, extra) = (total.div_euclid(n), total.rem_euclid(n));
    (0..n).map(|i| base + i64::from(i < extra)).collect()
}

/// "10%" or "5.5%" for a rate in basis points.
pub fn rate_label(rate_bp: i64) -> String {
    let (whole, fraction) = (rate_bp / 100, rate_bp % 100);
    match fraction {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

/// Tax rates as a person types them ("10, 22", "10%; 5.5") in basis points, or the part
/// that is not a rate.
pub fn parse_rates(typed: &str) -> Result<Vec<i64>, String> {
    typed
        .split([',', ';', ' '])
        .map(|part| part.trim().trim_end_matches('%'))
        .filter(|part| !part.is_empty())
        .map(|part| {
            super::money::parse_amount(part).ok_or_else(|| format!("\"{part}\" is not a tax rate"))
        })
        .collect()
}

/// Tax rates as a person types them: "10, 22".
pub fn rates_text(rates: &[i64]) -> String {
    let rates: Vec<String> = rates
        .iter()
        .map(|r| rate_label(*r).trim_end_matches('%').to_owned())
        .collect();
    rates.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(rate_bp: i64, line_total: i64) -> Taxable {
        Taxable {
            rate_bp,
            line_total,
        }
    }

    #[test]
    fn inclusive_prices_show_the_tax_they_contain() {
        // €38.00 of food at 10 % and €5.00 of wine at 22 %.
        let t = totals(
            &[item(1000, 3100), item(1000, 700), item(2200, 500)],
            TaxMode::Inclusive,
            TaxRounding::PerBill,
        );
        assert_eq!(t.total_minor, 4300);
        assert_eq!(
            t.taxes,
            vec![
                TaxLine {
                    rate_bp: 1000,
                    net_minor: 3455,
                    tax_minor: 345, // 3800 × 10/110 = 345.45…
                    gross_minor: 3800
                },
                TaxLine {
                    rate_bp: 2200,
                    net_minor: 410,
                    tax_minor: 90, // 500 × 22/122 = 90.16…
                    gross_minor: 500
                },
            ]
        );
    }

    #[test]
    fn exclusive_prices_add_tax_and_rounding_per_line_can_differ() {
        // Three lines of $0.15 at 8.88 %: 1.332 cents of tax each.
        let items = [item(888, 15), item(888, 15), item(888, 15)];
        let per_bill = totals(&items, TaxMode::Exclusive, TaxRounding::PerBill);
        let per_line = totals(&items, TaxMode::Exclusive, TaxRounding::PerLine);
        assert_eq!(per_bill.taxes[0].tax_minor, 4); // 45 × 8.88 % = 3.996
        assert_eq!(per_line.taxes[0].tax_minor, 3); // 3 × round(1.332)
        assert_eq!(per_bill.total_minor, 49);
        assert_eq!(per_line.total_minor, 48);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(-4, 10), 0);
        assert_eq!(round_cash(1232, 5), 1230);
        assert_eq!(round_cash(1233, 5), 1235);
        assert_eq!(round_cash(1233, 1), 1233);
        assert_eq!(rate_label(1000), "10%");
        assert_eq!(rate_label(550), "5.5%");
        assert_eq!(rate_label(888), "8.88%");
    }

    #[test]
    fn an_even_split_puts_the_odd_cents_first() {
        assert_eq!(split_evenly(1000, 3), vec![334, 333, 333]);
        assert_eq!(split_evenly(2, 4), vec![1, 1, 0, 0]);
        assert!(split_evenly(5, 0).is_empty());
    }

    fn items() -> impl Strategy<Value = Vec<Taxable>> {
        prop::collection::vec(
            (
                prop::sample::select(vec![0i64, 400, 550, 1000, 2000, 2200, 888]),
                0i64..200_000,
            )
                .prop_map(|(rate_bp, line_total)| item(rate_bp, line_total)),
            0..30,
        )
    }

    proptest! {
        #[test]
        fn the_tax_lines_add_up_to_the_bill(items in items(), per_line in any::<bool>()) {
            let rounding = if per_line { TaxRounding::PerLine } else { TaxRounding::PerBill };
            let menu_sum: i64 = items.iter().map(|i| i.line_total).sum();
            let inclusive = totals(&items, TaxMode::Inclusive, rounding);
            prop_assert_eq!(inclusive.total_minor, menu_sum, "inclusive: the menu prices are the bill");
            let exclusive = totals(&items, TaxMode::Exclusive, rounding);
            let net: i64 = exclusive.taxes.iter().map(|t| t.net_minor).sum();
            prop_assert_eq!(net, menu_sum, "exclusive: the menu prices are the net");
            for bill in [&inclusive, &exclusive] {
                for t in &bill.taxes {
                    prop_assert_eq!(t.net_minor + t.tax_minor, t.gross_minor);
                    prop_assert!(t.tax_minor >= 0 && t.tax_minor <= t.gross_minor);
                }
                prop_assert_eq!(bill.taxes.iter().map(|t| t.gross_minor).sum::<i64>(), bill.total_minor);
            }
        }

        #[test]
        fn per_line_and_per_bill_rounding_differ_by_at_most_half_a_unit_a_line(items in items()) {
            let bill = totals(&items, TaxMode::Exclusive, TaxRounding::PerBill);
            let lines = totals(&items, TaxMode::Exclusive, TaxRounding::PerLine);
            let gap = (bill.total_minor - lines.total_minor).abs();
            prop_assert!(gap <= (items.len() as i64 + 1) / 2 + 1, "gap {}", gap);
        }

        #[test]
        fn an_even_split_adds_up_and_is_fair(total in -1_000_000i64..10_000_000, parts in 1usize..40) {
            let shares = split_evenly(total, parts);
            prop_assert_eq!(shares.len(), parts);
            prop_assert_eq!(shares.iter().sum::<i64>(), total);
            let (lo, hi) = (shares.iter().min().unwrap(), shares.iter().max().unwrap());
            prop_assert!(hi - lo <= 1);
        }

        #[test]
        fn cash_rounding_lands_on_the_nearest_step(amount in -1_000_000i64..1_000_000, step in prop::sample::select(vec![1i64, 5, 10, 50])) {
            let rounded = round_cash(amount, step);
            prop_assert_eq!(rounded % step, 0);
            prop_assert!((rounded - amount).abs() * 2 <= step);
        }
    }
}
