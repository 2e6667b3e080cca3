//! Upgrades: a database as an older release left it, with a venue's rows, migrated to
//! this release's schema keeps every row and what points at it.

use server::db::Db;

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
    migrations_up_to(20261122000003).run(&pool).await.unwrap();
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

/// The server's migrations up to and including `last`: a database as an older release
/// left it.
fn migrations_up_to(last: i64) -> sqlx::migrate::Migrator {
    let mut migrator = sqlx::migrate!("./migrations");
    let kept: Vec<_> = migrator
        .migrations
        .iter()
        .filter(|m| m.version <= last)
        .cloned()
        .collect();
    migrator.migrations = kept.into();
    migrator
}

/// Migration 24 rebuilds five tables to write their CHECKs without temporary indexes
/// (`query_plans`): a venue's rows come through it unchanged, every column set to a value
/// of its own; the tables keep their columns, keys and indexes; the order lines'
/// discounts still point at them; and the CHECKs accept exactly the values they did.
/// Foreign keys are off, as `db::migrate` runs migrations, since these rows point at
/// nothing (the check that follows migrating is the takeaway test's).
#[tokio::test]
async fn rebuilding_tables_for_their_checks_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comanda.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .foreign_keys(false);
    let pool = sqlx::SqlitePool::connect_with(options.clone())
        .await
        .unwrap();
    migrations_up_to(20261203000023).run(&pool).await.unwrap();
    pool.close().await;

    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity,
             unit_price_minor, options_json, note, course, status, ticket_id, added_by,
             created_at, ready_at, tax_rate_bp, void_reason, voided_by, void_approved_by,
             voided_at, seat, kitchen_name)
         VALUES ('l1', 'o1', 'p1', 'Lager', 'bar', 2, 450, '[\"o9\"]', 'cold', 2, 'served',
                 't1', 's1', 10, 11, 2200, 'spilt', 's2', 's3', 12, 3, 'LAGER'),
                ('l2', 'o1', 'p2', 'Pizza', 'kitchen', 1, 900, '[]', '', 1, 'new',
                 NULL, 's1', 13, NULL, 1000, NULL, NULL, NULL, NULL, NULL, NULL);
         INSERT INTO discounts (id, order_id, line_id, kind, value, reason, given_by, created_at)
         VALUES ('d1', 'o1', 'l1', 'percent', 1000, 'regular', 's1', 14);
         INSERT INTO payments (id, order_id, method, amount_minor, tip_minor, tendered_minor,
             change_minor, reference, taken_by, created_at, seat, items_json, rounding_minor)
         VALUES ('p1', 'o1', 'voucher', 1800, 100, 2000, 99, 'V-7', 's1', 15, 2, '[\"l1\"]', -2);
         INSERT INTO refunds (id, order_id, method, amount_minor, reason, line_ids, refunded_by,
             approved_by, created_at)
         VALUES ('r1', 'o1', 'house', 450, 'spilt', '[\"l1\"]', 's1', 's2', 16);
         INSERT INTO print_jobs (id, printer_id, kind, ticket_id, order_id, report_json, status,
             reprint, attempts, last_error, created_at, next_attempt_at, done_at)
         VALUES ('j1', 'pr1', 'bill', 't1', 'o1', '{\"z\": 1}', 'sending', 1, 3, 'paper out',
                 17, 18, 19);
         INSERT INTO sms_outbox (id, order_id, event, to_phone, body, status, attempts,
             last_error, provider_id, created_at, next_attempt_at, sent_at)
         VALUES ('m1', 'o1', 'ready', '+39333', 'Ready', 'sent', 2, 'busy', 'SM1', 20, 21, 22);",
    )
    .unwrap();
    // Each rebuilt CHECK's column, a row to try values on, and values to try: the ones
    // listed, and some that are not.
    let checks = [
        (
            "order_lines",
            "status",
            "l1",
            "new sent preparing ready served void paid",
        ),
        ("payments", "method", "p1", "cash card voucher house cheque"),
        ("refunds", "method", "r1", "cash card voucher house cheque"),
        (
            "print_jobs",
            "kind",
            "j1",
            "kitchen_ticket drawer_pulse bill report label",
        ),
        (
            "print_jobs",
            "status",
            "j1",
            "queued sending done cancelled failed",
        ),
        (
            "sms_outbox",
            "status",
            "m1",
            "queued sending sent failed done",
        ),
    ];
    let tables = [
        "order_lines",
        "payments",
        "refunds",
        "print_jobs",
        "sms_outbox",
    ];
    let look = |db: &rusqlite::Connection| {
        let rows: Vec<_> = tables.iter().map(|t| rows(db, t)).collect();
        let shapes: Vec<_> = tables.iter().map(|t| shape(db, t)).collect();
        let accepted: Vec<_> = checks
            .iter()
            .map(|(table, column, id, values)| accepted(db, table, column, id, values))
            .collect();
        (rows, shapes, accepted)
    };
    let before = look(&db);
    assert!(before.0.iter().all(|rows| !rows.is_empty()));
    assert!(before.2.iter().all(|ok| ok.len() == 4 || ok.len() == 6));
    drop(db);

    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    pool.close().await;
    let db = rusqlite::Connection::open(&path).unwrap();
    let after = look(&db);
    for (i, table) in tables.iter().enumerate() {
        assert_eq!(after.0[i], before.0[i], "{table}'s rows after migration 24");
        assert_eq!(
            after.1[i], before.1[i],
            "{table}'s shape after migration 24"
        );
    }
    for (i, (table, column, ..)) in checks.iter().enumerate() {
        assert_eq!(
            after.2[i], before.2[i],
            "{table}.{column} after migration 24"
        );
    }
    let line_of_discount: String = db
        .query_row(
            "SELECT l.product_name FROM discounts d JOIN order_lines l ON l.id = d.line_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(line_of_discount, "Lager");
}

/// Every row of `table`, every column, in id order.
fn rows(db: &rusqlite::Connection, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut all = db
        .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
        .unwrap();
    let width = all.column_count();
    let rows = all
        .query_map([], |r| (0..width).map(|i| r.get(i)).collect())
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// What `table` is made of, apart from its CHECKs: its columns (name, type, NOT NULL,
/// default, key), its foreign keys, and its indexes (columns, uniqueness, partial WHERE).
fn shape(db: &rusqlite::Connection, table: &str) -> Vec<String> {
    let mut shape = Vec::new();
    for query in [
        format!(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo('{table}')"
        ),
        format!("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{table}')"),
        format!(
            "SELECT l.name, l.\"unique\", l.partial, i.name, s.sql
             FROM pragma_index_list('{table}') l JOIN pragma_index_info(l.name) i
             LEFT JOIN sqlite_schema s ON s.name = l.name ORDER BY l.name, i.seqno"
        ),
    ] {
        let mut statement = db.prepare(&query).unwrap();
        let width = statement.column_count();
        let rows = statement
            .query_map([], |r| {
                let cells: Vec<rusqlite::types::Value> =
                    (0..width).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{cells:?}"))
            })
            .unwrap();
        shape.extend(rows.map(Result::unwrap));
    }
    shape.sort();
    shape
}

/// Which of `values` (space-separated) the CHECKs let `column` of row `id` take; every
/// try is undone.
fn accepted(
    db: &rusqlite::Connection,
    table: &str,
    column: &str,
    id: &str,
    values: &str,
) -> Vec<String> {
    let mut ok = Vec::new();
    for value in values.split(' ') {
        db.execute_batch("SAVEPOINT try").unwrap();
        let set = db.execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2"),
            [value, id],
        );
        match set {
            Ok(1) => ok.push(value.to_string()),
            Ok(n) => panic!("{n} rows of {table} updated"),
            Err(e) => assert!(e.to_string().contains("CHECK"), "{e}"),
        }
        db.execute_batch("ROLLBACK TO try; RELEASE try").unwrap();
    }
    ok
}
