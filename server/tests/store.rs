//! The database on a real SQLite file: migrations, the demo seed, and the event log's rules.
//! Upgrades of an older release's database are in `migrations.rs`.

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
