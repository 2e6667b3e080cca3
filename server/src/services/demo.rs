//! The demo venue, seeded into an empty database by `--demo`: "Trattoria Comanda" with
//! a kitchen and a bar, 31 products in 5 categories with every kind of option, 12 tables
//! in two rooms, four staff members with known PINs, and a kitchen and a bar printer.

use crate::pins::Pins;
use crate::services::ServiceResult;
use app::domain::menu::OptionKind;
use app::domain::staff::Role;
use app::domain::{CategoryId, OptionGroupId, OptionId, ProductId, RoomId, TableId};
use sqlx::SqlitePool;

/// The demo staff: name, role, PIN. Printed at start-up.
pub const DEMO_STAFF: [(&str, Role, &str); 5] = [
    ("Mara", Role::Manager, "9000"),
    ("Ana", Role::Waiter, "1111"),
    ("Luca", Role::Waiter, "2222"),
    ("Kim", Role::Kitchen, "3333"),
    ("Cleo", Role::Cashier, "4444"),
];

struct Group {
    key: &'static str,
    name: &'static str,
    kind: OptionKind,
    options: &'static [(&'static str, i64)],
}

const GROUPS: &[Group] = &[
    Group {
        key: "doneness",
        name: "Doneness",
        kind: OptionKind::Choice,
        options: &[
            ("Rare", 0),
            ("Medium rare", 0),
            ("Medium", 0),
            ("Well done", 0),
        ],
    },
    Group {
        key: "burger+",
        name: "Extras",
        kind: OptionKind::Addon,
        options: &[("Cheese", 100), ("Bacon", 150), ("Fried egg", 120)],
    },
    Group {
        key: "burger-",
        name: "Leave out",
        kind: OptionKind::Removable,
        options: &[("Onions", 0), ("Pickles", 0), ("Tomato", 0)],
    },
    Group {
        key: "pizza+",
        name: "Extras",
        kind: OptionKind::Addon,
        options: &[("Extra mozzarella", 150), ("'Nduja", 200), ("Olives", 100)],
    },
    Group {
        key: "pizza-",
        name: "Leave out",
        kind: OptionKind::Removable,
        options: &[("Basil", 0), ("Garlic", 0)],
    },
    Group {
        key: "salad+",
        name: "Extras",
        kind: OptionKind::Addon,
        options: &[("Grilled chicken", 350)],
    },
    Group {
        key: "salad-",
        name: "Leave out",
        kind: OptionKind::Removable,
        options: &[("Croutons", 0), ("Anchovies", 0)],
    },
    Group {
        key: "gelato",
        name: "Flavour",
        kind: OptionKind::Choice,
        options: &[("Vanilla", 0), ("Chocolate", 0), ("Pistachio", 50)],
    },
    Group {
        key: "milk",
        name: "Milk",
        kind: OptionKind::Choice,
        options: &[("Whole milk", 0), ("Oat milk", 40), ("Soy milk", 40)],
    },
    Group {
        key: "drink-",
        name: "Leave out",
        kind: OptionKind::Removable,
        options: &[("Ice", 0), ("Lemon", 0)],
    },
];

/// Category, colour, station, and products (name, price in cents, option group keys).
type CategoryDef = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, i64, &'static [&'static str])],
);

const MENU: &[CategoryDef] = &[
    (
        "Starters",
        "#e07a5f",
        "kitchen",
        &[
            ("Bruschetta", 650, &[]),
            ("Garlic bread", 450, &[]),
            ("Soup of the day", 700, &[]),
            ("Burrata", 1150, &[]),
            ("Fried calamari", 1050, &[]),
            ("Caesar salad", 950, &["salad+", "salad-"]),
        ],
    ),
    (
        "Mains",
        "#3d405b",
        "kitchen",
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
    (
        "Desserts",
        "#81b29a",
        "kitchen",
        &[
            ("Tiramisu", 650, &[]),
            ("Crème brûlée", 700, &[]),
            ("Panna cotta", 600, &[]),
            ("Gelato", 550, &["gelato"]),
        ],
    ),
    (
        "Soft drinks & coffee",
        "#f2cc8f",
        "bar",
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
    (
        "Wine, beer & cocktails",
        "#9b5de5",
        "bar",
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
];

/// EAN-13 codes of the demo's bottled drinks.
pub const DEMO_BARCODES: [(&str, &str); 3] = [
    ("Sparkling water", "8001234500012"),
    ("Still water", "8001234500029"),
    ("Orange juice", "8001234500036"),
];

/// Seeds the demo venue if the database has no venue yet; returns whether it did.
pub async fn seed_if_empty(pool: &SqlitePool, pins: &Pins) -> ServiceResult<bool> {
    let mut tx = pool.begin().await?;
    if sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64" FROM venue"#)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    sqlx::query!("INSERT INTO venue (id, name, currency) VALUES (1, 'Trattoria Comanda', 'EUR')")
        .execute(&mut *tx)
        .await?;
    for (name, role, pin) in DEMO_STAFF {
        crate::services::staff::add(pins, &mut tx, name, role, pin).await?;
    }
    sqlx::query!(
        "INSERT INTO stations (id, name, sort_order, warn_after_secs, late_after_secs)
         VALUES ('kitchen', 'Kitchen', 0, 420, 900), ('bar', 'Bar', 1, 180, 420)"
    )
    .execute(&mut *tx)
    .await?;

    let mut group_ids = Vec::new();
    for (gi, g) in GROUPS.iter().enumerate() {
        let (id, order) = (OptionGroupId::new_v7(), gi as i64);
        sqlx::query!(
            "INSERT INTO option_groups (id, name, kind, sort_order) VALUES (?, ?, ?, ?)",
            id,
            g.name,
            g.kind,
            order
        )
        .execute(&mut *tx)
        .await?;
        for (oi, (name, delta)) in g.options.iter().enumerate() {
            let (oid, order) = (OptionId::new_v7(), oi as i64);
            sqlx::query!(
                "INSERT INTO options (id, group_id, name, price_delta_minor, sort_order) VALUES (?, ?, ?, ?, ?)",
                oid, id, name, delta, order
            )
            .execute(&mut *tx)
            .await?;
        }
        group_ids.push((g.key, id));
    }

    for (ci, (category, colour, station, products)) in MENU.iter().enumerate() {
        let (cid, order) = (CategoryId::new_v7(), ci as i64);
        sqlx::query!(
            "INSERT INTO categories (id, name, colour, sort_order) VALUES (?, ?, ?, ?)",
            cid,
            category,
            colour,
            order
        )
        .execute(&mut *tx)
        .await?;
        for (pi, (name, price, groups)) in products.iter().enumerate() {
            let (pid, order) = (ProductId::new_v7(), pi as i64);
            sqlx::query!(
                "INSERT INTO products (id, category_id, station_id, name, price_minor, sort_order)
                 VALUES (?, ?, ?, ?, ?, ?)",
                pid,
                cid,
                station,
                name,
                price,
                order
            )
            .execute(&mut *tx)
            .await?;
            for (gi, key) in groups.iter().enumerate() {
                let gid = group_ids.iter().find(|(k, _)| k == key).map(|(_, id)| *id);
                let order = gi as i64;
                sqlx::query!(
                    "INSERT INTO product_option_groups (product_id, group_id, sort_order) VALUES (?, ?, ?)",
                    pid, gid, order
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }

    // Italian VAT: 10 % on food and soft drinks served, 22 % on alcohol.
    sqlx::query!(
        "UPDATE products SET tax_rate_bp = 2200
         WHERE category_id = (SELECT id FROM categories WHERE name = 'Wine, beer & cocktails')"
    )
    .execute(&mut *tx)
    .await?;

    // An Italian venue keeps Italian time. The bar's happy hour, 17:00 to 19:00, is set up
    // but off, so prices stay predictable until a manager switches it on.
    sqlx::query!("UPDATE venue SET time_zone = 'Europe/Rome' WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO discount_rules (id, name, category_id, percent_bp, starts_minute, ends_minute, active)
         SELECT 'happy-hour', 'Happy hour', id, 2000, 1020, 1140, 0 FROM categories
         WHERE name = 'Wine, beer & cocktails'"
    )
    .execute(&mut *tx)
    .await?;

    // Bottled drinks carry barcodes, for the counter's scanner.
    for (name, code) in DEMO_BARCODES {
        sqlx::query!("UPDATE products SET barcode = ? WHERE name = ?", code, name)
            .execute(&mut *tx)
            .await?;
    }

    // Dining room: tables 1–8 on a 4×2 grid; terrace: 9–12 on a 2×2 grid.
    for (ri, (room, first, cols, count)) in [("Dining room", 1, 4, 8), ("Terrace", 9, 2, 4)]
        .into_iter()
        .enumerate()
    {
        let (rid, order) = (RoomId::new_v7(), ri as i64);
        sqlx::query!(
            "INSERT INTO rooms (id, name, sort_order) VALUES (?, ?, ?)",
            rid,
            room,
            order
        )
        .execute(&mut *tx)
        .await?;
        for i in 0..count {
            let (tid, label) = (TableId::new_v7(), (first + i).to_string());
            let (x, y, seats) = (i % cols, i / cols, if i % 3 == 0 { 2 } else { 4 });
            sqlx::query!(
                "INSERT INTO dining_tables (id, room_id, label, seats, grid_x, grid_y) VALUES (?, ?, ?, ?, ?, ?)",
                tid, rid, label, seats, x, y
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    // A kitchen printer on 80 mm paper and a bar printer on 58 mm with the cash drawer,
    // which also prints the bills.
    // Until real printers answer at these addresses, their jobs wait in the queue.
    for (name, connection, columns, drawer, station) in [
        ("Kitchen", "tcp://127.0.0.1:9100", 48, 0, "kitchen"),
        ("Bar", "tcp://127.0.0.1:9101", 32, 1, "bar"),
    ] {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query!(
            "INSERT INTO printers (id, name, connection, columns, code_page, has_drawer, prints_bills)
             VALUES (?, ?, ?, ?, 'CP858', ?, ?)",
            id,
            name,
            connection,
            columns,
            drawer,
            drawer
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO printer_stations (printer_id, station_id) VALUES (?, ?)",
            id,
            station
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}
