//! The box's upkeep: its backups, and how it is (`GET /api/v1/health`), with the warnings
//! a manager sees on screen when the disk is nearly full or the backups are old or failing.

use serde::{Deserialize, Serialize};

/// A backup, checked (integrity and SHA-256) when it was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BackupFile {
    /// `comanda-20261204T120000Z.db`.
    pub name: String,
    /// UTC, milliseconds since the Unix epoch.
    pub taken_at_ms: i64,
    pub bytes: u64,
    /// Hex SHA-256 of the file (kept beside it as `<name>.sha256`).
    pub sha256: String,
}

/// A backup that failed, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BackupFailure {
    pub at_ms: i64,
    pub message: String,
}

/// `GET /api/v1/backups`: the backups kept on the box, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Backups {
    pub backups: Vec<BackupFile>,
    /// The last backup that failed, if none has worked since.
    pub last_failure: Option<BackupFailure>,
    /// Where every backup is copied as well, if anywhere.
    pub copy_folder: Option<String>,
}

/// A printer as the health check sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrinterHealth {
    pub name: String,
    /// False while its jobs fail (it is off, or out of paper).
    pub online: bool,
    /// Jobs waiting to print.
    pub queued: i64,
}

/// A serial device as the health check sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceHealth {
    pub name: String,
    pub connected: bool,
    pub error: Option<String>,
}

/// Everything the health check looks at, for managers and for monitoring on the box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HealthDetail {
    /// Writes waiting for the database's writer.
    pub writes_queued: i64,
    pub printers: Vec<PrinterHealth>,
    pub devices: Vec<DeviceHealth>,
    /// Texts waiting to be sent, and those that failed for good.
    pub sms_waiting: i64,
    pub sms_failed: i64,
    pub last_backup: Option<BackupFile>,
    pub backup_failure: Option<BackupFailure>,
    /// Space left on the disk that holds the data folder, and its size.
    pub disk_free_bytes: u64,
    pub disk_total_bytes: u64,
    /// What a manager should see on screen now.
    pub warnings: Vec<String>,
}

/// Backups older than this are worth a warning.
pub const BACKUP_OLD_MS: i64 = 26 * 3_600_000;

/// A disk with less free than this is nearly full: a year of a busy venue's database and
/// its backups fit in well under it.
pub const DISK_LOW_BYTES: u64 = 2_000_000_000;

/// `1.2 GB`, `840 MB`.
pub fn bytes_label(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 1000.0 {
        format!("{:.1} GB", mb / 1000.0)
    } else {
        format!("{mb:.0} MB")
    }
}

/// What a manager should be told about the box now: a disk nearly full (under 2 GB free), the last backup
/// failed, or none for more than a day (`trading_since_ms`: when the database began, so
/// a box set up an hour ago is not warned).
pub fn warnings(
    disk_free: u64,
    disk_total: u64,
    last_backup: Option<&BackupFile>,
    failure: Option<&BackupFailure>,
    trading_since_ms: i64,
    now_ms: i64,
) -> Vec<String> {
    let mut out = vec![];
    if disk_total > 0 && disk_free < DISK_LOW_BYTES {
        out.push(format!(
            "The box's disk is nearly full: {} free. Backups stop when it is full; make room or ask for help.",
            bytes_label(disk_free)
        ));
    }
    if let Some(f) = failure {
        out.push(format!("A backup went wrong: {}.", f.message));
    }
    let since = last_backup.map_or(trading_since_ms, |b| b.taken_at_ms);
    if now_ms - since > BACKUP_OLD_MS {
        let days = (now_ms - since) / 86_400_000;
        out.push(match (last_backup, days) {
            (None, _) => "The box has never been backed up.".into(),
            (Some(_), 0 | 1) => "The last backup is more than a day old.".into(),
            (Some(_), d) => format!("The last backup is {d} days old."),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(at: i64) -> BackupFile {
        BackupFile {
            name: "b".into(),
            taken_at_ms: at,
            bytes: 1,
            sha256: String::new(),
        }
    }

    #[test]
    fn a_manager_is_warned_of_a_full_disk_a_failed_or_an_old_backup() {
        let (gb, day) = (1_000_000_000u64, 86_400_000i64);
        let now = 100 * day;
        assert!(warnings(
            50 * gb,
            100 * gb,
            Some(&backup(now - 3_600_000)),
            None,
            0,
            now
        )
        .is_empty());
        assert!(
            warnings(14 * gb, 270 * gb, Some(&backup(now)), None, 0, now).is_empty(),
            "a big disk, mostly used"
        );
        let full = warnings(800_000_000, 100 * gb, Some(&backup(now)), None, 0, now);
        assert_eq!(full, ["The box's disk is nearly full: 800 MB free. Backups stop when it is full; make room or ask for help."]);
        let old = warnings(
            50 * gb,
            100 * gb,
            Some(&backup(now - 3 * day)),
            None,
            0,
            now,
        );
        assert_eq!(old, ["The last backup is 3 days old."]);
        let failed = BackupFailure {
            at_ms: now,
            message: "the disk is full".into(),
        };
        let both = warnings(
            50 * gb,
            100 * gb,
            Some(&backup(now - 3_600_000)),
            Some(&failed),
            0,
            now,
        );
        assert_eq!(both, ["A backup went wrong: the disk is full."]);
        assert!(
            warnings(50 * gb, 100 * gb, None, None, now - 3_600_000, now).is_empty(),
            "a new box"
        );
        assert_eq!(
            warnings(50 * gb, 100 * gb, None, None, now - 2 * day, now),
            ["The box has never been backed up."]
        );
    }
}
