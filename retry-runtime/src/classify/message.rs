//! `message_contains`: a `when` / `unless` predicate over an error's `Display` output, with its
//! streaming, allocation-free, case-insensitive multi-needle matcher.

use std::char::ToLowercase;
use std::fmt::{self, Write as _};
use std::iter::FlatMap;
use std::str::Chars;

#[cfg(test)]
mod tests;

/// A `when` / `unless` predicate for any `E: Display`: true when any of `needles` occurs in the
/// error's message (its [`Display`](fmt::Display) output), ignoring case.
///
/// "Ignoring case" means both the message and the needles are compared after mapping each
/// character through [`char::to_lowercase`]; for ASCII that is plain ASCII case-folding, and
/// for other text it agrees with `message.to_lowercase().contains(&needle.to_lowercase())`
/// (except for the context-dependent final sigma, which is compared as `σ`). No locale-specific
/// rules and no full Unicode case folding (`ß` does not match `ss`).
///
/// An empty list matches nothing. An empty needle (`""`) matches every error, as
/// `str::contains("")` does.
///
/// The message is streamed through the matcher as `Display` writes it: nothing is allocated,
/// and formatting stops as soon as a needle is found. The returned predicate is `Copy`, so one
/// can serve several options.
///
/// ```
/// use retry_runtime::classify::message_contains;
///
/// let overloaded = message_contains(&["rate limit", "overloaded"]);
/// let e = std::io::Error::other("upstream: Rate Limit exceeded, retry later");
/// assert!(overloaded(&e));
/// assert!(!overloaded(&std::io::Error::other("invalid API key")));
///
/// // Any `Display` works, including unsized ones.
/// assert!(message_contains::<str>(&["OVERLOADED"])("model is overloaded"));
/// ```
///
/// As the predicate of a retry (with the attribute: `when = classify::message_contains(&[...])`):
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{classify, Jitter, Retry, RetryPolicy};
///
/// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::ZERO).jitter(Jitter::None);
/// let mut calls = 0;
/// let r: Result<(), String> = Retry::new(&P)
///     .when(classify::message_contains(&["try again"]))
///     .run(|| {
///         calls += 1;
///         Err(if calls == 1 { "Busy, try again".into() } else { "bad request".into() })
///     });
/// assert_eq!(r.unwrap_err(), "bad request");
/// assert_eq!(calls, 2);
/// ```
pub fn message_contains<'a, E>(needles: &'a [&'a str]) -> impl Fn(&E) -> bool + Copy + 'a
where
    E: fmt::Display + ?Sized,
{
    move |error: &E| display_contains_any(error, needles)
}

/// How many needles one pass over the `Display` output follows (more needles: more passes).
const LANES: usize = 8;

/// A string as a stream of lowercased chars.
type Folded<'n> = FlatMap<Chars<'n>, ToLowercase, fn(char) -> ToLowercase>;

fn fold(s: &str) -> Folded<'_> {
    s.chars()
        .flat_map(char::to_lowercase as fn(char) -> ToLowercase)
}

fn display_contains_any<E: fmt::Display + ?Sized>(error: &E, needles: &[&str]) -> bool {
    if needles.iter().any(|n| n.is_empty()) {
        return true;
    }
    needles.chunks(LANES).any(|chunk| {
        let mut matcher = Matcher {
            lanes: std::array::from_fn(|i| chunk.get(i).map(|n| Lane::new(n))),
            found: false,
        };
        // An `Err` here is either our own early stop or a broken `Display`: either way the
        // verdict is whatever was seen.
        let _ = write!(matcher, "{error}");
        matcher.found
    })
}

/// Follows one non-empty needle through the text, KMP-style, with the failure function
/// recomputed from the needle on a mismatch instead of stored in a table (needles are short;
/// this keeps the matcher allocation-free).
struct Lane<'n> {
    needle: &'n str,
    /// How many folded chars of the needle the end of the text currently matches.
    matched: usize,
    /// The folded needle char at `matched` (`None` once the whole needle matched).
    next: Option<char>,
    /// The folded needle after `next`.
    rest: Folded<'n>,
}

impl<'n> Lane<'n> {
    fn new(needle: &'n str) -> Self {
        let mut lane = Lane {
            needle,
            matched: 0,
            next: None,
            rest: fold(needle),
        };
        lane.seek(0);
        lane
    }

    /// Puts the lane in the state "the first `k` folded needle chars matched".
    fn seek(&mut self, k: usize) {
        self.matched = k;
        self.rest = fold(self.needle);
        self.next = self.rest.nth(k);
    }

    /// Feeds one folded text char; true when the needle has now been seen in full.
    fn feed(&mut self, c: char) -> bool {
        if self.next == Some(c) {
            self.matched += 1;
            self.next = self.rest.next();
            return self.next.is_none();
        }
        if self.matched == 0 {
            return false;
        }
        // The text ends with needle[..j] followed by `c`, which broke the match. The new state
        // is the longest k <= j with needle[..k] a suffix of that: needle[k-1] == c and
        // needle[..k-1] == needle[j+1-k..j].
        let j = self.matched;
        let mut k = j;
        while k > 0 {
            let n = self.needle;
            if fold(n).nth(k - 1) == Some(c)
                && fold(n).take(k - 1).eq(fold(n).skip(j + 1 - k).take(k - 1))
            {
                break;
            }
            k -= 1;
        }
        // k <= j < the needle's length, so this is never a full match.
        self.seek(k);
        false
    }
}

/// The `fmt::Write` end of the stream: feeds every folded char to every lane, and stops the
/// formatting (with `fmt::Error`) at the first full match.
struct Matcher<'n> {
    lanes: [Option<Lane<'n>>; LANES],
    found: bool,
}

impl fmt::Write for Matcher<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.found {
            return Err(fmt::Error);
        }
        for c in fold(s) {
            for lane in self.lanes.iter_mut().flatten() {
                if lane.feed(c) {
                    self.found = true;
                    return Err(fmt::Error);
                }
            }
        }
        Ok(())
    }
}
