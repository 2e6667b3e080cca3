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
//! The data folder's PIN key (`crate::pins`) goes beside each backup as `<name>.key`
//! (mode 0600), never into the copy: PINs are looked up with it, so a new box restored
//! from a backup needs it, but a copy downloaded from the managers' page (the database
//! alone) does not give the PINs away.
//!
//! Restoring refuses while a server runs on the data folder (`lock`), refuses a file that
//! fails the same checks (a truncated copy, another program's database, one made by a
//! newer Comanda), keeps the current database aside (`comanda.db.before-restore-…`) and
//! puts the copy in its place, then its PIN key if one is beside it; the next start
//! serves it.

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

/// `path` with `.suffix` added: `comanda-….db.sha256`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Where a backup's checksum is kept.
fn sidecar(path: &Path) -> PathBuf {
    beside(path, ".sha256")
}

/// Where a backup's PIN key is kept.
fn key_beside(path: &Path) -> PathBuf {
    beside(path, ".key")
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

/// The PIN key of the data folder `data`.
fn pin_key(data: &Path) -> PathBuf {
    data.join("secrets").join("pin.key")
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
        // As private as the database: it holds the PIN hashes.
        crate::secret_files::private_file(&partial)?;
        fs::File::open(&partial)?.sync_all()?;
        let sum = check(&partial, latest_migration)?;
        fs::rename(&partial, to)?;
        let mut kept = fs::File::create(sidecar(to))?;
        let name = to.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        writeln!(kept, "{sum}  {name}")?;
        kept.sync_all()?;
        if let Some(key) = db
            .parent()
            .and_then(|data| fs::read_to_string(pin_key(data)).ok())
        {
            crate::secret_files::write(&key_beside(to), key.trim())?;
        }
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

/// The business day (`2026-11-22`) a moment belongs to, in the venue's time zone and end
/// of day: retention keeps a backup per business day, the one that ends it.
pub type DayOf<'a> = &'a dyn Fn(i64) -> String;

/// Which of `backups` (name, taken at) to keep: the 48 newest, the newest of each of the
/// 30 latest business days that have one (the backup after the day's Z report, or the
/// day's last), and the newest of each of the 12 latest months.
pub fn keep(backups: &[(String, i64)], day_of: DayOf) -> BTreeSet<String> {
    let mut newest_first: Vec<&(String, i64)> = backups.iter().collect();
    newest_first.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut kept: BTreeSet<String> = newest_first
        .iter()
        .take(HOURLY)
        .map(|(n, _)| n.clone())
        .collect();
    // A month is the first seven characters of its days' names, `2026-11`.
    for (len, count) in [(10, DAILY), (7, MONTHLY)] {
        let mut seen = BTreeSet::new();
        for (name, at) in &newest_first {
            if seen.len() == count {
                break;
            }
            let day = day_of(*at);
            if seen.insert(day.get(..len).unwrap_or(&day).to_owned()) {
                kept.insert(name.clone());
            }
        }
    }
    kept
}

/// Deletes the backups in `dir` that retention does not keep, with their checksums and
/// keys. One gone already (another prune got there first) is no failure.
pub fn prune(dir: &Path, day_of: DayOf) -> std::io::Result<usize> {
    let all = list(dir)?;
    let kept = keep(&all, day_of);
    let mut gone = 0;
    for (name, _) in all.iter().filter(|(n, _)| !kept.contains(n)) {
        let path = dir.join(name);
        for file in [key_beside(&path), sidecar(&path), path] {
            match fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
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

/// What a scheduled backup did: the backup, and whether its copy to the second folder
/// failed (the backup itself is good all the same).
pub struct Scheduled {
    pub file: BackupFile,
    pub copy_failed: Option<String>,
}

/// A scheduled backup: taken into `dir` under the name of `now_ms` (a backup taken in
/// the same second is that one), retention applied, and copied to `copy` (retention
/// applied there too) if there is one. Callers take one at a time.
pub fn scheduled(
    db: &Path,
    dir: &Path,
    copy: Option<&Path>,
    now_ms: i64,
    latest_migration: i64,
    day_of: DayOf,
) -> Result<Scheduled, BackupError> {
    let name = name_at(now_ms);
    let file = dir.join(&name);
    fs::create_dir_all(dir)?;
    crate::secret_files::restrict(dir, 0o700)?;
    let taken = if file.exists() {
        describe(dir, &name)?
    } else {
        take(db, &file, latest_migration)?
    };
    if let Err(e) = prune(dir, day_of) {
        tracing::warn!(error = %e, "cannot remove old backups");
    }
    let copy_failed = copy.and_then(|copy| {
        let copied = copy_to(&file, copy).and_then(|()| prune(copy, day_of).map(|_| ()));
        copied
            .err()
            .map(|e| format!("the copy to {} failed: {e}", copy.display()))
    });
    Ok(Scheduled {
        file: taken,
        copy_failed,
    })
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
        if key_beside(file).exists() {
            fs::copy(key_beside(file), key_beside(&dir.join(name)))?;
        }
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
/// as `comanda.db.before-restore-<when>`, and put back if the restore cannot finish;
/// answers that path, if there was one. The key beside the copy (`<file>.key`), if any,
/// becomes the folder's PIN key last, the one it replaces kept aside too. `say` is told
/// each step as it starts (a restore of a big file takes a while).
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
    let key = fs::read_to_string(key_beside(file)).ok();
    let db = data.join("comanda.db");
    let incoming = data.join(".comanda.db.restoring");
    say(format!("copying it into {}", data.display()));
    let copied = fs::copy(file, &incoming).and_then(|_| fs::File::open(&incoming)?.sync_all());
    if let Err(e) = copied {
        // Nothing was replaced: leave no half copy behind.
        let _ = fs::remove_file(&incoming);
        return Err(e.into());
    }
    let stamp = name_at(crate::db::now_ms());
    let stamp = &stamp[PREFIX.len()..stamp.len() - SUFFIX.len()];
    let kept = data.join(format!("comanda.db.before-restore-{stamp}"));
    // The database and its WAL and shared memory go aside together: a WAL left beside
    // the restored file would be replayed onto it.
    let moved: Vec<(PathBuf, PathBuf)> = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| (beside(&db, suffix), beside(&kept, suffix)))
        .filter(|(from, _)| from.exists())
        .collect();
    if !moved.is_empty() {
        say(format!(
            "keeping the current database aside as {}",
            kept.display()
        ));
    }
    let swapped = (|| {
        for (from, to) in &moved {
            fs::rename(from, to)?;
        }
        fs::rename(&incoming, &db)?;
        sync_dir(data)
    })();
    if let Err(e) = swapped {
        // Put back what was moved: the box stays as it was.
        for (from, to) in &moved {
            let _ = fs::rename(to, from);
        }
        let _ = fs::remove_file(&incoming);
        return Err(e.into());
    }
    if let Some(key) = key {
        let path = pin_key(data);
        if fs::read_to_string(&path).ok().as_deref().map(str::trim) != Some(key.trim()) {
            say("putting its PIN key in place".into());
            fs::create_dir_all(data.join("secrets"))?;
            if path.exists() {
                fs::rename(&path, beside(&path, &format!(".before-restore-{stamp}")))?;
            }
            crate::secret_files::write(&path, key.trim())?;
            crate::secret_files::restrict(&data.join("secrets"), 0o700)?;
        }
    } else if !pin_key(data).exists() {
        say(format!(
            "no PIN key came with it ({} is missing): PINs will not work until the old box's \
             secrets/pin.key is copied into {}",
            key_beside(file).display(),
            data.join("secrets").display()
        ));
    }
    Ok((!moved.is_empty()).then_some(kept))
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

    fn utc_day(at: i64) -> String {
        jiff::Timestamp::from_millisecond(at)
            .unwrap()
            .strftime("%Y-%m-%d")
            .to_string()
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
            let kept = keep(&folder, &utc_day);
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
