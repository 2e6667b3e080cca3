//! The writer's prepared statements, kept for its connection's life, one per `sql!` call
//! site (`Kept`), and the site each `sql!` stands at (`Site`).
//!
//! Why not rusqlite's cache (`prepare_cached`): it finds a statement by its SQL, so every
//! use hashes the whole text twice (taking the statement out, putting it back) and copies
//! it into a new key; on the writer that was 7 % of its instructions per whole order
//! (callgrind over `make bench`'s whole orders). Here a statement is found by its site's
//! slot, a number given the first time the site runs.

use rusqlite::{Connection, Statement};
use std::cell::RefCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where a `sql!` stands in the code: its slot among the writer's kept statements, given
/// the first time it runs.
pub struct Site(AtomicUsize);

/// The next slot to give (slots count from 1; 0 is "none yet").
static NEXT_SITE: AtomicUsize = AtomicUsize::new(1);

impl Site {
    pub const fn new() -> Self {
        Self(AtomicUsize::new(0))
    }

    fn slot(&self) -> usize {
        match self.0.load(Ordering::Relaxed) {
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
            .0
            .compare_exchange(0, new, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => new - 1,
            Err(won) => won - 1,
        }
    }
}

impl Default for Site {
    fn default() -> Self {
        Self::new()
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

    /// The statement of `site`, which runs `sql`: the kept one, or one prepared now.
    pub(super) fn lend<'k>(&'k self, site: &Site, sql: &str) -> rusqlite::Result<Lent<'k, 'c>> {
        let slot = site.slot();
        let kept = self
            .statements
            .borrow_mut()
            .get_mut(slot)
            .and_then(Option::take);
        let statement = match kept {
            Some(statement) => statement,
            // Persistent: SQLite then keeps it out of the connection's lookaside pool
            // (`direct::open_writer`), as rusqlite's cache does.
            None => self
                .conn
                .prepare_with_flags(sql, rusqlite::PrepFlags::SQLITE_PREPARE_PERSISTENT)?,
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

    /// On the writer a site's statement is prepared once and kept for the next run, with
    /// new arguments. A site run again while its statement is in use (from inside its own
    /// rows) runs on one more, and the site still keeps one. A run that fails leaves its
    /// statement kept and ready.
    #[test]
    fn the_writers_statements_are_kept_one_per_site() {
        let db = Connection::open_in_memory().unwrap();
        run(&db, "CREATE TABLE t (n INTEGER)").unwrap();
        let kept = Kept::new(&db);
        let conn = Conn::kept(&kept);
        static INSERT: Site = Site::new();
        static BELOW: Site = Site::new();
        let insert =
            |n: i64| Checked::new(&conn, &INSERT, "INSERT INTO t VALUES (?1)", vec![&n]).execute();
        let below = |n: i64| -> rusqlite::Result<Vec<i64>> {
            let sql = "SELECT n FROM t WHERE n < ?1 ORDER BY n";
            Checked::new(&conn, &BELOW, sql, vec![&n]).rows(|r| r.get(0))
        };
        let kept_now = || kept.statements.borrow().iter().flatten().count();
        for n in 1..=3 {
            insert(n).unwrap();
            assert_eq!(kept_now(), 1, "one statement for the site, run {n} times");
        }
        let count: i64 = db
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 3);

        // Each row's n, with the ns below it: the site runs inside its own rows.
        let nested = Checked::new(
            &conn,
            &BELOW,
            "SELECT n FROM t WHERE n < ?1 ORDER BY n",
            vec![&10],
        )
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

        let too_few = Checked::new(&conn, &INSERT, "INSERT INTO t VALUES (?1)", vec![]).execute();
        assert!(too_few.is_err(), "a parameter was not given");
        insert(4).unwrap();
        assert_eq!(below(10).unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(kept_now(), 2);
    }
}
