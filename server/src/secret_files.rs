//! Files only the box's own user may read: the database, keys, the local CA.

use std::io::Write;
use std::path::Path;

/// Writes `content` to `path` with mode 0600, through a temporary file and a rename so a
/// crash never leaves half a key.
pub fn write(path: &Path, content: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    // A leftover from a crash may have another mode: start from nothing.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    {
        let mut file = owner_only_file(&tmp)?;
        file.write_all(content.as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(unix)]
fn owner_only_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn owner_only_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

/// Sets a file's or folder's mode (0600 for a file, 0700 for a folder); Unix only.
pub fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Makes an empty file with mode 0600 unless it exists, and narrows it to 0600 if it
/// does, so SQLite (which gives its -wal and -shm files the database's mode) keeps the
/// whole database private.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    if !path.exists() {
        owner_only_file(path)?;
    }
    restrict(path, 0o600)
}
