//! The menu: stations, categories, products and their option groups, and the rule that
//! turns a product plus the options a guest chose into a priced line.

use super::{CategoryId, OptionGroupId, OptionId, ProductId, StationId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A place where items are made: the kitchen, the bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Station {
    pub id: StationId,
    pub name: String,
    /// A ticket older than this many seconds shows yellow.
    pub warn_after_secs: i64,
    /// A ticket older than this many seconds shows red.
    pub late_after_secs: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    /// CSS colour of the category's buttons, e.g. `#e07a5f`.
    pub colour: String,
    pub sort_order: i64,
    /// The course its products go in unless the waiter says otherwise: 0 drinks (never
    /// held), 1 starters, 2 mains, 3 desserts, … up to 9.
    #[serde(default = "super::courses::first")]
    pub course: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: ProductId,
    pub category_id: CategoryId,
    pub station_id: StationId,
    pub name: String,
    /// A short name for the kitchen's tickets and screens ("Marg"); the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kitchen_name: Option<String>,
    /// Price in minor units of the venue's currency.
    pub price_minor: i64,
    /// False while the product is "86'd": shown, but cannot be ordered.
    pub available: bool,
    /// Portions left, when the venue counts them: each line taken counts it down, and at
    /// 0 the product is sold out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_left: Option<i64>,
    pub sort_order: i64,
    /// Option groups offered with this product, in display order.
    pub option_group_ids: Vec<OptionGroupId>,
    /// The code a scanner reads off its package (EAN/UPC), if it has one.
    #[serde(default)]
    pub barcode: Option<String>,
    /// Tax rate in basis points (1000 = 10 %).
    #[serde(default)]
    pub tax_rate_bp: i64,
    /// Taken off the menu for good; only the back office lists it (the snapshot has
    /// only products on the menu).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

/// How the options of a group combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum OptionKind {
    /// Extras, any number, each may cost more ("extra cheese +1.00").
    Addon,
    /// Ingredients the guest can leave out ("no onions").
    Removable,
    /// One must be chosen ("rare / medium / well done"), or as many as the group says
    /// ("two sides").
    Choice,
}

/// The most options a group may ask for or allow (a group has at most 30).
pub const MAX_PICKS: i64 = 30;

/// The most options chosen on one line, whatever its groups allow.
pub const MAX_CHOSEN: usize = 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionGroup {
    pub id: OptionGroupId,
    pub name: String,
    pub kind: OptionKind,
    pub options: Vec<MenuOption>,
    /// The fewest options a guest picks; absent: one for a choice, none otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_picks: Option<i64>,
    /// The most options a guest picks; absent: one for a choice, any otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_picks: Option<i64>,
}

impl OptionGroup {
    /// How many of its options a guest picks, at least and at most. Leave-outs are never
    /// limited.
    pub fn picks(&self) -> (usize, usize) {
        let count = self.options.len();
        let (min, max) = self.limits();
        let clamp = |n: i64| usize::try_from(n).unwrap_or(0).min(count);
        (clamp(min), clamp(max))
    }

    /// The limits as set, or the kind's usual where not set.
    fn limits(&self) -> (i64, i64) {
        let count = self.options.len() as i64;
        match self.kind {
            OptionKind::Choice => (self.min_picks.unwrap_or(1), self.max_picks.unwrap_or(1)),
            OptionKind::Addon => (self.min_picks.unwrap_or(0), self.max_picks.unwrap_or(count)),
            OptionKind::Removable => (0, count),
        }
    }

    /// Whether a guest can meet the group's limits: else the field to mend and why.
    pub fn check_limits(&self) -> Result<(), (&'static str, String)> {
        let count = self.options.len() as i64;
        if self.kind == OptionKind::Removable && (self.min_picks, self.max_picks) != (None, None) {
            return Err(("min_picks", "leave-outs are never limited".into()));
        }
        let (min, max) = self.limits();
        if min > count {
            Err((
                "min_picks",
                format!("there are only {count} options to pick"),
            ))
        } else if max < min {
            Err((
                "max_picks",
                format!("at most is less than at least ({min})"),
            ))
        } else if self.kind == OptionKind::Choice && max == 0 {
            Err((
                "max_picks",
                "a choice lets a guest pick at least one".into(),
            ))
        } else {
            Ok(())
        }
    }

    /// Whether a pick in this group replaces the one before (a one-of choice), rather
    /// than adding to it.
    pub fn one_of(&self) -> bool {
        self.kind == OptionKind::Choice && self.picks().1 == 1
    }

    /// What the waiter is told to pick: "choose one", "choose 2", "choose 1 to 3",
    /// "up to 2", "any".
    pub fn picks_hint(&self) -> String {
        match self.picks() {
            (0, max) if max >= self.options.len() => "any".into(),
            (1, 1) => "choose one".into(),
            (0, max) => format!("up to {max}"),
            (min, max) if min == max => format!("choose {min}"),
            (min, max) => format!("choose {min} to {max}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MenuOption {
    pub id: OptionId,
    pub name: String,
    /// Added to the product's price, in minor units (may be negative).
    pub price_delta_minor: i64,
}

/// The whole menu as clients cache it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Menu {
    pub stations: Vec<Station>,
    pub categories: Vec<Category>,
    pub products: Vec<Product>,
    pub option_groups: Vec<OptionGroup>,
}

/// An option as it was chosen on a line: a snapshot, so later menu edits never change
/// what an open order contains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChosenOption {
    pub option_id: OptionId,
    pub kind: OptionKind,
    pub name: String,
    pub price_delta_minor: i64,
}

impl Product {
    /// The most one line of it may hold, with `held` on it already: no more once it is
    /// not available, no more than is left of a counted product, never over 99.
    pub fn at_most(&self, held: i64) -> i64 {
        let most = super::orders::MAX_QUANTITY;
        match (self.available, self.stock_left) {
            (false, _) => held,
            (true, Some(left)) => left.saturating_add(held).clamp(1, most),
            (true, None) => most,
        }
    }
}

impl ChosenOption {
    /// How the line shows it to a person: "no Onions" for something left out, else its
    /// name.
    pub fn label(&self) -> String {
        match self.kind {
            OptionKind::Removable => format!("no {}", self.name),
            OptionKind::Addon | OptionKind::Choice => self.name.clone(),
        }
    }
}

/// An option as a person writes it in the back office and in the menu's spreadsheet:
/// "Regular", "Large +3.00", "Kids -1.50".
pub fn option_text(name: &str, price_delta_minor: i64) -> String {
    match price_delta_minor {
        0 => name.to_owned(),
        d if d > 0 => format!("{name} +{}", super::money::plain(d)),
        d => format!("{name} {}", super::money::plain(d)),
    }
}

/// Reads `option_text` back: the name, and the price after it if it has a sign ("Coca-Cola
/// 33" is a name). None when there is no name or the price is not an amount.
pub fn parse_option_text(text: &str) -> Option<(String, i64)> {
    let text = text.trim();
    let (name, delta) = match text.rsplit_once(' ') {
        Some((name, price)) if price.starts_with(['+', '-']) => {
            let minor = super::money::parse_amount(&price[1..])?;
            (
                name.trim(),
                if price.starts_with('-') {
                    -minor
                } else {
                    minor
                },
            )
        }
        _ => (text, 0),
    };
    (!name.is_empty()).then(|| (name.to_owned(), delta))
}

/// Why a set of chosen options does not fit a product.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum OptionsError {
    #[error("option {0} is not offered with this product")]
    NotOffered(OptionId),
    #[error("option {0} was chosen twice")]
    Duplicate(OptionId),
    #[error("at most {MAX_CHOSEN} options go on one line")]
    TooMany,
    /// `group`, then the rule as `OptionGroup::picks_hint` words it.
    #[error("{1} for \"{0}\"")]
    Picks(String, String),
}

impl Menu {
    pub fn product(&self, id: ProductId) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn option_group(&self, id: OptionGroupId) -> Option<&OptionGroup> {
        self.option_groups.iter().find(|g| g.id == id)
    }

    pub fn station(&self, id: &StationId) -> Option<&Station> {
        self.stations.iter().find(|s| &s.id == id)
    }

    /// Checks `chosen` against the product's option groups and returns the snapshot to
    /// store on the line, in the menu's order. Every group's picks are within its limits
    /// (a choice: exactly one, unless it says otherwise).
    /// The course `product` goes in unless the waiter says otherwise: its category's, or
    /// starters when the category is not known.
    pub fn course_of(&self, product: &Product) -> i64 {
        self.categories
            .iter()
            .find(|c| c.id == product.category_id)
            .map_or_else(super::courses::first, |c| c.course)
    }

    pub fn resolve_options(
        &self,
        product: &Product,
        chosen: &[OptionId],
    ) -> Result<Vec<ChosenOption>, OptionsError> {
        // Bounded before the duplicate check below, which compares every pair.
        if chosen.len() > MAX_CHOSEN {
            return Err(OptionsError::TooMany);
        }
        for (i, id) in chosen.iter().enumerate() {
            if chosen[..i].contains(id) {
                return Err(OptionsError::Duplicate(*id));
            }
        }
        let groups: Vec<&OptionGroup> = product
            .option_group_ids
            .iter()
            .filter_map(|id| self.option_group(*id))
            .collect();
        if let Some(stray) = chosen.iter().find(|id| {
            !groups
                .iter()
                .any(|g| g.options.iter().any(|o| o.id == **id))
        }) {
            return Err(OptionsError::NotOffered(*stray));
        }
        let mut resolved = Vec::with_capacity(chosen.len());
        for group in groups {
            let picked: Vec<&MenuOption> = group
                .options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .collect();
            let (min, max) = group.picks();
            if !(min..=max).contains(&picked.len()) {
                let rule = match group.picks_hint() {
                    hint if hint.starts_with("up to") => format!("choose {hint}"),
                    hint => hint,
                };
                return Err(OptionsError::Picks(group.name.clone(), rule));
            }
            resolved.extend(picked.into_iter().map(|o| ChosenOption {
                option_id: o.id,
                kind: group.kind,
                name: o.name.clone(),
                price_delta_minor: o.price_delta_minor,
            }));
        }
        Ok(resolved)
    }
}

/// The price of one unit: the product plus every chosen option's delta, never below zero.
pub fn unit_price_minor(product_price_minor: i64, options: &[ChosenOption]) -> i64 {
    let deltas: i64 = options.iter().map(|o| o.price_delta_minor).sum();
    (product_price_minor + deltas).max(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use uuid::Uuid;

    fn oid(n: u128) -> OptionId {
        OptionId(Uuid::from_u128(n))
    }

    /// A burger with a doneness choice, add-ons and removable ingredients.
    pub(crate) fn burger_menu() -> (Menu, Product) {
        let g = |n: u128| OptionGroupId(Uuid::from_u128(n));
        let opt = |n: u128, name: &str, delta: i64| MenuOption {
            id: oid(n),
            name: name.into(),
            price_delta_minor: delta,
        };
        let burger = Product {
            barcode: None,
            tax_rate_bp: 1000,
            retired: false,
            id: ProductId(Uuid::from_u128(1)),
            category_id: CategoryId(Uuid::from_u128(2)),
            station_id: StationId("kitchen".into()),
            name: "Burger".into(),
            kitchen_name: None,
            price_minor: 1200,
            available: true,
            stock_left: None,
            sort_order: 0,
            option_group_ids: vec![g(10), g(20), g(30)],
        };
        let menu = Menu {
            option_groups: vec![
                OptionGroup {
                    id: g(10),
                    name: "Doneness".into(),
                    kind: OptionKind::Choice,
                    options: vec![
                        opt(11, "Rare", 0),
                        opt(12, "Medium", 0),
                        opt(13, "Well done", 0),
                    ],
                    min_picks: None,
                    max_picks: None,
                },
                OptionGroup {
                    id: g(20),
                    name: "Extras".into(),
                    kind: OptionKind::Addon,
                    options: vec![opt(21, "Cheese", 100), opt(22, "Bacon", 150)],
                    min_picks: None,
                    max_picks: None,
                },
                OptionGroup {
                    id: g(30),
                    name: "Leave out".into(),
                    kind: OptionKind::Removable,
                    options: vec![opt(31, "Onions", 0)],
                    min_picks: None,
                    max_picks: None,
                },
            ],
            products: vec![burger.clone()],
            ..Menu::default()
        };
        (menu, burger)
    }

    #[test]
    fn a_line_holds_no_more_than_is_left_or_ninety_nine() {
        let (_, mut burger) = burger_menu();
        assert_eq!(burger.at_most(0), 99);
        burger.stock_left = Some(3);
        assert_eq!((burger.at_most(0), burger.at_most(2)), (3, 5));
        burger.stock_left = Some(98);
        assert_eq!(burger.at_most(5), 99);
        burger.available = false;
        assert_eq!(burger.at_most(2), 2);
    }

    #[test]
    fn prices_a_burger_with_extras() {
        let (menu, burger) = burger_menu();
        let chosen = menu
            .resolve_options(&burger, &[oid(22), oid(12), oid(21), oid(31)])
            .unwrap();
        let names: Vec<_> = chosen.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Medium", "Cheese", "Bacon", "Onions"]);
        assert_eq!(unit_price_minor(burger.price_minor, &chosen), 1450);
    }

    #[test]
    fn a_choice_group_needs_exactly_one_pick() {
        let (menu, burger) = burger_menu();
        let one = OptionsError::Picks("Doneness".into(), "choose one".into());
        assert_eq!(menu.resolve_options(&burger, &[oid(21)]), Err(one.clone()));
        assert_eq!(
            menu.resolve_options(&burger, &[oid(11), oid(12)]),
            Err(one.clone())
        );
        assert_eq!(one.to_string(), "choose one for \"Doneness\"");
    }

    #[test]
    fn a_group_may_ask_for_more_picks_or_allow_fewer() {
        let (mut menu, burger) = burger_menu();
        let picks = |menu: &Menu, chosen: &[u128]| {
            let ids: Vec<OptionId> = chosen.iter().map(|n| oid(*n)).collect();
            menu.resolve_options(&burger, &ids).map(|o| o.len())
        };
        // Two of the three, say two sides.
        menu.option_groups[0].min_picks = Some(2);
        menu.option_groups[0].max_picks = Some(2);
        assert_eq!(menu.option_groups[0].picks_hint(), "choose 2");
        assert!(!menu.option_groups[0].one_of());
        assert_eq!(picks(&menu, &[11, 12]), Ok(2));
        assert_eq!(
            picks(&menu, &[11]),
            Err(OptionsError::Picks("Doneness".into(), "choose 2".into()))
        );
        assert!(picks(&menu, &[11, 12, 13]).is_err());
        // None or one: an optional choice.
        menu.option_groups[0].min_picks = Some(0);
        menu.option_groups[0].max_picks = Some(1);
        assert_eq!(menu.option_groups[0].picks_hint(), "up to 1");
        assert!(menu.option_groups[0].one_of());
        assert_eq!(picks(&menu, &[]), Ok(0));
        // Add-ons are any number unless limited.
        assert_eq!(menu.option_groups[1].picks_hint(), "any");
        assert_eq!(picks(&menu, &[21, 22]), Ok(2));
        menu.option_groups[1].max_picks = Some(1);
        assert_eq!(
            picks(&menu, &[21, 22]),
            Err(OptionsError::Picks(
                "Extras".into(),
                "choose up to 1".into()
            ))
        );
        // A limit beyond the group's options is read as all of them.
        menu.option_groups[1].min_picks = Some(1);
        menu.option_groups[1].max_picks = Some(9);
        assert_eq!(menu.option_groups[1].picks(), (1, 2));
        assert_eq!(menu.option_groups[1].picks_hint(), "choose 1 to 2");
    }

    #[test]
    fn rejects_foreign_and_repeated_options() {
        let (menu, burger) = burger_menu();
        assert_eq!(
            menu.resolve_options(&burger, &[oid(11), oid(99)]),
            Err(OptionsError::NotOffered(oid(99)))
        );
        assert_eq!(
            menu.resolve_options(&burger, &[oid(11), oid(21), oid(21)]),
            Err(OptionsError::Duplicate(oid(21)))
        );
    }

    #[test]
    fn a_discounting_option_never_makes_the_price_negative() {
        let opt = ChosenOption {
            option_id: oid(1),
            kind: OptionKind::Removable,
            name: "No patty".into(),
            price_delta_minor: -5000,
        };
        assert_eq!(unit_price_minor(1200, &[opt]), 0);
    }

    #[test]
    fn an_option_is_written_and_read_back_with_its_price() {
        for (name, delta) in [("Regular", 0), ("Large", 300), ("Kids", -150)] {
            let text = option_text(name, delta);
            assert_eq!(
                parse_option_text(&text),
                Some((name.to_owned(), delta)),
                "{text}"
            );
        }
        assert_eq!(option_text("Large", 300), "Large +3.00");
        assert_eq!(
            parse_option_text("Coca-Cola 33"),
            Some(("Coca-Cola 33".into(), 0))
        );
        assert_eq!(parse_option_text("Large +x"), None);
        assert_eq!(parse_option_text("  "), None);
    }
}
