//! A limiter's clock: nanoseconds since its own epoch (its first reading), read off the
//! crate's one clock (`clock.rs`), so a paused tokio clock drives limiters in tests and std's
//! clock drives them everywhere else.

use std::sync::OnceLock;
use std::time::Duration;

use crate::clock::Instant;

/// Where a limiter's epoch stands on its timeline: about 73 minutes, room for readings
/// earlier than the epoch (a paused tokio clock lags the real one by about the time since its
/// test started), which count back from here instead of stopping at zero. A theoretical
/// arrival time of zero, the initial one, is then an idle spell long past.
const EARLIER: u64 = 1 << 42;

/// A limiter's timeline: its epoch is set by its first reading, so `const` limiters can sit in
/// `static`s.
#[derive(Debug)]
pub(crate) struct Timeline {
    epoch: OnceLock<Instant>,
}

impl Timeline {
    /// A timeline whose epoch is its first reading.
    pub(crate) const fn new() -> Self {
        Timeline {
            epoch: OnceLock::new(),
        }
    }

    /// Now, in nanoseconds on this timeline.
    #[inline]
    pub(crate) fn now(&self) -> u64 {
        let now = Instant::now();
        let epoch = *self.epoch.get_or_init(|| now);
        match now.checked_duration_since(epoch) {
            Some(after) => EARLIER.saturating_add(nanos(after)),
            None => EARLIER.saturating_sub(nanos(epoch.duration_since(now))),
        }
    }
}

/// `d` in nanoseconds, saturating at `u64::MAX` (584 years).
#[inline]
pub(crate) const fn nanos(d: Duration) -> u64 {
    d.as_secs()
        .saturating_mul(1_000_000_000)
        .saturating_add(d.subsec_nanos() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_grow_from_the_epoch() {
        let t = Timeline::new();
        let first = t.now();
        assert!(
            (EARLIER..EARLIER + 1_000_000_000).contains(&first),
            "{first}"
        );
        assert!(t.now() >= first);
        assert_eq!(nanos(Duration::MAX), u64::MAX);
        assert_eq!(nanos(Duration::new(2, 5)), 2_000_000_005);
    }
}
