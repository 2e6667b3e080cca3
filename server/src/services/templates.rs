//! The starting menus and floors a new venue may pick (`VenueTemplate`): stations,
//! option groups, categories with their products, and rooms with their tables. The demo
//! venue is the restaurant's. Everything seeded is ordinary data: the owner changes or
//! retires any of it afterwards.

use crate::services::ServiceResult;
use app::domain::first_run::VenueTemplate;
use app::domain::menu::OptionKind;
use app::domain::{CategoryId, OptionGroupId, OptionId, ProductId, RoomId, TableId};
use sqlx::SqliteConnection;

/// An option group, named by `key` in the products that offer it.
struct Group {
    key: &'static str,
    name: &'static str,
    kind: OptionKind,
    options: &'static [(&'static str, i64)],
}

/// A category: its products are made at `station` and, when `alcohol`, sold at the
/// venue's alcohol rate. Products are (name, price in minor units, option group keys).
struct Category {
    name: &'static str,
    /// The course its products go in (`app::domain::courses`).
    course: i64,
    colour: &'static str,
    station: &'static str,
    alcohol: bool,
    products: &'static [(&'static str, i64, &'static [&'static str])],
}

/// A room whose tables are numbered from `first`, `columns` to a row.
struct RoomDef {
    name: &'static str,
    first: usize,
    columns: usize,
    tables: usize,
}

struct Template {
    /// (id, name, seconds until a ticket shows yellow, and red).
    stations: &'static [(&'static str, &'static str, i64, i64)],
    groups: &'static [Group],
    menu: &'static [Category],
    rooms: &'static [RoomDef],
}

const fn group(
    key: &'static str,
    name: &'static str,
    kind: OptionKind,
    options: &'static [(&'static str, i64)],
) -> Group {
    Group {
        key,
        name,
        kind,
        options,
    }
}

const fn category(
    name: &'static str,
    course: i64,
    colour: &'static str,
    station: &'static str,
    alcohol: bool,
    products: &'static [(&'static str, i64, &'static [&'static str])],
) -> Category {
    Category {
        name,
        course,
        colour,
        station,
        alcohol,
        products,
    }
}

const KITCHEN_AND_BAR: &[(&str, &str, i64, i64)] =
    &[("kitchen", "Kitchen", 420, 900), ("bar", "Bar", 180, 420)];
const DRINK_LEAVE_OUT: Group = group(
    "drink-",
    "Leave out",
    OptionKind::Removable,
    &[("Ice", 0), ("Lemon", 0)],
);
const MILK: Group = group(
    "milk",
    "Milk",
    OptionKind::Choice,
    &[("Whole milk", 0), ("Oat milk", 40), ("Soy milk", 40)],
);

const RESTAURANT: Template = Template {
    stations: KITCHEN_AND_BAR,
    groups: &[
        group(
            "doneness",
            "Doneness",
            OptionKind::Choice,
            &[
                ("Rare", 0),
                ("Medium rare", 0),
                ("Medium", 0),
                ("Well done", 0),
            ],
        ),
        group(
            "burger+",
            "Extras",
            OptionKind::Addon,
            &[("Cheese", 100), ("Bacon", 150), ("Fried egg", 120)],
        ),
        group(
            "burger-",
            "Leave out",
            OptionKind::Removable,
            &[("Onions", 0), ("Pickles", 0), ("Tomato", 0)],
        ),
        group(
            "pizza+",
            "Extras",
            OptionKind::Addon,
            &[("Extra mozzarella", 150), ("'Nduja", 200), ("Olives", 100)],
        ),
        group(
            "pizza-",
            "Leave out",
            OptionKind::Removable,
            &[("Basil", 0), ("Garlic", 0)],
        ),
        group(
            "salad+",
            "Extras",
            OptionKind::Addon,
            &[("Grilled chicken", 350)],
        ),
        group(
            "salad-",
            "Leave out",
            OptionKind::Removable,
            &[("Croutons", 0), ("Anchovies", 0)],
        ),
        group(
            "gelato",
            "Flavour",
            OptionKind::Choice,
            &[("Vanilla", 0), ("Chocolate", 0), ("Pistachio", 50)],
        ),
        MILK,
        DRINK_LEAVE_OUT,
    ],
    menu: &[
        category(
            "Starters",
            1,
            "#e07a5f",
            "kitchen",
            false,
            &[
                ("Bruschetta", 650, &[]),
                ("Garlic bread", 450, &[]),
                ("Soup of the day", 700, &[]),
                ("Burrata", 1150, &[]),
                ("Fried calamari", 1050, &[]),
                ("Caesar salad", 950, &["salad+", "salad-"]),
            ],
        ),
        category(
            "Mains",
            2,
            "#3d405b",
            "kitchen",
            false,
            &[
                ("Burger", 1450, &["doneness", "burger+", "burger-"]),
                ("Steak frites", 2450, &["doneness"]),
                ("Pizza Margherita", 1050, &["pizza+", "pizza-"]),
                ("Pizza Diavola", 1250, &["pizza+", "pizza-"]),
                ("Mushroom risotto", 1550, &[]),
                ("Grilled salmon", 1950, &[]),
                ("Lasagna", 1350, &[]),
            ],
        ),
        category(
            "Desserts",
            3,
            "#81b29a",
            "kitchen",
            false,
            &[
                ("Tiramisu", 650, &[]),
                ("Crème brûlée", 700, &[]),
                ("Panna cotta", 600, &[]),
                ("Gelato", 550, &["gelato"]),
            ],
        ),
        category(
            "Soft drinks & coffee",
            0,
            "#f2cc8f",
            "bar",
            false,
            &[
                ("Espresso", 180, &[]),
                ("Cappuccino", 300, &["milk"]),
                ("Sparkling water", 300, &[]),
                ("Still water", 300, &[]),
                ("Cola", 350, &["drink-"]),
                ("Lemonade", 400, &["drink-"]),
                ("Orange juice", 400, &[]),
            ],
        ),
        category(
            "Wine, beer & cocktails",
            0,
            "#9b5de5",
            "bar",
            true,
            &[
                ("House red", 600, &[]),
                ("House white", 600, &[]),
                ("Prosecco", 700, &[]),
                ("Lager", 550, &[]),
                ("IPA", 650, &[]),
                ("Negroni", 900, &["drink-"]),
                ("Spritz", 800, &["drink-"]),
            ],
        ),
    ],
    rooms: &[
        RoomDef {
            name: "Dining room",
            first: 1,
            columns: 4,
            tables: 8,
        },
        RoomDef {
            name: "Terrace",
            first: 9,
            columns: 2,
            tables: 4,
        },
    ],
};

const CAFE: Template = Template {
    stations: KITCHEN_AND_BAR,
    groups: &[
        MILK,
        group(
            "syrup",
            "Syrup",
            OptionKind::Addon,
            &[("Vanilla syrup", 50), ("Caramel syrup", 50)],
        ),
        group(
            "sandwich-",
            "Leave out",
            OptionKind::Removable,
            &[("Butter", 0), ("Mustard", 0), ("Tomato", 0)],
        ),
    ],
    menu: &[
        category(
            "Coffee & tea",
            0,
            "#a47148",
            "bar",
            false,
            &[
                ("Espresso", 180, &[]),
                ("Double espresso", 280, &[]),
                ("Cappuccino", 320, &["milk"]),
                ("Latte", 350, &["milk", "syrup"]),
                ("Flat white", 360, &["milk"]),
                ("Tea", 280, &[]),
                ("Hot chocolate", 350, &["milk"]),
            ],
        ),
        category(
            "Cold drinks",
            0,
            "#f2cc8f",
            "bar",
            false,
            &[
                ("Orange juice", 400, &[]),
                ("Sparkling water", 250, &[]),
                ("Iced tea", 350, &[]),
            ],
        ),
        category(
            "Pastries",
            1,
            "#e07a5f",
            "bar",
            false,
            &[
                ("Croissant", 180, &[]),
                ("Pain au chocolat", 220, &[]),
                ("Muffin", 280, &[]),
                ("Cheesecake", 450, &[]),
            ],
        ),
        category(
            "Lunch",
            1,
            "#81b29a",
            "kitchen",
            false,
            &[
                ("Toasted sandwich", 650, &["sandwich-"]),
                ("Soup of the day", 700, &[]),
                ("Quiche & salad", 950, &[]),
                ("Salmon bagel", 850, &[]),
            ],
        ),
    ],
    rooms: &[RoomDef {
        name: "Café",
        first: 1,
        columns: 3,
        tables: 6,
    }],
};

const BAR: Template = Template {
    stations: KITCHEN_AND_BAR,
    groups: &[
        group(
            "mixer",
            "Mixer",
            OptionKind::Choice,
            &[("Tonic", 0), ("Soda", 0), ("Cola", 0)],
        ),
        DRINK_LEAVE_OUT,
    ],
    menu: &[
        category(
            "Beer & cider",
            0,
            "#f2cc8f",
            "bar",
            true,
            &[
                ("Lager", 550, &[]),
                ("IPA", 650, &[]),
                ("Stout", 650, &[]),
                ("Cider", 600, &[]),
            ],
        ),
        category(
            "Wine",
            0,
            "#9b5de5",
            "bar",
            true,
            &[
                ("House red", 600, &[]),
                ("House white", 600, &[]),
                ("Rosé", 650, &[]),
                ("Prosecco", 700, &[]),
            ],
        ),
        category(
            "Cocktails",
            0,
            "#e07a5f",
            "bar",
            true,
            &[
                ("Negroni", 900, &["drink-"]),
                ("Spritz", 800, &["drink-"]),
                ("Mojito", 900, &["drink-"]),
                ("Gin & tonic", 850, &["mixer", "drink-"]),
            ],
        ),
        category(
            "Soft drinks",
            0,
            "#3d405b",
            "bar",
            false,
            &[
                ("Cola", 350, &["drink-"]),
                ("Sparkling water", 300, &[]),
                ("Lemonade", 400, &["drink-"]),
                ("Alcohol-free beer", 450, &[]),
            ],
        ),
        category(
            "Snacks",
            1,
            "#81b29a",
            "kitchen",
            false,
            &[
                ("Olives", 400, &[]),
                ("Fries", 450, &[]),
                ("Nachos", 750, &[]),
                ("Cheese board", 1200, &[]),
            ],
        ),
    ],
    rooms: &[RoomDef {
        name: "Bar",
        first: 1,
        columns: 4,
        tables: 8,
    }],
};

fn data(template: VenueTemplate) -> &'static Template {
    match template {
        VenueTemplate::Restaurant => &RESTAURANT,
        VenueTemplate::Cafe => &CAFE,
        VenueTemplate::Bar => &BAR,
    }
}

/// Seeds `template`'s stations, menu and floor. Products are sold at the first of
/// `tax_rates_bp` (none: no tax), alcohol at the second if there is one.
pub async fn seed(
    conn: &mut SqliteConnection,
    template: VenueTemplate,
    tax_rates_bp: &[i64],
) -> ServiceResult<()> {
    let t = data(template);
    let usual = tax_rates_bp.first().copied().unwrap_or(0);
    let alcohol = tax_rates_bp.get(1).copied().unwrap_or(usual);
    for (order, (id, name, warn, late)) in t.stations.iter().enumerate() {
        let order = order as i64;
        sqlx::query!(
            "INSERT INTO stations (id, name, sort_order, warn_after_secs, late_after_secs) VALUES (?, ?, ?, ?, ?)",
            id, name, order, warn, late
        )
        .execute(&mut *conn)
        .await?;
    }
    let mut group_ids = Vec::with_capacity(t.groups.len());
    for (order, g) in t.groups.iter().enumerate() {
        let (id, order) = (OptionGroupId::new_v7(), order as i64);
        sqlx::query!(
            "INSERT INTO option_groups (id, name, kind, sort_order) VALUES (?, ?, ?, ?)",
            id,
            g.name,
            g.kind,
            order
        )
        .execute(&mut *conn)
        .await?;
        for (order, (name, delta)) in g.options.iter().enumerate() {
            let (option, order) = (OptionId::new_v7(), order as i64);
            sqlx::query!(
                "INSERT INTO options (id, group_id, name, price_delta_minor, sort_order) VALUES (?, ?, ?, ?, ?)",
                option, id, name, delta, order
            )
            .execute(&mut *conn)
            .await?;
        }
        group_ids.push((g.key, id));
    }
    for (order, c) in t.menu.iter().enumerate() {
        let (category, order) = (CategoryId::new_v7(), order as i64);
        sqlx::query!(
            "INSERT INTO categories (id, name, colour, sort_order, course) VALUES (?, ?, ?, ?, ?)",
            category,
            c.name,
            c.colour,
            order,
            c.course
        )
        .execute(&mut *conn)
        .await?;
        let rate = if c.alcohol { alcohol } else { usual };
        for (order, (name, price, groups)) in c.products.iter().enumerate() {
            let (product, order) = (ProductId::new_v7(), order as i64);
            sqlx::query!(
                "INSERT INTO products (id, category_id, station_id, name, price_minor, tax_rate_bp, sort_order)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                product, category, c.station, name, price, rate, order
            )
            .execute(&mut *conn)
            .await?;
            for (order, key) in groups.iter().enumerate() {
                let group = group_ids.iter().find(|(k, _)| k == key).map(|(_, id)| *id);
                let order = order as i64;
                sqlx::query!(
                    "INSERT INTO product_option_groups (product_id, group_id, sort_order) VALUES (?, ?, ?)",
                    product, group, order
                )
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    for (order, r) in t.rooms.iter().enumerate() {
        let (room, order) = (RoomId::new_v7(), order as i64);
        sqlx::query!(
            "INSERT INTO rooms (id, name, sort_order) VALUES (?, ?, ?)",
            room,
            r.name,
            order
        )
        .execute(&mut *conn)
        .await?;
        for i in 0..r.tables {
            let (table, label) = (TableId::new_v7(), (r.first + i).to_string());
            let (x, y) = ((i % r.columns) as i64, (i / r.columns) as i64);
            let seats: i64 = if i % 3 == 0 { 2 } else { 4 };
            sqlx::query!(
                "INSERT INTO dining_tables (id, room_id, label, seats, grid_x, grid_y) VALUES (?, ?, ?, ?, ?, ?)",
                table, room, label, seats, x, y
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_names_groups_and_a_station_its_template_has() {
        for template in VenueTemplate::ALL {
            let t = data(template);
            for c in t.menu {
                assert!(t.stations.iter().any(|s| s.0 == c.station), "{}", c.name);
                for (name, _, groups) in c.products {
                    for key in *groups {
                        assert!(t.groups.iter().any(|g| g.key == *key), "{name}: {key}");
                    }
                }
            }
        }
    }
}
