//! The SQLite database: opened once at start-up, migrated, and shared as two pools.
//!
//! SQLite allows one writer at a time. Writes go through a one-connection `writer` pool so
//! they queue in the server instead of failing with `SQLITE_BUSY`, and the writes of
//! requests go through `Db::write`, which groups them into shared commits
//! (`group_commit`). Reads use the `reader` pool, or for short lookups `Db::read`
//! (`readers`), and thanks to WAL never wait for the writer.
//!
//! Durability: `synchronous = FULL` makes every commit fsync the WAL before it returns,
//! and every API call that changes an order answers only after its commit, so an order the
//! server acknowledged survives a power cut.

pub mod backup;
pub mod direct;
pub mod group_commit;
mod kept;
pub mod readers;

use futures_util::future::BoxFuture;
use group_commit::GroupCommit;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::SqliteConnection;
use std::sync::Arc;
use std::{path::Path, time::Duration};

#[derive(Clone, Debug)]
pub struct Db {
    pub reader: SqlitePool,
    pub writer: SqlitePool,
    commits: GroupCommit,
    readers: Arc<readers::Readers>,
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
        // The direct path's connection (`direct::open_writer`) does most writing, so this
        // one keeps a small page cache: the two together stay within what one did.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone().pragma("cache_size", "-256"))
            .await?;
        migrate(&writer).await?;
        // Four readers keep a 2-core box busy; each has a page cache and a thread of its
        // own, and eight took 5 MiB more at peak (`make bench`) for no speed. Their page
        // caches are half SQLite's default: the OS caches the file too.
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true).pragma("cache_size", "-1024"))
            .await?;
        let direct = direct::open_writer(path)
            .map_err(|e| sqlx::Error::Protocol(format!("the direct path's connection: {e}")))?;
        let commits = GroupCommit::start(writer.clone(), direct).map_err(sqlx::Error::Io)?;
        Ok(Self {
            reader,
            writer,
            commits,
            readers: Arc::new(readers::Readers::new(path)),
        })
    }

    /// Runs `work` as one write in the next shared commit, answering after that commit;
    /// `after_commit` runs right after it, in commit order. See `group_commit`.
    pub async fn write<T, E, F, A>(&self, work: F, after_commit: A) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        A: FnOnce(&mut T) + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.commits.write(work, after_commit).await
    }

    /// Writes waiting for the writer now.
    pub fn writes_queued(&self) -> usize {
        self.commits.queued()
    }

    /// A short read on the direct path, run in place (`readers`): a lookup by key, not a
    /// report.
    pub fn read<T>(
        &self,
        work: impl FnOnce(&direct::Conn) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.readers.read(work)
    }

    /// `write` for work on the direct path (`direct`): plain calls on the writer's
    /// connection, one hand-off for the whole write. `work` may run twice
    /// (`group_commit`), so it only talks to the database.
    pub async fn write_direct<T, E, F, A>(&self, work: F, after_commit: A) -> Result<T, E>
    where
        F: Fn(&direct::Conn) -> Result<T, E> + Send + 'static,
        A: FnOnce(&mut T) + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.commits.write_direct(work, after_commit).await
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

/// The newest migration this build has: a database whose schema is newer was made by a
/// newer Comanda (a backup refused on restore).
pub fn latest_migration() -> i64 {
    sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}
