//! PINs: stored as argon2id hashes, found by a keyed hash, checked on a bounded pool.
//!
//! A 4-digit PIN cannot be kept secret by hashing alone, and checking a typed PIN against
//! every staff member's argon2 hash costs megabytes and tens of milliseconds each: a flood
//! of wrong PINs took the box to gigabytes. So each PIN also has a lookup value, the
//! HMAC-SHA256 of the PIN under a key kept in `<data>/secrets/pin.key` (mode 0600, outside
//! the database: a copied database file does not give the PINs away). A sign-in
//! (`services::staff::by_pin`) reads the one staff member with that lookup and verifies
//! one argon2 hash here; a wrong PIN costs one indexed read. Argon2 runs on
//! `HASH_THREADS` threads of its own, so memory stays flat whatever arrives. This module
//! only hashes and verifies; the staff rows are the service's.
//!
//! Hashes use the OWASP argon2id setting of 7 MiB and 5 passes (`pin_params`), which OWASP
//! rates as strong as argon2's default of 19 MiB and 2 passes, at a third of the memory:
//! the box is meant to run in 40 MB. A hash stored with other parameters still matches,
//! and is rehashed with these at that staff member's next sign-in.

use argon2::password_hash::{
    rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::cell::RefCell;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};
use tokio::sync::oneshot;

/// Argon2 threads, each holding one working area (`pin_params`' 7 MiB). One: a check
/// takes tens of milliseconds, so one thread signs in a whole shift's staff in a moment,
/// and a flood of PINs (throttled before it gets here) keeps one core at most, leaving
/// the other to the orders; a second thread would cost 7 MiB of the box's 40 MB.
const HASH_THREADS: usize = 1;
/// Checks waiting for a thread; more are refused (503) rather than queued without end.
const HASH_QUEUE: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("the PIN hashing threads have stopped")]
    HasherGone,
    #[error("too many PIN checks are waiting")]
    Busy,
}

/// Memory in KiB and passes (one lane): one of OWASP's equivalent argon2id settings.
const PIN_MEMORY_KIB: u32 = 7 * 1024;
const PIN_PASSES: u32 = 5;

fn pin_params() -> Params {
    Params::new(PIN_MEMORY_KIB, PIN_PASSES, 1, None).expect("OWASP's parameters are valid")
}

type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    /// Each hashing thread's argon2 working memory (7 MiB), allocated once and reused:
    /// with a fresh allocation per check, the allocator kept every one of them.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The lookup key and the argon2 threads. Cheap to clone.
#[derive(Clone)]
pub struct Pins {
    key: Arc<[u8; 32]>,
    jobs: mpsc::SyncSender<Job>,
    /// Verified when a PIN matches nobody, so a miss takes as long as a match.
    stand_in: Arc<String>,
}

impl Pins {
    /// Reads the lookup key from `<data>/secrets/pin.key`, making it on first start, and
    /// starts the hashing threads.
    pub fn open(data: &Path) -> std::io::Result<Self> {
        let dir = data.join("secrets");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("pin.key");
        let key = match std::fs::read_to_string(&path)
            .ok()
            .and_then(|hex_key| hex::decode(hex_key.trim()).ok())
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        {
            Some(key) => key,
            None => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                crate::secret_files::write(&path, &hex::encode(key))?;
                key
            }
        };
        crate::secret_files::restrict(&dir, 0o700)?;
        Self::with_key(key)
    }

    fn with_key(key: [u8; 32]) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::sync_channel::<Job>(HASH_QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..HASH_THREADS {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("pin-hash-{n}"))
                .spawn(move || loop {
                    let next = queue.lock().map(|q| q.recv());
                    match next {
                        Ok(Ok(job)) => job(),
                        _ => return,
                    }
                })?;
        }
        // The stand-in is hashed on a hashing thread too: argon2 memory lives only there.
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            let mut pin = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut pin);
            let _ = tx.send(hash_pin(&hex::encode(pin)));
        });
        jobs.send(job)
            .map_err(|_| std::io::Error::other("no PIN hashing thread"))?;
        let stand_in = rx
            .recv()
            .map_err(|_| std::io::Error::other("the PIN hashing thread stopped"))?;
        Ok(Self {
            key: Arc::new(key),
            jobs,
            stand_in: Arc::new(stand_in),
        })
    }

    /// The PIN's lookup value (hex HMAC-SHA256 under the box's key).
    pub fn lookup(&self, pin: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key[..]).expect("HMAC takes a key of any size");
        mac.update(pin.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Runs `work` on a hashing thread; jobs queue there, so at most `HASH_THREADS` run.
    async fn on_hasher<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PinError> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .try_send(Box::new(move || {
                let _ = tx.send(work());
            }))
            .map_err(|e| match e {
                mpsc::TrySendError::Full(_) => PinError::Busy,
                mpsc::TrySendError::Disconnected(_) => PinError::HasherGone,
            })?;
        rx.await.map_err(|_| PinError::HasherGone)
    }

    /// An argon2id hash of the PIN, for storing.
    pub async fn hash(&self, pin: &str) -> Result<String, PinError> {
        let pin = pin.to_owned();
        self.on_hasher(move || hash_pin(&pin)).await
    }

    async fn verify(&self, pin: &str, hash: String) -> Result<bool, PinError> {
        let pin = pin.to_owned();
        self.on_hasher(move || pin_matches(&pin, &hash)).await
    }

    /// Verifies `hash`, and when it matches but was made with other parameters than
    /// `pin_params`, also gives the hash to store in its place.
    pub async fn verify_and_renew(
        &self,
        pin: &str,
        hash: String,
    ) -> Result<(bool, Option<String>), PinError> {
        let pin = pin.to_owned();
        self.on_hasher(move || {
            let matches = pin_matches(&pin, &hash);
            let renewed = (matches && !is_current(&hash)).then(|| {
                let renewed = hash_pin(&pin);
                // The bigger working area the old hash needed is not needed again.
                release_extra_memory();
                renewed
            });
            (matches, renewed)
        })
        .await
    }

    /// Checks `pin` against a hash no PIN matches, so a PIN that finds nobody takes as
    /// long as one that finds someone.
    pub async fn verify_nobody(&self, pin: &str) -> Result<(), PinError> {
        self.verify(pin, self.stand_in.to_string())
            .await
            .map(|_| ())
    }
}

/// Argon2 of `pin` with `salt` (a PHC salt), `len` bytes long, computed in this thread's
/// reused working memory.
fn argon2_output(
    algorithm: Algorithm,
    version: Version,
    params: &Params,
    pin: &str,
    salt: Salt<'_>,
    len: usize,
) -> argon2::password_hash::Result<Output> {
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut salt_buf = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_buf)?;
    let needed = params.block_count();
    Output::init_with(len, |out| {
        BLOCKS.with_borrow_mut(|blocks| {
            if blocks.len() < needed {
                blocks.resize(needed, Block::default());
            }
            Ok(argon.hash_password_into_with_memory(
                pin.as_bytes(),
                salt,
                out,
                &mut blocks[..needed],
            )?)
        })
    })
}

/// Gives back this thread's working memory beyond what `pin_params` needs, once a bigger
/// old hash was renewed. Not after every check of one: a flood of wrong PINs against old
/// hashes would then allocate it afresh each time, which the allocator keeps.
fn release_extra_memory() {
    let usual = pin_params().block_count();
    BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() > usual {
            blocks.truncate(usual);
            blocks.shrink_to_fit();
        }
    });
}

/// Whether `hash` was made with `pin_params` (argon2id, current version).
fn is_current(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        parsed.algorithm == Algorithm::Argon2id.ident()
            && parsed.version == Some(Version::V0x13.into())
            && Params::try_from(&parsed).is_ok_and(|p| {
                let want = pin_params();
                (p.m_cost(), p.t_cost(), p.p_cost())
                    == (want.m_cost(), want.t_cost(), want.p_cost())
            })
    })
}

/// An argon2id PHC string for the PIN with `pin_params`.
fn hash_pin(pin: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    let params = pin_params();
    let output = argon2_output(
        Algorithm::Argon2id,
        Version::V0x13,
        &params,
        pin,
        salt.as_salt(),
        Params::DEFAULT_OUTPUT_LEN,
    )
    .expect("argon2 with valid parameters hashes any input");
    PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).expect("valid parameters encode"),
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string()
}

/// Whether `pin` is the one `hash` (a PHC string) was made from; the comparison is in
/// constant time (`Output`'s equality).
fn pin_matches(pin: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let Ok(version) = parsed.version.map(Version::try_from).transpose() else {
        return false;
    };
    argon2_output(
        algorithm,
        version.unwrap_or_default(),
        &params,
        pin,
        salt,
        expected.len(),
    )
    .is_ok_and(|out| out == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_matches_only_its_own_hash() {
        let hash = hash_pin("1234");
        assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
        assert!(is_current(&hash));
        assert!(pin_matches("1234", &hash));
        assert!(!pin_matches("1235", &hash));
        assert!(!pin_matches("1234", "not a hash"));
    }

    #[test]
    fn hashes_made_by_the_argon2_crate_still_match() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let made = Argon2::default()
            .hash_password(b"2468", &salt)
            .unwrap()
            .to_string();
        assert!(pin_matches("2468", &made));
        assert!(!pin_matches("2469", &made));
        assert!(
            !is_current(&made),
            "made with 19 MiB: renewed at the next sign-in"
        );
    }

    #[tokio::test]
    async fn lookups_depend_on_the_pin_and_the_boxs_key() {
        let (a, b) = (
            Pins::with_key([1; 32]).unwrap(),
            Pins::with_key([2; 32]).unwrap(),
        );
        assert_eq!(a.lookup("1234"), a.lookup("1234"));
        assert_ne!(a.lookup("1234"), a.lookup("1235"));
        assert_ne!(a.lookup("1234"), b.lookup("1234"));
        let hash = a.hash("1234").await.unwrap();
        assert!(a.verify("1234", hash.clone()).await.unwrap());
        assert!(!a.verify("4321", hash).await.unwrap());
    }

    #[test]
    fn the_key_is_kept_and_only_its_owner_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = Pins::open(dir.path()).unwrap().lookup("1111");
        let again = Pins::open(dir.path()).unwrap().lookup("1111");
        assert_eq!(first, again, "the key survives a restart");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let key = dir.path().join("secrets/pin.key");
            let mode = std::fs::metadata(key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
