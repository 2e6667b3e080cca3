//! Backups of the venue's database, and restoring one.
//!
//! A backup is SQLite's `VACUUM INTO` on a read-only connection: a consistent copy of the
//! database as of one moment, taken while the server goes on writing (WAL readers never
//! wait for the writer, nor it for them). Each is checked before it counts: `PRAGMA
//! integrity_check` on the copy, that it is a Comanda database, and its SHA-256, kept
//! beside it as `<name>.sha256` in `sha256sum`'s format (`sha256sum -c` checks it too).
//! Files are `comanda-20261204T120000Z.db`, named by when they were taken (UTC), so the
//! folder sorts by time and retention (`keep`) reads the time from the name.
//!
//! A backup carries the data folder's PIN key (`backup_secrets`, a table of the copy
//! only): PINs are looked up with it, so without it nobody could sign in on a new box
//! restored from the copy. Backups are therefore as private as the database (mode 0600).
//!
//! Restoring refuses while a server runs on the data folder (`lock`), refuses a file that
//! fails the same checks (a truncated copy, another program's database, one made by a
//! newer Comanda), keeps the current database aside (`comanda.db.before-restore-…`) and
//! puts the copy in its place with its PIN key; the next start serves it.

pub use app::api::BackupFile;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0} is damaged: {1}")]
    Damaged(String, String),
    #[error("{0}")]
    Refused(String),
}

const PREFIX: &str = "comanda-";
const SUFFIX: &str = ".db";

/// The file name of a backup taken at `at_ms`.
pub fn name_at(at_ms: i64) -> String {
    let at = jiff::Timestamp::from_millisecond(at_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    format!("{PREFIX}{}{SUFFIX}", at.strftime("%Y%m%dT%H%M%SZ"))
}

/// When the backup called `name` was taken, if `name` is a backup's name (and nothing
/// else: a name asked for over HTTP is checked here before any file is opened).
pub fn taken_at(name: &str) -> Option<i64> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    if stamp.len() != 16
        || !stamp
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'T' || b == b'Z')
    {
        return None;
    }
    let at = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", stamp).ok()?;
    Some(
        at.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// Hex SHA-256 of the file at `path`, read in pieces.
pub fn sha256(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hash.update(&buffer[..n]);
    }
    Ok(hex::encode(hash.finalize()))
}

fn sidecar(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// Checks that `path` is a whole Comanda database: SQLite's integrity check passes, it
/// has a venue, and its schema is one this build knows (`latest_migration`). Answers its
/// SHA-256; refuses it, saying why, otherwise.
pub fn check(path: &Path, latest_migration: i64) -> Result<String, BackupError> {
    let shown = path.display().to_string();
    let damaged = |why: String| BackupError::Damaged(shown.clone(), why);
    let sum = sha256(path)?;
    // A checksum kept beside it must match: a copy damaged in transit is refused even if
    // SQLite could read it.
    if let Ok(kept) = fs::read_to_string(sidecar(path)) {
        let kept = kept.split_whitespace().next().unwrap_or_default();
        if kept != sum {
            return Err(damaged(format!(
                "its SHA-256 is {sum}, not the {kept} kept with it"
            )));
        }
    }
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        rusqlite::Connection::open_with_flags(path, flags).map_err(|e| damaged(e.to_string()))?;
    let mut problems: Vec<String> = vec![];
    conn.pragma_query(None, "integrity_check", |r| {
        problems.push(r.get(0)?);
        Ok(())
    })
    .map_err(|e| damaged(e.to_string()))?;
    if problems != ["ok"] {
        return Err(damaged(problems.join("; ")));
    }
    // Its venue and migrations tables say it is Comanda's (a box before its first run
    // has no venue row yet, and is a database all the same).
    let schema: i64 = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM venue) * 0 + COALESCE(MAX(version), 0) FROM _sqlx_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(|_| damaged("it is not a Comanda database".into()))?;
    if schema > latest_migration {
        return Err(BackupError::Refused(format!(
            "{shown} was made by a newer Comanda (schema {schema}, this one knows {latest_migration}): upgrade first"
        )));
    }
    Ok(sum)
}

/// The PIN key of the data folder `data` (`crate::pins`): staff PINs are looked up with
/// it, so a backup carries it (in a table of the copy only, `backup_secrets`), or no PIN
/// would work on a new box restored from it.
fn pin_key(data: &Path) -> PathBuf {
    data.join("secrets").join("pin.key")
}

/// Puts the data folder's PIN key into the copy at `copy`.
fn carry_secrets(copy: &Path, data: &Path) -> Result<(), BackupError> {
    let Ok(key) = fs::read_to_string(pin_key(data)) else {
        return Ok(());
    };
    let conn = rusqlite::Connection::open(copy)?;
    conn.execute(
        "CREATE TABLE backup_secrets (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        [],
    )?;
    conn.execute(
        "INSERT INTO backup_secrets (name, value) VALUES ('pin.key', ?1)",
        [key.trim()],
    )?;
    Ok(())
}

/// Takes the PIN key out of the restored database at `db` into the data folder `data`,
/// keeping a different key there aside as `pin.key.before-restore-<stamp>`.
fn restore_secrets(db: &Path, data: &Path, stamp: &str) -> Result<(), BackupError> {
    let conn = rusqlite::Connection::open(db)?;
    let carried: Option<String> = conn
        .query_row(
            "SELECT value FROM backup_secrets WHERE name = 'pin.key'",
            [],
            |r| r.get(0),
        )
        .ok();
    let Some(key) = carried else { return Ok(()) };
    let path = pin_key(data);
    let current = fs::read_to_string(&path).ok();
    if current.as_deref().map(str::trim) != Some(key.as_str()) {
        if current.is_some() {
            fs::rename(
                &path,
                data.join("secrets")
                    .join(format!("pin.key.before-restore-{stamp}")),
            )?;
        }
        fs::create_dir_all(data.join("secrets"))?;
        crate::secret_files::write(&path, &key)?;
        crate::secret_files::restrict(&data.join("secrets"), 0o700)?;
    }
    conn.execute("DROP TABLE backup_secrets", [])?;
    Ok(())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Takes a backup of the database at `db` into the file `to` (which must not exist): a
/// consistent copy, checked, with its checksum beside it. Works while a server runs.
pub fn take(db: &Path, to: &Path, latest_migration: i64) -> Result<BackupFile, BackupError> {
    if to.exists() {
        return Err(BackupError::Refused(format!(
            "{} exists already",
            to.display()
        )));
    }
    let dir = to
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let partial = dir.join(format!(
        ".{}.partial",
        to.file_name().and_then(|n| n.to_str()).unwrap_or("backup")
    ));
    let _ = fs::remove_file(&partial);
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(db, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let target = partial.to_str().ok_or_else(|| {
        BackupError::Refused(format!("{} is not a UTF-8 path", partial.display()))
    })?;
    conn.execute("VACUUM INTO ?1", [target])?;
    drop(conn);
    let taken = (|| {
        // As private as the database: it holds the PIN hashes and the PIN key.
        crate::secret_files::private_file(&partial)?;
        if let Some(data) = db.parent() {
            carry_secrets(&partial, data)?;
        }
        fs::File::open(&partial)?.sync_all()?;
        let sum = check(&partial, latest_migration)?;
        fs::rename(&partial, to)?;
        let mut kept = fs::File::create(sidecar(to))?;
        let name = to.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        writeln!(kept, "{sum}  {name}")?;
        kept.sync_all()?;
        sync_dir(dir)?;
        Ok::<_, BackupError>(BackupFile {
            name: name.to_owned(),
            taken_at_ms: taken_at(name).unwrap_or_else(crate::db::now_ms),
            bytes: fs::metadata(to)?.len(),
            sha256: sum,
        })
    })();
    if taken.is_err() {
        let _ = fs::remove_file(&partial);
    }
    taken
}

/// The backups in `dir`, oldest first (files named as backups; others are left alone).
pub fn list(dir: &Path) -> std::io::Result<Vec<(String, i64)>> {
    let mut found = vec![];
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(at) = taken_at(&name) {
            found.push((name, at));
        }
    }
    found.sort_by_key(|(_, at)| *at);
    Ok(found)
}

/// How many of each kind retention keeps.
pub const HOURLY: usize = 48;
pub const DAILY: usize = 30;
pub const MONTHLY: usize = 12;

/// Which of `backups` (name, taken at) to keep: the 48 newest, the newest of each of the
/// 30 latest days that have one, and the newest of each of the 12 latest months (UTC).
pub fn keep(backups: &[(String, i64)]) -> BTreeSet<String> {
    let mut newest_first: Vec<&(String, i64)> = backups.iter().collect();
    newest_first.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut kept: BTreeSet<String> = newest_first
        .iter()
        .take(HOURLY)
        .map(|(n, _)| n.clone())
        .collect();
    let period = |at: i64, len: usize| name_at(at)[PREFIX.len()..PREFIX.len() + len].to_owned();
    for (len, count) in [(8, DAILY), (6, MONTHLY)] {
        let mut seen = BTreeSet::new();
        for (name, at) in &newest_first {
            if seen.len() == count {
                break;
            }
            if seen.insert(period(*at, len)) {
                kept.insert(name.clone());
            }
        }
    }
    kept
}

/// Deletes the backups in `dir` that retention does not keep (and their checksums).
pub fn prune(dir: &Path) -> std::io::Result<usize> {
    let all = list(dir)?;
    let kept = keep(&all);
    let mut gone = 0;
    for (name, _) in all.iter().filter(|(n, _)| !kept.contains(n)) {
        let path = dir.join(name);
        fs::remove_file(&path)?;
        let _ = fs::remove_file(sidecar(&path));
        gone += 1;
    }
    Ok(gone)
}

/// A backup kept in `dir` as it is now: its size, and the checksum kept beside it.
pub fn describe(dir: &Path, name: &str) -> std::io::Result<BackupFile> {
    let path = dir.join(name);
    let sha256 = fs::read_to_string(sidecar(&path))
        .map(|t| t.split_whitespace().next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    Ok(BackupFile {
        name: name.to_owned(),
        taken_at_ms: taken_at(name).unwrap_or(0),
        bytes: fs::metadata(&path)?.len(),
        sha256,
    })
}

/// A scheduled backup: taken into `dir` under the name of `now_ms`, retention applied,
/// and copied to `copy` (retention applied there too) if there is one.
pub fn scheduled(
    db: &Path,
    dir: &Path,
    copy: Option<&Path>,
    now_ms: i64,
    latest_migration: i64,
) -> Result<BackupFile, BackupError> {
    let file = dir.join(name_at(now_ms));
    fs::create_dir_all(dir)?;
    crate::secret_files::restrict(dir, 0o700)?;
    let taken = take(db, &file, latest_migration)?;
    prune(dir)?;
    if let Some(copy) = copy {
        copy_to(&file, copy).map_err(|e| {
            BackupError::Refused(format!("the copy to {} failed: {e}", copy.display()))
        })?;
        prune(copy)?;
    }
    Ok(taken)
}

/// When the database at `db` last changed: its file or its WAL written.
pub fn changed_at(db: &Path) -> Option<std::time::SystemTime> {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    [db, wal.as_path()]
        .iter()
        .filter_map(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
        .max()
}

/// Copies the backup `file` (and its checksum) into `dir`, as the optional second copy
/// (a USB stick, a network share); a copy that fails leaves no partial file behind.
pub fn copy_to(file: &Path, dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let name = file.file_name().unwrap_or_default();
    let partial = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let copied = (|| {
        fs::copy(file, &partial)?;
        fs::File::open(&partial)?.sync_all()?;
        fs::rename(&partial, dir.join(name))?;
        fs::copy(sidecar(file), sidecar(&dir.join(name)))?;
        sync_dir(dir)
    })();
    if copied.is_err() {
        let _ = fs::remove_file(&partial);
    }
    copied
}

/// The data folder's lock: held by a running server, so that a restore never replaces a
/// database in use. None when another process holds it.
pub fn lock(data: &Path) -> std::io::Result<Option<fs::File>> {
    fs::create_dir_all(data)?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.join("comanda.lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Restores the backup `file` as the database of `data`: refused while a server runs
/// there or if the file fails `check`. The current database (with its WAL) is kept aside
/// as `comanda.db.before-restore-<when>`; answers that path, if there was one. `say` is
/// told each step as it starts (a restore of a big file takes a while).
pub fn restore(
    file: &Path,
    data: &Path,
    latest_migration: i64,
    say: &mut dyn FnMut(String),
) -> Result<Option<PathBuf>, BackupError> {
    let Some(_held) = lock(data)? else {
        return Err(BackupError::Refused(format!(
            "a Comanda server is running on {}: stop it first (systemctl stop comanda)",
            data.display()
        )));
    };
    say(format!(
        "checking {} (integrity, schema, checksum)",
        file.display()
    ));
    check(file, latest_migration)?;
    let db = data.join("comanda.db");
    let incoming = data.join(".comanda.db.restoring");
    say(format!("copying it into {}", data.display()));
    let stamp = name_at(crate::db::now_ms());
    let stamp = &stamp[PREFIX.len()..stamp.len() - SUFFIX.len()];
    let ready = (|| {
        fs::copy(file, &incoming)?;
        fs::File::open(&incoming)?.sync_all()?;
        restore_secrets(&incoming, data, stamp)
    })();
    if let Err(e) = ready {
        // Nothing was replaced: leave no half copy behind.
        let _ = fs::remove_file(&incoming);
        return Err(e);
    }
    let mut aside = None;
    if db.exists() {
        let kept = data.join(format!("comanda.db.before-restore-{stamp}"));
        say(format!(
            "keeping the current database aside as {}",
            kept.display()
        ));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", db.display()));
            if from.exists() {
                fs::rename(&from, format!("{}{suffix}", kept.display()))?;
            }
        }
        aside = Some(kept);
    }
    fs::rename(&incoming, &db)?;
    sync_dir(data)?;
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_when_and_nothing_else_is_a_name() {
        let at = 1_796_385_600_000; // 2026-12-04 12:00:00 UTC
        assert_eq!(name_at(at), "comanda-20261204T120000Z.db");
        assert_eq!(taken_at("comanda-20261204T120000Z.db"), Some(at));
        for other in [
            "../comanda.db",
            "comanda-20261204T120000Z.db.sha256",
            "comanda-2026120XT120000Z.db",
            "comanda.db",
        ] {
            assert_eq!(taken_at(other), None, "{other}");
        }
    }

    /// A year of backups every hour: retention keeps 48 hourly, one a day for 30 days
    /// and one a month for 12 months, and never more than that.
    #[test]
    fn retention_over_a_simulated_year_keeps_48_hourly_30_daily_12_monthly() {
        let start = 1_767_225_600_000; // 2026-01-01 00:00 UTC
        let mut folder: Vec<(String, i64)> = vec![];
        for hour in 0..365 * 24 {
            let at = start + hour * 3_600_000;
            folder.push((name_at(at), at));
            let kept = keep(&folder);
            folder.retain(|(n, _)| kept.contains(n));
            assert!(folder.len() <= HOURLY + DAILY + MONTHLY);
        }
        let newest = folder.iter().map(|(_, at)| *at).max().unwrap();
        let hours = folder
            .iter()
            .filter(|(_, at)| newest - at < 48 * 3_600_000)
            .count();
        assert_eq!(hours, 48, "the last 48 hours, every one");
        let days: BTreeSet<String> = folder.iter().map(|(n, _)| n[8..16].to_owned()).collect();
        assert!(
            days.len() >= 30,
            "a backup for each of the last 30 days: {}",
            days.len()
        );
        let months: BTreeSet<String> = folder.iter().map(|(n, _)| n[8..14].to_owned()).collect();
        assert_eq!(months.len(), 12, "one for each month of the year");
        // Each day kept is that day's last backup (the day's closing state).
        let last_day = folder
            .iter()
            .filter(|(n, _)| n.contains("20261210T"))
            .map(|(n, _)| n.clone())
            .max();
        assert_eq!(last_day.as_deref(), Some("comanda-20261210T230000Z.db"));
    }
}
