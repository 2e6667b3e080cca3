//! Throttling of PIN attempts: sign-ins and managers' approvals.
//!
//! Every attempt is counted against each of its keys (the client's address, its device,
//! its session) as a failure *before* the PIN is checked, and only that one count is taken
//! back when the PIN turns out right. So a burst of concurrent guesses cannot slip past the
//! count while the first ones are still being checked, and signing in with one's own PIN
//! between guesses wipes nothing.
//!
//! Up to `FREE_FAILURES` failures cost nothing; after that a key waits 1 s, then 2, 4 … up
//! to `MAX_DELAY` after each failure, and is answered 429 with `Retry-After` meanwhile
//! (without checking the PIN). One failure is forgiven every `FORGIVE_EVERY`, so a phone
//! whose owner mistyped is back to normal after a short pause, while a guesser settles at
//! about one guess per `FORGIVE_EVERY` per key. A venue-wide bucket bounds failures from
//! everywhere together, for a guesser with many addresses: `VENUE_BURST`, then one every
//! `VENUE_REFILL` (180 an hour: the 10,000 four-digit PINs take over two days).
//!
//! Memory is bounded: at most `MAX_KEYS` keys are tracked; when full and none can be
//! forgotten, new keys wait as if the venue-wide bucket were empty.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FREE_FAILURES: u32 = 5;
const MAX_DELAY: Duration = Duration::from_secs(300);
const FORGIVE_EVERY: Duration = Duration::from_secs(30);
const MAX_KEYS: usize = 10_000;
const VENUE_BURST: f64 = 30.0;
const VENUE_REFILL: Duration = Duration::from_secs(20);

#[derive(Debug)]
struct Entry {
    failures: u32,
    /// When the last failure was counted (a provisional one included).
    last_failure: Instant,
    /// When `failures` was last reduced by forgiveness.
    forgiven_at: Instant,
    blocked_until: Instant,
}

impl Entry {
    /// Forgives one failure per `FORGIVE_EVERY` since the last failure or forgiveness.
    fn forgive(&mut self, now: Instant) {
        let since = now.saturating_duration_since(self.last_failure.max(self.forgiven_at));
        let forgiven = (since.as_secs() / FORGIVE_EVERY.as_secs()) as u32;
        if forgiven > 0 {
            self.failures = self.failures.saturating_sub(forgiven);
            self.forgiven_at = now;
        }
    }
}

#[derive(Debug)]
struct Inner {
    keys: HashMap<String, Entry>,
    venue_tokens: f64,
    venue_refilled: Instant,
}

/// The attempt counter (one for the whole server).
#[derive(Debug)]
pub struct Throttle {
    inner: Mutex<Inner>,
}

/// An attempt let through: a failure unless `succeeded` is called.
#[must_use = "an attempt is a failure unless `succeeded` is called"]
#[derive(Debug)]
pub struct Attempt {
    throttle: Arc<Throttle>,
    keys: Vec<String>,
    began: Instant,
    /// Each key's (last failure, blocked until) before this attempt, to put back if it
    /// succeeds and no other attempt came since.
    before: Vec<Option<(Instant, Instant)>>,
}

/// Not now: try again after this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait(pub Duration);

impl Wait {
    /// Whole seconds, at least 1, for `Retry-After`.
    pub fn seconds(&self) -> u64 {
        self.0.as_secs_f64().ceil().max(1.0) as u64
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                keys: HashMap::new(),
                venue_tokens: VENUE_BURST,
                venue_refilled: Instant::now(),
            }),
        }
    }
}

fn delay_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    Duration::from_secs(1u64 << doublings).min(MAX_DELAY)
}

impl Throttle {
    /// Lets an attempt through for all `keys`, or says how long to wait.
    pub fn begin(self: &Arc<Self>, keys: Vec<String>) -> Result<Attempt, Wait> {
        self.begin_at(keys, Instant::now())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn begin_at(self: &Arc<Self>, keys: Vec<String>, now: Instant) -> Result<Attempt, Wait> {
        let mut inner = self.lock();
        let refill = now
            .saturating_duration_since(inner.venue_refilled)
            .as_secs_f64()
            / VENUE_REFILL.as_secs_f64();
        inner.venue_tokens = (inner.venue_tokens + refill).min(VENUE_BURST);
        inner.venue_refilled = now;

        let mut wait = Duration::ZERO;
        for key in &keys {
            if let Some(e) = inner.keys.get_mut(key) {
                e.forgive(now);
                wait = wait.max(e.blocked_until.saturating_duration_since(now));
            }
        }
        if inner.venue_tokens < 1.0 {
            wait = wait.max(VENUE_REFILL.mul_f64(1.0 - inner.venue_tokens));
        }
        let new_keys = keys.iter().filter(|k| !inner.keys.contains_key(*k)).count();
        if inner.keys.len() + new_keys > MAX_KEYS {
            inner.keys.retain(|_, e| {
                e.forgive(now);
                e.failures > 0 || e.blocked_until > now
            });
            if inner.keys.len() + new_keys > MAX_KEYS {
                wait = wait.max(VENUE_REFILL);
            }
        }
        if !wait.is_zero() {
            return Err(Wait(wait));
        }

        inner.venue_tokens -= 1.0;
        let before = keys
            .iter()
            .map(|k| inner.keys.get(k).map(|e| (e.last_failure, e.blocked_until)))
            .collect();
        for key in &keys {
            let entry = inner.keys.entry(key.clone()).or_insert(Entry {
                failures: 0,
                last_failure: now,
                forgiven_at: now,
                blocked_until: now,
            });
            entry.failures += 1;
            entry.last_failure = now;
            entry.blocked_until = now + delay_after(entry.failures);
        }
        Ok(Attempt {
            throttle: self.clone(),
            keys,
            began: now,
            before,
        })
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().keys.len()
    }
}

#[cfg(test)]
impl Attempt {
    fn succeeded_then_ok(self) -> bool {
        self.succeeded();
        true
    }
}

impl Attempt {
    /// The PIN was right: this attempt's own count is taken back (earlier failures stay),
    /// and so is its venue-wide token.
    pub fn succeeded(self) {
        let mut inner = self.throttle.lock();
        for (key, before) in self.keys.iter().zip(&self.before) {
            let Some(e) = inner.keys.get_mut(key) else {
                continue;
            };
            e.failures = e.failures.saturating_sub(1);
            // The wait this attempt imposed goes with it, unless another came since.
            if e.last_failure == self.began {
                let (last, blocked) = before.unwrap_or((self.began, self.began));
                e.last_failure = last;
                e.blocked_until = blocked;
            }
        }
        inner.venue_tokens = (inner.venue_tokens + 1.0).min(VENUE_BURST);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &str) -> Vec<String> {
        vec![k.to_owned()]
    }

    fn throttle() -> Arc<Throttle> {
        Arc::new(Throttle::default())
    }

    #[test]
    fn a_few_mistakes_are_free_then_each_waits_longer() {
        let t = throttle();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            assert!(t.begin_at(keys("ip:a"), now).is_ok());
        }
        // The fifth failure is let through and blocks the next for 1 s.
        assert!(t.begin_at(keys("ip:a"), now).is_ok());
        assert_eq!(
            t.begin_at(keys("ip:a"), now).err(),
            Some(Wait(Duration::from_secs(1)))
        );
        // Another address is not affected.
        assert!(t.begin_at(keys("ip:b"), now).is_ok());
        let later = now + Duration::from_secs(1);
        assert!(t.begin_at(keys("ip:a"), later).is_ok());
        assert_eq!(
            t.begin_at(keys("ip:a"), later).err(),
            Some(Wait(Duration::from_secs(2)))
        );
    }

    #[test]
    fn signing_in_between_guesses_takes_back_only_its_own_count() {
        let t = throttle();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            let _ = t.begin_at(keys("ip:a"), now);
        }
        // Four guesses, then one's own PIN: the four still count.
        t.begin_at(keys("ip:a"), now).unwrap().succeeded();
        assert!(t.begin_at(keys("ip:a"), now).is_ok(), "the fifth failure");
        assert!(
            t.begin_at(keys("ip:a"), now).is_err(),
            "no fresh allowance after a success"
        );
    }

    #[test]
    fn a_success_after_the_free_ones_does_not_block_the_next_sign_in() {
        let t = throttle();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            let _ = t.begin_at(keys("ip:a"), now);
        }
        let later = now + Duration::from_secs(1);
        t.begin_at(keys("ip:a"), later).unwrap().succeeded();
        assert!(
            t.begin_at(keys("ip:a"), later).unwrap().succeeded_then_ok(),
            "only the earlier failures' wait applies, and it is over"
        );
    }

    #[test]
    fn failures_are_forgiven_with_time() {
        let t = throttle();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            let _ = t.begin_at(keys("ip:a"), now);
        }
        // Two forgiven after a minute: two more free attempts.
        let later = now + FORGIVE_EVERY * 2;
        assert!(t.begin_at(keys("ip:a"), later).is_ok());
        assert!(t.begin_at(keys("ip:a"), later).is_ok());
        assert!(t.begin_at(keys("ip:a"), later).is_err());
    }

    #[test]
    fn a_patient_guesser_gets_about_one_guess_per_forgiveness() {
        let t = throttle();
        let mut now = Instant::now();
        let mut guesses = 0;
        let hour = now + Duration::from_secs(3600);
        while now < hour {
            match t.begin_at(keys("ip:a"), now) {
                Ok(_) => guesses += 1,
                Err(Wait(w)) => now += w,
            }
        }
        let per_hour = 3600 / FORGIVE_EVERY.as_secs() as usize;
        assert!(
            guesses <= per_hour + FREE_FAILURES as usize + 10,
            "{guesses}"
        );
    }

    #[test]
    fn delays_grow_to_a_ceiling() {
        assert_eq!(delay_after(FREE_FAILURES - 1), Duration::ZERO);
        assert_eq!(delay_after(FREE_FAILURES), Duration::from_secs(1));
        assert_eq!(delay_after(FREE_FAILURES + 3), Duration::from_secs(8));
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn many_addresses_meet_the_venue_wide_ceiling() {
        let t = throttle();
        let now = Instant::now();
        let let_through = (0..100)
            .filter(|i| t.begin_at(keys(&format!("ip:{i}")), now).is_ok())
            .count();
        assert_eq!(let_through, VENUE_BURST as usize);
        let wait = t.begin_at(keys("ip:new"), now).unwrap_err();
        assert!(wait.0 <= VENUE_REFILL && wait.seconds() >= 1);
        assert!(t.begin_at(keys("ip:new"), now + VENUE_REFILL).is_ok());
        // A day of it stays far below the 10,000 four-digit PINs.
        let mut at = now;
        let mut guesses = 0;
        let mut i = 0;
        while at < now + Duration::from_secs(24 * 3600) {
            i += 1;
            match t.begin_at(keys(&format!("ip:{i}")), at) {
                Ok(_) => guesses += 1,
                Err(Wait(w)) => at += w,
            }
        }
        assert!(guesses < 5_000, "{guesses} guesses in a day");
    }

    #[test]
    fn the_keys_tracked_are_bounded() {
        let t = throttle();
        let mut now = Instant::now();
        for i in 0..(MAX_KEYS + 500) {
            // spread out so the venue bucket refills
            now += VENUE_REFILL;
            let _ = t.begin_at(keys(&format!("ip:{i}")), now);
        }
        assert!(t.tracked() <= MAX_KEYS);
    }

    #[test]
    fn retry_after_is_at_least_a_second() {
        assert_eq!(Wait(Duration::from_millis(10)).seconds(), 1);
        assert_eq!(Wait(Duration::from_secs(2)).seconds(), 2);
        assert_eq!(Wait(Duration::from_millis(2500)).seconds(), 3);
    }
}
