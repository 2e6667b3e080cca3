//! The SQLite database: opened once at start-up, migrated, and shared as two pools.
//!
//! SQLite allows one writer at a time. Writes go through a one-connection `writer` pool so
//! they queue in the server instead of failing with `SQLITE_BUSY`; reads use the `reader`
//! pool and, thanks to WAL, never wait for the writer.
//!
//! Durability: `synchronous = FULL` makes every commit fsync the WAL before it returns,
//! and every API call that changes an order answers only after its commit, so an order the
//! server acknowledged survives a power cut.

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::{path::Path, time::Duration};

#[derive(Clone, Debug)]
pub struct Db {
    pub reader: SqlitePool,
    pub writer: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        migrate(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { reader, writer })
    }
}

/// Applies pending migrations with foreign keys off, as SQLite's table rebuilds need
/// (`ALTER TABLE` cannot change a column), then checks every foreign key.
async fn migrate(writer: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut conn = writer.acquire().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let migrated = sqlx::migrate!("./migrations").run(&mut *conn).await;
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    migrated?;
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    if !broken.is_empty() {
        return Err(sqlx::Error::Protocol(format!(
            "{} rows break a foreign key after migrating",
            broken.len()
        )));
    }
    Ok(())
}

/// Whether the database answers a trivial query (for the health check).
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64""#)
        .fetch_one(pool)
        .await
        .map(|_| ())
}

/// Milliseconds since the Unix epoch, UTC: how every timestamp is stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
