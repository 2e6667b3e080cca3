//! The writer's prepared statements, kept for its connection's life, one per `sql!` call
//! site (`Kept`), and the site each `sql!` stands at (`Site`).
//!
//! Why not rusqlite's cache (`prepare_cached`): it finds a statement by its SQL, so every
//! use hashes the whole text twice (taking the statement out, putting it back) and copies
//! it into a new key; on the writer that was 7 % of its instructions per whole order
//! (callgrind over `make bench`'s whole orders). Here a statement is found by its site's
//! slot, a number given the first time the site runs on the writer.

use rusqlite::{Connection, Statement};
use std::cell::RefCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A `sql!` in the code: its SQL, and its slot among the writer's kept statements, given
/// the first time it runs on the writer.
pub struct Site {
    sql: &'static str,
    slot: AtomicUsize,
}

/// The next slot to give (slots count from 1; 0 is "none yet").
static NEXT_SITE: AtomicUsize = AtomicUsize::new(1);

impl Site {
    pub const fn new(sql: &'static str) -> Self {
        Self {
            sql,
            slot: AtomicUsize::new(0),
        }
    }

    pub fn sql(&self) -> &'static str {
        self.sql
    }

    fn slot(&self) -> usize {
        match self.slot.load(Ordering::Relaxed) {
            0 => self.first_slot(),
            slot => slot - 1,
        }
    }

    #[cold]
    fn first_slot(&self) -> usize {
        let new = NEXT_SITE.fetch_add(1, Ordering::Relaxed);
        // Two threads may run a site for the first time at once; the first to set it wins
        // and the other's slot stays unused.
        match self
            .slot
            .compare_exchange(0, new, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => new - 1,
            Err(won) => won - 1,
        }
    }
}

/// The writer's prepared statements, one per `sql!` site, kept for the connection's life.
/// A site run again while its statement is in use (a service calling itself) prepares one
/// more, kept only if the site's slot is free when it is done.
pub struct Kept<'c> {
    conn: &'c Connection,
    statements: RefCell<Vec<Option<Statement<'c>>>>,
}

impl<'c> Kept<'c> {
    pub fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            statements: RefCell::default(),
        }
    }

    /// The connection they belong to.
    pub(super) fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// The statement of `site`: the kept one, or one prepared now.
    pub(super) fn lend<'k>(&'k self, site: &Site) -> rusqlite::Result<Lent<'k, 'c>> {
        let slot = site.slot();
        let kept = self
            .statements
            .borrow_mut()
            .get_mut(slot)
            .and_then(Option::take);
        let statement = match kept {
            Some(statement) => statement,
            // Persistent: a hint to SQLite that it is kept and run many times, as rusqlite's
            // cache gives; SQLite then keeps it out of the connection's lookaside pool
            // (`direct::open_writer`).
            None => self
                .conn
                .prepare_with_flags(site.sql, rusqlite::PrepFlags::SQLITE_PREPARE_PERSISTENT)?,
        };
        Ok(Lent {
            statement: Some(statement),
            slot,
            kept: self,
        })
    }
}

/// A kept statement in use; back in its slot when dropped.
pub(super) struct Lent<'k, 'c> {
    statement: Option<Statement<'c>>,
    slot: usize,
    kept: &'k Kept<'c>,
}

impl Drop for Lent<'_, '_> {
    fn drop(&mut self) {
        // Its run has reset it. Its last arguments are let go (SQLite keeps a copy of each
        // text, an event's JSON say, until the next run binds its own), as rusqlite's cache
        // does.
        if let Some(statement) = self.statement.as_mut() {
            statement.clear_bindings();
        }
        let mut statements = self.kept.statements.borrow_mut();
        if statements.len() <= self.slot {
            statements.resize_with(self.slot + 1, || None);
        }
        let free = &mut statements[self.slot];
        if free.is_none() {
            *free = self.statement.take();
        }
    }
}

impl<'c> Deref for Lent<'_, 'c> {
    type Target = Statement<'c>;
    fn deref(&self) -> &Statement<'c> {
        self.statement.as_ref().expect("lent until dropped")
    }
}

impl DerefMut for Lent<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.statement.as_mut().expect("lent until dropped")
    }
}

#[cfg(test)]
mod tests {
    use super::{Kept, Site};
    use crate::db::direct::{run, Checked, Conn};
    use rusqlite::Connection;

    static INSERT: Site = Site::new("INSERT INTO t VALUES (?1)");
    static BELOW: Site = Site::new("SELECT n FROM t WHERE n < ?1 ORDER BY n");

    /// How many times the statement kept for `site` has run (SQLite counts each run that
    /// was reset), and its SQL with the arguments it holds now.
    fn kept_for(kept: &Kept<'_>, site: &Site) -> (i32, Option<String>) {
        let statements = kept.statements.borrow();
        let statement = statements[site.slot()]
            .as_ref()
            .expect("a statement is kept");
        (
            statement.get_status(rusqlite::StatementStatus::Run),
            statement.expanded_sql(),
        )
    }

    /// On the writer a site's statement is prepared once and kept for the next run, with
    /// new arguments. A site run again while its statement is in use (from inside its own
    /// rows) runs on one more, and the site still keeps one. A run that fails leaves its
    /// statement kept and ready.
    #[test]
    fn the_writers_statements_are_kept_one_per_site() {
        let db = Connection::open_in_memory().unwrap();
        run(&db, "CREATE TABLE t (n INTEGER)").unwrap();
        let kept = Kept::new(&db);
        let conn = Conn::writer(&kept);
        let insert = |n: i64| Checked::new(&conn, &INSERT, vec![&n]).execute();
        let below = |n: i64| -> rusqlite::Result<Vec<i64>> {
            Checked::new(&conn, &BELOW, vec![&n]).rows(|r| r.get(0))
        };
        let kept_now = || kept.statements.borrow().iter().flatten().count();
        for n in 1..=3 {
            insert(n).unwrap();
            assert_eq!(kept_now(), 1, "one statement for the site, run {n} times");
        }
        let (runs, holds) = kept_for(&kept, &INSERT);
        assert_eq!(runs, 3, "the same statement ran each time");
        assert_eq!(
            holds.as_deref(),
            Some("INSERT INTO t VALUES (NULL)"),
            "and let its argument go"
        );
        assert_eq!(below(10).unwrap(), vec![1, 2, 3]);

        // Each row's n, with the ns below it: the site runs inside its own rows.
        let nested = Checked::new(&conn, &BELOW, vec![&10])
            .rows(|r| {
                let n: i64 = r.get(0)?;
                Ok((n, below(n)?))
            })
            .unwrap();
        assert_eq!(nested, vec![(1, vec![]), (2, vec![1]), (3, vec![1, 2])]);
        assert_eq!(
            kept_now(),
            2,
            "and the nested run left one statement for its site"
        );

        let too_few = Checked::new(&conn, &INSERT, vec![]).execute();
        assert!(too_few.is_err(), "a parameter was not given");
        insert(4).unwrap();
        assert_eq!(below(10).unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(kept_now(), 2);
    }

    /// A run stopped on its first row, by an error or a panic, leaves its statement reset:
    /// the next run of the site reads every row from the start.
    #[test]
    fn a_run_stopped_part_way_leaves_its_statement_ready() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let kept = Kept::new(&db);
        let conn = Conn::writer(&kept);
        let below = || -> rusqlite::Result<Vec<i64>> {
            Checked::new(&conn, &BELOW, vec![&10]).rows(|r| r.get(0))
        };

        let failed: rusqlite::Result<Vec<i64>> =
            Checked::new(&conn, &BELOW, vec![&10]).rows(|_| Err(rusqlite::Error::InvalidQuery));
        assert!(failed.is_err());
        assert_eq!(below().unwrap(), vec![1, 2, 3]);

        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Checked::new(&conn, &BELOW, vec![&10])
                .rows(|_| -> rusqlite::Result<i64> { panic!("a bug") })
        }));
        assert!(panicked.is_err());
        assert_eq!(below().unwrap(), vec![1, 2, 3]);
        assert_eq!(
            kept_for(&kept, &BELOW).0,
            4,
            "all four runs on the one statement"
        );
        assert_eq!(kept.statements.borrow().iter().flatten().count(), 1);
    }
}
