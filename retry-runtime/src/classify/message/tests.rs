//! Unit tests of `message_contains`: case folding, needles split across `write_str` calls,
//! partial matches that restart, early stops, and failing `Display`s.

use super::*;
use std::io;

struct Chunked<'a>(&'a [&'a str]);

impl fmt::Display for Chunked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|part| f.write_str(part))
    }
}

#[test]
fn message_contains_basics() {
    let p = message_contains::<str>(&["rate limit", "overloaded"]);
    assert!(p("Rate Limit exceeded"));
    assert!(p("the model is OVERLOADED"));
    assert!(p("rate limit"));
    assert!(!p("rate-limit"));
    assert!(!p("rate limi"));
    assert!(!p(""));
}

#[test]
fn message_contains_empty_cases() {
    assert!(!message_contains::<str>(&[])("anything"));
    assert!(!message_contains::<str>(&[])(""));
    assert!(message_contains::<str>(&[""])("anything"));
    assert!(message_contains::<str>(&[""])(""));
    assert!(message_contains::<str>(&["zzz", ""])("abc"));
}

#[test]
fn message_contains_across_write_calls() {
    let p = message_contains::<Chunked<'_>>(&["connection reset"]);
    assert!(p(&Chunked(&[
        "io: Conn",
        "ection ",
        "",
        "RES",
        "et by peer"
    ])));
    assert!(!p(&Chunked(&["io: Conn", "ection ", "refused"])));
    let chars: Vec<String> = "xxconnection resetxx".chars().map(String::from).collect();
    let parts: Vec<&str> = chars.iter().map(String::as_str).collect();
    assert!(p(&Chunked(&parts)));
}

#[test]
fn message_contains_restarts_partial_matches() {
    // Overlapping prefixes: the KMP fallback must not skip a real match.
    let cases = [
        ("aab", "aaab", true),
        ("abab", "ababab", true),
        ("abac", "ababac", true),
        ("aabaab", "aabaabaab", true),
        ("aabaac", "aabaabaac", true),
        ("abcabd", "abcabcabd", true),
        ("abcabd", "abcabcab", false),
        ("aaaa", "aaa", false),
        ("aaaa", "aaabaaa", false),
        ("aaaa", "aaabaaaa", true),
        ("ab", "b", false),
    ];
    for (needle, text, want) in cases {
        assert_eq!(
            message_contains::<str>(&[needle])(text),
            want,
            "{needle:?} in {text:?}"
        );
    }
}

#[test]
fn message_contains_exhaustive_over_two_letters() {
    // Every text up to 10 letters and every needle up to 5 over {a, B}: the streaming
    // matcher agrees with the allocating one.
    fn words(max: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|w| [format!("{w}a"), format!("{w}B")])
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }
    let needles = words(5);
    for text in words(10) {
        let lower = text.to_lowercase();
        for needle in &needles {
            let want = lower.contains(&needle.to_lowercase());
            assert_eq!(
                message_contains::<str>(&[needle.as_str()])(&text),
                want,
                "{needle:?} in {text:?}"
            );
        }
    }
}

#[test]
fn message_contains_unicode_case() {
    let p = message_contains::<str>(&["überlastet", "ΣΦΑΛΜΑ"]);
    assert!(p("Dienst ÜBERLASTET"));
    assert!(p("σφάλμα? no: σφαλμα"));
    assert!(!p("uberlastet"));
    // 'İ' lowercases to "i\u{307}" on both sides.
    assert!(message_contains::<str>(&["İ"])("xi\u{307}x"));
    assert!(message_contains::<str>(&["i\u{307}"])("xİx"));
    // No full case folding.
    assert!(!message_contains::<str>(&["strasse"])("STRAßE"));
}

#[test]
fn message_contains_many_needles() {
    let needles: Vec<String> = (0..20).map(|i| format!("needle{i}")).collect();
    let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
    let p = message_contains::<str>(&refs);
    for i in 0..20 {
        assert!(p(&format!("... NEEDLE{i} ...")), "{i}");
    }
    assert!(!p("needle"));
}

#[test]
fn message_contains_stops_formatting_early() {
    use std::cell::Cell;
    struct Counting<'a>(&'a Cell<u32>);
    impl fmt::Display for Counting<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for part in ["one ", "two ", "three "] {
                self.0.set(self.0.get() + 1);
                f.write_str(part)?;
            }
            Ok(())
        }
    }
    let writes = Cell::new(0);
    assert!(message_contains(&["two"])(&Counting(&writes)));
    assert_eq!(writes.get(), 2);
}

#[test]
fn message_contains_tolerates_failing_display() {
    struct Broken;
    impl fmt::Display for Broken {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("timeout")?;
            Err(fmt::Error)
        }
    }
    assert!(message_contains(&["timeout"])(&Broken));
    assert!(!message_contains(&["other"])(&Broken));
}

#[test]
fn message_contains_is_copy_and_infers_e() {
    fn takes<E, F: Fn(&E) -> bool>(_: F, _: F) {}
    let p = message_contains(&["x"]);
    takes::<io::Error, _>(p, p);
}
