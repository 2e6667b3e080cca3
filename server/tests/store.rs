//! The database on a real SQLite file: migrations, the demo seed, and the event log's rules.

mod fixture;

use server::db::Db;

#[tokio::test]
async fn migrations_and_the_demo_seed_build_the_venue_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("comanda.db")).await.unwrap();
    let pins = server::pins::Pins::open(dir.path()).unwrap();
    assert!(server::services::demo::seed_if_empty(&db.writer, &pins)
        .await
        .unwrap());
    assert!(
        !server::services::demo::seed_if_empty(&db.writer, &pins)
            .await
            .unwrap(),
        "a second seed does nothing"
    );

    let count = |sql: &'static str| {
        let pool = db.reader.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM products").await, 31);
    assert_eq!(count("SELECT COUNT(*) FROM categories").await, 5);
    assert_eq!(count("SELECT COUNT(*) FROM dining_tables").await, 12);
    assert_eq!(count("SELECT COUNT(*) FROM rooms").await, 2);
    assert_eq!(
        count("SELECT COUNT(DISTINCT station_id) FROM products").await,
        2
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT kind) FROM option_groups").await,
        3
    );
    assert_eq!(count("SELECT COUNT(*) FROM staff").await, 5);

    // Opening again (an upgrade with nothing new) keeps every row.
    drop(db);
    let db = Db::open(&dir.path().join("comanda.db")).await.unwrap();
    let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
        .fetch_one(&db.reader)
        .await
        .unwrap();
    assert_eq!(products, 31);
}

#[tokio::test]
async fn the_menu_reads_back_as_it_was_set_up_in_its_order() {
    let venue = fixture::in_process::venue().await;
    let db = &venue.state.db;
    sqlx::query("UPDATE products SET available = 0 WHERE name = 'Tiramisu'")
        .execute(&db.writer)
        .await
        .unwrap();
    sqlx::query("UPDATE products SET retired = 1 WHERE name = 'Bruschetta'")
        .execute(&db.writer)
        .await
        .unwrap();
    let mut conn = db.reader.acquire().await.unwrap();
    let menu = server::services::venue::load_menu_async(&mut conn)
        .await
        .unwrap();

    let stations: Vec<_> = menu.stations.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stations, ["Kitchen", "Bar"]);
    assert_eq!(menu.categories.len(), 5);
    assert!(menu
        .categories
        .windows(2)
        .all(|w| w[0].sort_order <= w[1].sort_order));
    assert_eq!(menu.products.len(), 30, "a retired product is left out");
    let product = |name: &str| menu.products.iter().find(|p| p.name == name).unwrap();
    assert!(!product("Tiramisu").available);
    assert!(product("Lager").available);
    let burger = product("Burger");
    assert_eq!(burger.price_minor, 1450);
    let groups: Vec<_> = burger
        .option_group_ids
        .iter()
        .map(|id| menu.option_groups.iter().find(|g| g.id == *id).unwrap())
        .collect();
    let names: Vec<_> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Doneness", "Extras", "Leave out"]);
    let extras: Vec<_> = groups[1]
        .options
        .iter()
        .map(|o| (o.name.as_str(), o.price_delta_minor))
        .collect();
    assert_eq!(
        extras,
        [("Cheese", 100), ("Bacon", 150), ("Fried egg", 120)]
    );
    assert_eq!(groups[0].kind, app::domain::menu::OptionKind::Choice);
    assert!(menu.products.iter().any(|p| p.barcode.is_some()));
}

#[tokio::test]
async fn the_event_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("comanda.db")).await.unwrap();
    sqlx::query(
        "INSERT INTO events (kind, created_at) VALUES ('order_opened', 1), ('order_sent', 2)",
    )
    .execute(&db.writer)
    .await
    .unwrap();
    let update = sqlx::query("UPDATE events SET kind = 'x'")
        .execute(&db.writer)
        .await
        .unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = sqlx::query("DELETE FROM events")
        .execute(&db.writer)
        .await
        .unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
    // Sequence numbers are never reused, even after the newest row is gone.
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM events ORDER BY seq")
        .fetch_all(&db.reader)
        .await
        .unwrap();
    assert_eq!(seqs, [1, 2]);
}

#[tokio::test]
async fn the_database_runs_in_wal_with_foreign_keys_and_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("comanda.db")).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&db.writer)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&db.writer)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&db.writer)
        .await
        .unwrap();
    assert_eq!(sync, 2, "FULL");
    let orphan = sqlx::query("INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity, unit_price_minor, added_by, created_at) VALUES ('l', 'no-order', 'p', 'n', 's', 1, 1, 'x', 0)")
        .execute(&db.writer)
        .await;
    assert!(orphan.is_err(), "foreign keys are enforced");
}

#[tokio::test]
async fn the_takeaway_migration_keeps_every_order_and_its_links() {
    // A database as the release before takeaway orders left it: migrations 1 to 3, a
    // table, a product, and an order with a line, a ticket and a waiter.
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("comanda.db").display()
    );
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before.migrations[..3].to_vec().into();
    before.run(&pool).await.unwrap();
    for sql in [
        "INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('0190f0f0-0000-7000-8000-0000000000a1', 'Ana', 'waiter', 'x', 0)",
        "INSERT INTO stations (id, name) VALUES ('kitchen', 'Kitchen')",
        "INSERT INTO categories (id, name) VALUES ('0190f0f0-0000-7000-8000-0000000000a2', 'Mains')",
        "INSERT INTO products (id, category_id, station_id, name, price_minor) VALUES ('0190f0f0-0000-7000-8000-0000000000a3', '0190f0f0-0000-7000-8000-0000000000a2', 'kitchen', 'Lasagna', 1350)",
        "INSERT INTO rooms (id, name) VALUES ('0190f0f0-0000-7000-8000-0000000000a4', 'Dining room')",
        "INSERT INTO dining_tables (id, room_id, label) VALUES ('0190f0f0-0000-7000-8000-0000000000a5', '0190f0f0-0000-7000-8000-0000000000a4', '3')",
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at)
         SELECT '0190f0f0-0000-7000-8000-000000000001', 7, t.id, s.id, 1 FROM dining_tables t, staff s
         WHERE t.label = '3' AND s.name = 'Ana'",
        "INSERT INTO order_waiters SELECT id, opened_by FROM orders",
        "INSERT INTO tickets (id, order_id, station_id, sent_by, created_at)
         SELECT '0190f0f0-0000-7000-8000-000000000002', id, 'kitchen', opened_by, 2 FROM orders",
        "INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity, unit_price_minor,
                                  status, ticket_id, added_by, created_at)
         SELECT '0190f0f0-0000-7000-8000-000000000003', o.id, p.id, p.name, 'kitchen', 2, p.price_minor,
                'sent', '0190f0f0-0000-7000-8000-000000000002', o.opened_by, 2
         FROM orders o, products p WHERE p.name = 'Lasagna'",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let db = Db::open(&dir.path().join("comanda.db")).await.unwrap();
    let mut conn = db.reader.acquire().await.unwrap();
    let orders = server::services::orders::load_orders_async(&mut conn, None)
        .await
        .unwrap();
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order.number, 7);
    assert!(order.table_id.is_some() && order.takeaway.is_none());
    assert_eq!(order.waiter_ids.len(), 1);
    assert_eq!(order.lines.len(), 1);
    assert_eq!(order.lines[0].quantity, 2);
    // The rebuilt table still refuses a second open order on the same table.
    let twice = sqlx::query(
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at)
         SELECT 'x', 8, table_id, opened_by, 3 FROM orders",
    )
    .execute(&db.writer)
    .await;
    assert!(twice.is_err(), "one open order per table");
    // And foreign keys are on again.
    let orphan = sqlx::query(
        "INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity,
                                  unit_price_minor, added_by, created_at)
         SELECT 'y', 'no such order', product_id, product_name, station_id, 1, 0, added_by, 3 FROM order_lines",
    )
    .execute(&db.writer)
    .await;
    assert!(orphan.is_err(), "foreign keys are enforced after migrating");
}

/// Migration 24 rebuilds five tables to write their CHECKs without temporary indexes
/// (`query_plans`): a venue's rows come through it unchanged, column by column, the
/// order lines' discounts still point at them, and a value the CHECKs refused is still
/// refused.
#[tokio::test]
async fn rebuilding_tables_for_their_checks_keeps_every_row() {
    use rusqlite::types::Value;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comanda.db");
    // Foreign keys off, as `db::migrate` runs migrations: the rows below point nowhere.
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .foreign_keys(false);
    let pool = sqlx::SqlitePool::connect_with(options.clone())
        .await
        .unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before.migrations[..23].to_vec().into();
    assert_eq!(before.migrations.last().unwrap().version, 20261203000023);
    before.run(&pool).await.unwrap();
    pool.close().await;

    // Rows as a venue has them, with statuses and methods from the CHECKs' lists.
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity,
                                  unit_price_minor, status, added_by, created_at, seat, kitchen_name)
         VALUES ('l1', 'o1', 'p1', 'Lager', 'bar', 2, 450, 'served', 's1', 10, 2, 'LAGER'),
                ('l2', 'o1', 'p2', 'Pizza', 'kitchen', 1, 900, 'void', 's1', 11, NULL, NULL);
         INSERT INTO discounts (id, order_id, line_id, kind, value, reason, given_by, created_at)
         VALUES ('d1', 'o1', 'l1', 'percent', 1000, 'regular', 's1', 12);
         INSERT INTO payments (id, order_id, method, amount_minor, tip_minor, tendered_minor,
                               change_minor, taken_by, created_at, items_json)
         VALUES ('p1', 'o1', 'voucher', 1800, 100, 2000, 100, 's1', 13, '[\"l1\"]');
         INSERT INTO refunds (id, order_id, method, amount_minor, reason, refunded_by,
                              approved_by, created_at)
         VALUES ('r1', 'o1', 'house', 450, 'spilt', 's1', 's2', 14);
         INSERT INTO print_jobs (id, printer_id, kind, ticket_id, status, created_at,
                                 next_attempt_at, done_at)
         VALUES ('j1', 'pr1', 'drawer_pulse', NULL, 'cancelled', 15, 15, NULL),
                ('j2', 'pr1', 'report', NULL, 'done', 16, 16, 17);
         INSERT INTO sms_outbox (id, order_id, event, to_phone, body, status, created_at,
                                 next_attempt_at)
         VALUES ('m1', 'o1', 'ready', '+39333', 'Ready', 'failed', 18, 18);",
    )
    .unwrap();
    let tables = [
        "order_lines",
        "payments",
        "refunds",
        "print_jobs",
        "sms_outbox",
    ];
    let rows = |db: &rusqlite::Connection, table: &str| -> Vec<Vec<Value>> {
        let mut all = db
            .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
            .unwrap();
        let width = all.column_count();
        let rows = all
            .query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    let before: Vec<_> = tables.iter().map(|t| rows(&db, t)).collect();
    assert!(before.iter().all(|rows| !rows.is_empty()));
    drop(db);

    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    pool.close().await;
    let db = rusqlite::Connection::open(&path).unwrap();
    for (table, before) in tables.iter().zip(before) {
        assert_eq!(rows(&db, table), before, "{table} after migration 24");
    }
    let line_of_discount: String = db
        .query_row(
            "SELECT l.product_name FROM discounts d JOIN order_lines l ON l.id = d.line_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(line_of_discount, "Lager");
    let parents: Vec<String> = db
        .prepare("SELECT \"table\" FROM pragma_foreign_key_list('discounts')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(parents.contains(&"order_lines".to_string()), "{parents:?}");
    let refused = db
        .execute("UPDATE payments SET method = 'cheque' WHERE id = 'p1'", [])
        .unwrap_err();
    assert!(refused.to_string().contains("CHECK"), "{refused}");
}
