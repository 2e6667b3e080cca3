//! Reads on the direct path: read-only rusqlite connections, run in place on the calling
//! task's thread.
//!
//! Why in place: a read on sqlx's `reader` pool is a hand-off to that connection's thread
//! and back, two thread wake-ups, which cost more than the read itself when it is a lookup
//! by key (a session on every request, say: a few microseconds in SQLite). In WAL mode a
//! reader never waits for the writer or for other readers, so such a read does not block
//! the runtime's thread for longer than it runs. Long reads (reports, exports) stay on
//! sqlx's pool, where they hold a thread of their own.
//!
//! Connections are kept for reuse with their prepared statements: up to `MAX_IDLE`, as
//! many as the threads that read at once on a small box; a read beyond that opens one and
//! closes it after.

use super::direct::Conn;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// Idle connections kept; each holds a page cache of `CACHE_KIB`.
const MAX_IDLE: usize = 4;
/// Each connection's page cache: lookups by key touch a few pages.
const CACHE_KIB: i64 = 512;

/// Read-only connections to the database file, reused.
#[derive(Debug)]
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            idle: Mutex::default(),
        }
    }

    /// Runs `work` on a read-only connection, on this thread. Keep it to short reads.
    pub fn read<T>(&self, work: impl FnOnce(&Conn) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match taken {
            Some(conn) => conn,
            None => self.open()?,
        };
        let out = work(&Conn::new(&conn));
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        out
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        // A WAL reader waits only while the file is being recovered; on the runtime's
        // thread it must not wait long, so it fails instead (the request answers 500).
        conn.busy_timeout(Duration::from_millis(250))?;
        conn.execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB}"))?;
        conn.set_prepared_statement_cache_capacity(32);
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::Readers;

    /// A read sees what was committed, and its connection is kept for the next one.
    #[test]
    fn reads_committed_rows_and_reuses_its_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7)",
            )
            .unwrap();
        let readers = Readers::new(&path);
        let read = |r: &Readers| {
            r.read(|c| c.query_row("SELECT SUM(n) FROM t", [], |row| row.get::<_, i64>(0)))
                .unwrap()
        };
        assert_eq!(read(&readers), 7);
        writer.execute("INSERT INTO t VALUES (5)", []).unwrap();
        assert_eq!(read(&readers), 12);
        assert_eq!(readers.idle.lock().unwrap().len(), 1);
    }
}
