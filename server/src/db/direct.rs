//! The direct path to SQLite: services written as plain synchronous rusqlite calls, run on
//! the thread that holds the connection.
//!
//! Why: sqlx runs each SQLite connection on a thread of its own and hands every statement
//! to it and its rows back, two thread wake-ups per statement. A whole order is dozens of
//! statements, and `perf` put most of the server's time per order (55 to 75 % on the
//! machines we measured) in the kernel waking and switching those threads (`make bench`:
//! ~200 context switches per order), SQLite itself at a few per cent. On the direct path
//! a write is one hand-off to the writer (`group_commit`), which runs every statement of
//! every write in the group as a function call on a connection of its own
//! (`open_writer`), whose statements stay prepared, one per `sql!` (`Kept`).
//!
//! sqlx stays: it opens and migrates the database, runs the code not moved yet, and checks
//! every query at build time. `sql!` gives its literal and arguments to `sqlx::query!` in a
//! branch that never runs, so the SQL, the number of parameters and their types are checked
//! against the schema as before (`.sqlx/` holds them for offline builds), and rusqlite runs
//! the same literal. What is not checked at build time is the result's columns: rows are
//! read by position (type overrides such as `AS "id!: OrderId"` only serve the check), so a
//! SELECT's columns and its reader are kept side by side, and the tests read every one.

use rusqlite::{CachedStatement, Connection, OptionalExtension, Row, Statement, ToSql};
use sqlx::sqlite::LockedSqliteHandle;
use sqlx::SqliteConnection;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::Duration;

pub use super::kept::Site;
use super::kept::{Kept, Lent};

/// A statement checked at build time against the schema, ready to run on `conn` (a
/// `Conn`) with its arguments: `sql!(conn, "SELECT name FROM staff WHERE id = ?", id).scalar()?`.
///
/// Arguments are borrowed, so a value made on the spot (`now_ms()`) goes in a local first.
macro_rules! sql {
    ($conn:expr, $sql:literal $(, $arg:expr)* $(,)?) => {{
        if false {
            // Never runs: sqlx checks the SQL and the arguments' types at build time.
            let _ = ::sqlx::query!($sql $(, $arg)*);
        }
        static SITE: $crate::db::direct::Site = $crate::db::direct::Site::new($sql);
        $crate::db::direct::Checked::new(
            $conn,
            &SITE,
            ::std::vec![$(&$arg as &dyn ::rusqlite::ToSql),*],
        )
    }};
}
pub(crate) use sql;

/// A connection on the direct path, as services take it: rusqlite's connection, and on
/// the writer the statements it keeps prepared (`Kept`). Derefs to the connection.
#[derive(Clone, Copy)]
pub struct Conn<'k, 'c> {
    conn: &'c Connection,
    kept: Option<&'k Kept<'c>>,
}

impl<'c> Conn<'_, 'c> {
    /// `conn`, whose statements `sql!` prepares through rusqlite's cache (keyed by the
    /// SQL's text): a reader's, or one borrowed from sqlx.
    pub fn new(conn: &'c Connection) -> Self {
        Self { conn, kept: None }
    }
}

impl<'k, 'c> Conn<'k, 'c> {
    /// The writer's connection, with the statements it keeps (`Kept`).
    pub fn writer(kept: &'k Kept<'c>) -> Self {
        Self {
            conn: kept.conn(),
            kept: Some(kept),
        }
    }
}

impl Deref for Conn<'_, '_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

/// A prepared statement: a kept one on the writer, else one of rusqlite's cache.
enum Prepared<'k, 'c> {
    Kept(Lent<'k, 'c>),
    Cached(CachedStatement<'c>),
}

impl<'c> Deref for Prepared<'_, 'c> {
    type Target = Statement<'c>;
    fn deref(&self) -> &Statement<'c> {
        match self {
            Self::Kept(lent) => lent,
            Self::Cached(cached) => cached,
        }
    }
}

impl DerefMut for Prepared<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Self::Kept(lent) => lent,
            Self::Cached(cached) => cached,
        }
    }
}

/// A checked statement with its arguments (made by `sql!`).
pub struct Checked<'k, 'c, 'a> {
    statement: rusqlite::Result<Prepared<'k, 'c>>,
    args: Vec<&'a dyn ToSql>,
}

impl<'k, 'c, 'a> Checked<'k, 'c, 'a> {
    /// Prepares the SQL of `site` with `args`: kept for the life of the writer's
    /// connection (`Kept`), for the life of a reader's, or once per call for `direct`.
    pub fn new(conn: &Conn<'k, 'c>, site: &Site, args: Vec<&'a dyn ToSql>) -> Self {
        let statement = match conn.kept {
            Some(kept) => kept.lend(site).map(Prepared::Kept),
            None => conn.conn.prepare_cached(site.sql()).map(Prepared::Cached),
        };
        Self { statement, args }
    }

    /// Runs it; the number of rows it changed.
    pub fn execute(self) -> rusqlite::Result<usize> {
        self.statement?.execute(self.args.as_slice())
    }

    /// Runs an `INSERT` of one row; the row's rowid. Cheaper than `RETURNING rowid`, for
    /// which SQLite first gathers the returned rows in a temporary table.
    pub fn insert(self) -> rusqlite::Result<i64> {
        self.statement?.insert(self.args.as_slice())
    }

    /// The one row it must give, mapped by `map`.
    pub fn row<T>(self, map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        self.statement?.query_row(self.args.as_slice(), map)
    }

    /// The row it gives, if any, mapped by `map`.
    pub fn optional<T>(
        self,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Option<T>> {
        self.statement?
            .query_row(self.args.as_slice(), map)
            .optional()
    }

    /// Every row it gives, mapped by `map`.
    pub fn rows<T>(
        self,
        mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let mut statement = self.statement?;
        let rows = statement.query_map(self.args.as_slice(), |row| map(row))?;
        rows.collect()
    }

    /// The first column of the one row it must give.
    pub fn scalar<T: rusqlite::types::FromSql>(self) -> rusqlite::Result<T> {
        self.row(|row| row.get(0))
    }

    /// The first column of the row it gives, if any.
    pub fn scalar_optional<T: rusqlite::types::FromSql>(self) -> rusqlite::Result<Option<T>> {
        self.optional(|row| row.get(0))
    }
}

/// Runs `work` on `conn` through the direct path, from code still on sqlx: one round trip
/// to lock the connection, then plain calls (`blocking`, as they were on sqlx's thread).
/// The connection's transaction, if any, is the one `work` runs in.
pub async fn direct<T>(
    conn: &mut SqliteConnection,
    work: impl FnOnce(&Conn) -> T,
) -> Result<T, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = borrow(&mut handle)?;
    Ok(blocking(|| work(&Conn::new(&db))))
}

/// Whether a statement was refused for a key or unique value already taken.
pub fn is_unique_violation(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi::{SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE};
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == SQLITE_CONSTRAINT_PRIMARYKEY || f.extended_code == SQLITE_CONSTRAINT_UNIQUE)
}

/// Opens the writer's own connection for the direct path, set up as sqlx's are (WAL,
/// `synchronous = FULL`, foreign keys, a busy wait) and kept for the server's life, so its
/// prepared statements are too. Only the writer thread uses it, so SQLite's per-connection
/// mutex is left out.
pub fn open_writer(path: &Path) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    more_lookaside(&conn)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -1024;",
    )?;
    // cache_size: half SQLite's default; a write touches the pages of a few orders and
    // their indexes, and the OS caches the file too (`make bench`: same speed, 1 MiB less
    // at peak).
    // temp_store: each job's savepoint journals the pages it changes, and sorts need
    // room; both are a few pages here, so memory, not a temporary file per write. (At
    // the default, SQLite keeps a savepoint's journal in one 64 KB piece instead of 1 KB
    // pieces, 7 % fewer instructions per whole order, but a group's journals pass 64 KB
    // and spill to temporary files: 200 of them and five times the writes in `make
    // bench`'s whole orders, which cost more than the instructions saved.)
    // The services' statements are kept by `Kept`; rusqlite's cache holds the few the
    // writer runs by text (`run`: BEGIN, COMMIT, the savepoints).
    conn.set_prepared_statement_cache_capacity(16);
    Ok(conn)
}

/// Gives the writer's connection 1.2 MB of lookaside instead of SQLite's 48 KB (1,200-byte
/// slots, which SQLite splits into about 760 of them and 2,300 of 128 bytes): lookaside is
/// the connection's own pool for SQLite's small allocations, and the writer's prepared
/// statements keep the default's 48 KB taken, so the cursors and values of every
/// statement went to malloc and free, about 1,000 calls per whole order (callgrind: 9 % of
/// the server's instructions in `make bench`'s whole orders). SQLite writes the whole pool
/// when it sets it up, so it is 1.2 MB of memory from the start; only the writer has it
/// (the same for every connection took 8 MiB more at peak). Must run before the
/// connection's first statement.
fn more_lookaside(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::ffi;
    use std::os::raw::{c_int, c_void};
    const SLOT_BYTES: c_int = 1200;
    const SLOTS: c_int = 1000;
    // SAFETY: the handle is this open connection's, used on this thread only; with a null
    // buffer SQLite allocates the pool itself, and no lookaside is in use yet (nothing has
    // been prepared), which is when SQLite allows the change.
    let rc = unsafe {
        ffi::sqlite3_db_config(
            conn.handle(),
            ffi::SQLITE_DBCONFIG_LOOKASIDE,
            std::ptr::null_mut::<c_void>(),
            SLOT_BYTES,
            SLOTS,
        )
    };
    match rc {
        ffi::SQLITE_OK => Ok(()),
        rc => Err(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            Some("lookaside".into()),
        )),
    }
}

/// A rusqlite view of the connection `handle` has locked, valid while the lock is held
/// (the borrow ties them). Dropping it finalises its cached statements and leaves the
/// connection open.
pub fn borrow<'h>(handle: &'h mut LockedSqliteHandle<'_>) -> Result<Borrowed<'h>, sqlx::Error> {
    let raw = handle.as_raw_handle();
    // SAFETY: the handle is a live connection, and while `handle` is locked sqlx's thread
    // does not touch it (`LockedSqliteHandle::as_raw_handle`); the borrow keeps it locked
    // for as long as the view lives. `from_handle` makes a view that never closes it, and
    // dropping the view finalises only its own statements (never `mem::forget` one: sqlx
    // could not close the connection past them). rusqlite's `hooks` feature stays off: a
    // view with it would clear sqlx's hooks when dropped.
    let conn = unsafe { Connection::from_handle(raw.as_ptr()) }
        .map_err(|e| sqlx::Error::Protocol(format!("the direct path: {e}")))?;
    Ok(Borrowed {
        conn,
        _locked: std::marker::PhantomData,
    })
}

/// A rusqlite connection borrowed from a locked sqlx connection (`borrow`).
pub struct Borrowed<'h> {
    conn: Connection,
    _locked: std::marker::PhantomData<&'h mut ()>,
}

impl std::ops::Deref for Borrowed<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

/// A savepoint within the write's transaction, undone unless released: an early return
/// (`?`) or a panic leaves nothing of what ran after it.
///
/// Under `optimistically` a savepoint costs nothing: it is not made, and undoing it (or
/// dropping it open) only notes that a savepoint was needed, and fails, so the write
/// stops and is run again with real ones (`group_commit`).
pub struct Savepoint<'c> {
    conn: &'c Connection,
    open: bool,
    /// Made in SQLite; false under `optimistically`.
    real: bool,
}

impl<'c> Savepoint<'c> {
    pub fn start(conn: &'c Connection) -> rusqlite::Result<Self> {
        let real = !OPTIMISTIC.with(|o| o.get().is_some());
        if real {
            run(conn, "SAVEPOINT part")?;
        }
        Ok(Self {
            conn,
            open: true,
            real,
        })
    }

    /// Keeps what ran since the start. If that fails, dropping it undoes them.
    pub fn release(mut self) -> rusqlite::Result<()> {
        if self.real {
            run(self.conn, "RELEASE part")?;
        }
        self.open = false;
        Ok(())
    }

    /// Undoes what ran since the start.
    pub fn undo(mut self) -> rusqlite::Result<()> {
        self.roll_back()
    }

    fn roll_back(&mut self) -> rusqlite::Result<()> {
        if !self.real {
            self.open = false;
            OPTIMISTIC.with(|o| o.set(Some(true)));
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
                Some("a savepoint was needed: the write runs again with savepoints".into()),
            ));
        }
        run(self.conn, "ROLLBACK TO part")?;
        run(self.conn, "RELEASE part")?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if self.open {
            // Failing here, the write's own savepoint or transaction still undoes it.
            let _ = self.roll_back();
        }
    }
}

thread_local! {
    /// `Some` while `optimistically` runs on this thread: whether a savepoint was needed.
    static OPTIMISTIC: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Runs `work` with savepoints that cost nothing (`Savepoint`): what it returns, and
/// whether it needed a savepoint to undo part of its work, in which case that part was
/// not undone and the caller must roll the transaction back.
///
/// Why: a savepoint makes SQLite copy every page the first time it is written after the
/// savepoint opened, and nearly every write keeps all its work. Running them without
/// savepoints first, and again with them only when one was needed, took a tenth of the
/// writer's instructions off each whole order (callgrind, `make bench`).
pub fn optimistically<R>(work: impl FnOnce() -> R) -> (R, bool) {
    /// Ends the optimistic run even if `work` panics.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            OPTIMISTIC.with(|o| o.set(None));
        }
    }
    debug_assert!(
        OPTIMISTIC.with(|o| o.get()).is_none(),
        "optimistic runs do not nest: the inner one would end the outer"
    );
    OPTIMISTIC.with(|o| o.set(Some(false)));
    let reset = Reset;
    let result = work();
    let needed = OPTIMISTIC.with(|o| o.get()).unwrap_or(false);
    drop(reset);
    (result, needed)
}

/// Runs one statement without arguments, e.g. `SAVEPOINT part`. It stays prepared, as
/// `sql!`'s do: every job and operation runs a few of these.
pub fn run(conn: &Connection, statement: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(statement)?.execute([]).map(|_| ())
}

/// Runs blocking work from async code: with `block_in_place` when the runtime has several
/// workers (the others take over this one's tasks meanwhile), else in place (a test's
/// runtime).
pub fn blocking<R>(work: impl FnOnce() -> R) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::{run, Savepoint};
    use rusqlite::Connection;

    fn count(db: &Connection) -> i64 {
        db.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    /// What ran after a savepoint stays only if it is released: an early return or an
    /// undo leaves the transaction as it was, and the savepoints nest.
    #[test]
    fn a_savepoint_is_undone_unless_released() {
        let db = Connection::open_in_memory().unwrap();
        run(&db, "CREATE TABLE t (n INTEGER)").unwrap();
        run(&db, "BEGIN").unwrap();
        let failing = |db: &Connection| -> rusqlite::Result<()> {
            let _part = Savepoint::start(db)?;
            db.execute("INSERT INTO t VALUES (1)", [])?;
            db.execute("INSERT INTO nowhere VALUES (1)", [])?;
            Ok(())
        };
        assert!(failing(&db).is_err());
        assert_eq!(count(&db), 0, "the early return undid the insert");

        let outer = Savepoint::start(&db).unwrap();
        db.execute("INSERT INTO t VALUES (2)", []).unwrap();
        let inner = Savepoint::start(&db).unwrap();
        db.execute("INSERT INTO t VALUES (3)", []).unwrap();
        inner.undo().unwrap();
        outer.release().unwrap();
        assert_eq!(count(&db), 1, "only the outer part stays");
        run(&db, "COMMIT").unwrap();
        assert!(db.is_autocommit());
    }

    /// Under `optimistically` a savepoint is not made: releasing it keeps the work, and
    /// undoing it (or an early return) fails and says a savepoint was needed, undoing
    /// nothing. Outside, savepoints are real again.
    #[test]
    fn an_optimistic_savepoint_costs_nothing_and_reports_an_undo() {
        let db = Connection::open_in_memory().unwrap();
        run(&db, "CREATE TABLE t (n INTEGER)").unwrap();
        run(&db, "BEGIN").unwrap();
        let (kept, needed) = super::optimistically(|| {
            let part = Savepoint::start(&db)?;
            db.execute("INSERT INTO t VALUES (1)", [])?;
            assert!(
                run(&db, "RELEASE part").is_err(),
                "no savepoint was made in SQLite"
            );
            part.release()
        });
        assert!(kept.is_ok() && !needed);
        assert_eq!(count(&db), 1);

        let (undone, needed) = super::optimistically(|| {
            let part = Savepoint::start(&db)?;
            db.execute("INSERT INTO t VALUES (2)", [])?;
            part.undo()
        });
        assert!(undone.is_err() && needed, "the undo asks for savepoints");
        assert_eq!(count(&db), 2, "and undid nothing itself");

        let failing = || -> rusqlite::Result<()> {
            let _part = Savepoint::start(&db)?;
            db.execute("INSERT INTO t VALUES (4)", [])?;
            db.execute("INSERT INTO nowhere VALUES (1)", [])?;
            Ok(())
        };
        assert!(super::optimistically(failing).1, "an early return too");
        assert_eq!(count(&db), 3);
        assert!(failing().is_err());
        assert_eq!(count(&db), 3, "outside, the savepoint is real");
        let part = Savepoint::start(&db).unwrap();
        db.execute("INSERT INTO t VALUES (3)", []).unwrap();
        part.undo().unwrap();
        assert_eq!(count(&db), 3);
    }

    /// Work on the direct path from sqlx code runs in sqlx's transaction: it goes with a
    /// rollback and stays with a commit.
    #[tokio::test]
    async fn direct_work_joins_the_sqlx_transaction() {
        use sqlx::Connection as _;
        let dir = tempfile::tempdir().unwrap();
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&mut conn)
            .await
            .unwrap();
        let insert = |n: i64| move |db: &super::Conn| db.execute("INSERT INTO t VALUES (?1)", [n]);
        let mut tx = conn.begin().await.unwrap();
        super::direct(&mut tx, insert(1)).await.unwrap().unwrap();
        tx.rollback().await.unwrap();
        let mut tx = conn.begin().await.unwrap();
        super::direct(&mut tx, insert(2)).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        let kept: Vec<i64> = sqlx::query_scalar("SELECT n FROM t")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(kept, [2]);
    }
}
