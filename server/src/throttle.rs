//! Throttling of PIN attempts: sign-ins and managers' approvals.
//!
//! Every attempt is counted against each of its keys (the client's address, its device,
//! its session) as a failure *before* the PIN is checked, and the count is taken back when
//! the PIN turns out right. So a burst of concurrent guesses cannot slip past the count
//! while the first ones are still being checked. Up to `FREE_FAILURES` failures in a row
//! cost nothing; after that a key waits 1 s, then 2, 4 … up to `MAX_DELAY` before its
//! next attempt, and is answered 429 with `Retry-After` meanwhile (without checking the
//! PIN). A venue-wide bucket bounds failures from everywhere together, for a guesser
//! with many addresses. A key forgotten after `FORGET_AFTER` of quiet starts afresh.
//!
//! Memory is bounded: at most `MAX_KEYS` keys are tracked; when full and none can be
//! forgotten, new keys wait as if the venue-wide bucket were empty.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_FAILURES: u32 = 5;
const MAX_DELAY: Duration = Duration::from_secs(300);
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
const MAX_KEYS: usize = 10_000;
/// The venue-wide bucket: this many failures at once, one more every `VENUE_REFILL`.
const VENUE_BURST: f64 = 30.0;
const VENUE_REFILL: Duration = Duration::from_secs(4);

#[derive(Debug)]
struct Entry {
    failures: u32,
    blocked_until: Instant,
    last: Instant,
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

/// An attempt let through: say how it went.
#[must_use = "an attempt is a failure unless `succeeded` is called"]
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    keys: Vec<String>,
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
    pub fn begin(&self, keys: Vec<String>) -> Result<Attempt<'_>, Wait> {
        self.begin_at(keys, Instant::now())
    }

    fn begin_at(&self, keys: Vec<String>, now: Instant) -> Result<Attempt<'_>, Wait> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let refill = now
            .saturating_duration_since(inner.venue_refilled)
            .as_secs_f64()
            / VENUE_REFILL.as_secs_f64();
        inner.venue_tokens = (inner.venue_tokens + refill).min(VENUE_BURST);
        inner.venue_refilled = now;

        let mut wait = Duration::ZERO;
        for key in &keys {
            if let Some(e) = inner.keys.get(key) {
                wait = wait.max(e.blocked_until.saturating_duration_since(now));
            }
        }
        if inner.venue_tokens < 1.0 {
            wait = wait.max(VENUE_REFILL.mul_f64(1.0 - inner.venue_tokens));
        }
        let new_keys = keys.iter().filter(|k| !inner.keys.contains_key(*k)).count();
        if inner.keys.len() + new_keys > MAX_KEYS {
            inner
                .keys
                .retain(|_, e| e.blocked_until > now || now.duration_since(e.last) < FORGET_AFTER);
            if inner.keys.len() + new_keys > MAX_KEYS {
                wait = wait.max(VENUE_REFILL);
            }
        }
        if !wait.is_zero() {
            return Err(Wait(wait));
        }

        inner.venue_tokens -= 1.0;
        for key in &keys {
            let entry = inner.keys.entry(key.clone()).or_insert(Entry {
                failures: 0,
                blocked_until: now,
                last: now,
            });
            if now.duration_since(entry.last) >= FORGET_AFTER {
                entry.failures = 0;
            }
            entry.failures += 1;
            entry.last = now;
            entry.blocked_until = now + delay_after(entry.failures);
        }
        Ok(Attempt {
            throttle: self,
            keys,
        })
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.inner.lock().unwrap().keys.len()
    }
}

impl Attempt<'_> {
    /// The PIN was right: its keys start afresh and the venue-wide bucket gets its token back.
    pub fn succeeded(self) {
        let mut inner = self
            .throttle
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for key in &self.keys {
            inner.keys.remove(key);
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

    #[test]
    fn a_few_mistakes_are_free_then_each_waits_longer() {
        let t = Throttle::default();
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
    fn the_right_pin_clears_the_count() {
        let t = Throttle::default();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            let _ = t.begin_at(keys("ip:a"), now);
        }
        t.begin_at(keys("ip:a"), now).unwrap().succeeded();
        for _ in 0..FREE_FAILURES {
            assert!(t.begin_at(keys("ip:a"), now).is_ok());
        }
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
        let t = Throttle::default();
        let now = Instant::now();
        let let_through = (0..100)
            .filter(|i| t.begin_at(keys(&format!("ip:{i}")), now).is_ok())
            .count();
        assert_eq!(let_through, VENUE_BURST as usize);
        let wait = t.begin_at(keys("ip:new"), now).unwrap_err();
        assert!(wait.0 <= VENUE_REFILL && wait.seconds() >= 1);
        assert!(t.begin_at(keys("ip:new"), now + VENUE_REFILL).is_ok());
    }

    #[test]
    fn the_keys_tracked_are_bounded() {
        let t = Throttle::default();
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
