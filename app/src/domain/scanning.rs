//! Barcodes: what counts as a code, and telling a keyboard-wedge scanner from a person
//! typing. A wedge scanner "types" the code into the browser, a character every few
//! milliseconds, and presses Enter; people type ten times slower. So a burst of characters
//! each arriving within `WEDGE_GAP_MS` of the last and ended by Enter is a scan.

/// Most milliseconds between two characters of one scan.
pub const WEDGE_GAP_MS: f64 = 50.0;
/// Shortest and longest code accepted.
pub const MIN_CODE_LEN: usize = 4;
pub const MAX_CODE_LEN: usize = 32;

/// A code as read (spaces and line ends trimmed), if it looks like one: 4 to 32 printable
/// ASCII characters.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code = raw.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_control());
    let ok = (MIN_CODE_LEN..=MAX_CODE_LEN).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_graphic());
    ok.then(|| code.to_owned())
}

/// Watches key presses and says when a scan ended.
#[derive(Debug, Default)]
pub struct WedgeDetector {
    burst: String,
    last_ms: Option<f64>,
}

impl WedgeDetector {
    /// Feeds one key (`"Enter"` or a single character) pressed at `at_ms`; returns the code
    /// when this Enter ends a scanner burst. Slow keys start the burst over, so typing is
    /// never mistaken for a scan.
    pub fn key(&mut self, key: &str, at_ms: f64) -> Option<String> {
        let quick = self
            .last_ms
            .is_some_and(|last| at_ms - last <= WEDGE_GAP_MS);
        self.last_ms = Some(at_ms);
        if key == "Enter" {
            let burst = std::mem::take(&mut self.burst);
            return if quick { normalize_code(&burst) } else { None };
        }
        let mut chars = key.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_graphic() => {
                if !quick {
                    self.burst.clear();
                }
                self.burst.push(c);
            }
            // Shift, Tab and the like: not part of a code, and not a reason to start over.
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(d: &mut WedgeDetector, text: &str, start: f64, gap: f64) -> Option<String> {
        let mut at = start;
        for c in text.chars() {
            assert_eq!(d.key(&c.to_string(), at), None);
            at += gap;
        }
        d.key("Enter", at)
    }

    #[test]
    fn a_fast_burst_ended_by_enter_is_a_scan() {
        let mut d = WedgeDetector::default();
        assert_eq!(
            feed(&mut d, "8001234500012", 1000.0, 8.0).as_deref(),
            Some("8001234500012")
        );
    }

    #[test]
    fn typing_is_not_a_scan() {
        let mut d = WedgeDetector::default();
        assert_eq!(feed(&mut d, "8001234500012", 1000.0, 120.0), None);
        // Typed slowly, then a quick Enter: still typing.
        let mut d = WedgeDetector::default();
        for (i, c) in "1234".chars().enumerate() {
            d.key(&c.to_string(), 1000.0 + 200.0 * i as f64);
        }
        assert_eq!(d.key("Enter", 1610.0), None);
    }

    #[test]
    fn a_scan_after_typing_counts_only_the_burst() {
        let mut d = WedgeDetector::default();
        d.key("x", 0.0);
        d.key("y", 300.0);
        assert_eq!(
            feed(&mut d, "8001234500029", 900.0, 5.0).as_deref(),
            Some("8001234500029")
        );
    }

    #[test]
    fn codes_are_trimmed_and_checked() {
        assert_eq!(
            normalize_code(" 4006381333931\r\n").as_deref(),
            Some("4006381333931")
        );
        assert_eq!(normalize_code("123"), None);
        assert_eq!(normalize_code("12 34"), None);
        assert_eq!(normalize_code(&"9".repeat(33)), None);
    }
}
