//! `tracing` events (feature `tracing`), captured by a small hand-written subscriber: levels,
//! target, fields, and the error shown through Display, Debug or not at all, chosen by the
//! autoref helper the attributes use, without any bound on `E`.
#![cfg(feature = "tracing")]
// Autoref specialization needs the borrows clippy calls needless.
#![allow(clippy::needless_borrow)]

use std::fmt;
use std::time::Duration;

use retry_runtime::__private::{events, Marker, Site};
use retry_runtime::{
    configure_budget, Fallback, Jitter, Retry, RetryBudget, RetryEvent, RetryPolicy, ShowDebug,
    ShowDisplay, ShowError, Unset,
};
use tracing::Level;

#[path = "common/capture.rs"]
mod capture;
use capture::{capture, Capture};

// ---------------------------------------------------------------------------------------------
// Error types: both traits, Debug only, neither
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Both;
impl fmt::Display for Both {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("both: shown with Display")
    }
}

#[derive(Debug)]
struct DebugOnly {
    #[allow(dead_code)] // read through `Debug` only
    code: u16,
}

struct Neither;

const NOW: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(3)
    .initial_delay(Duration::ZERO)
    .jitter(Jitter::None);

/// What the attribute expands to, for a function returning `Result<(), E>` whose site is
/// `site`: the shower picked at the expansion site, where `E` is concrete.
fn expanded<E>(site: &'static Site, shower: impl ShowError<E>, mut op: impl FnMut() -> E) {
    let _ = retry_runtime::__private::run_sync(
        retry_runtime::__private::retry_at_site(&NOW, site, None).show_error(shower),
        || Err::<(), E>(op()),
    );
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn retries_warn_and_give_ups_error_with_target_and_fields() {
    static SITE: Site = Site::new("events_fetch");
    let events = capture(|| {
        let marker = Marker::<Result<(), Both>>::new();
        let shower = {
            use retry_runtime::__private::autoref::*;
            (&&&marker).pick_show_error()
        };
        expanded(&SITE, shower, || Both);
    });
    assert_eq!(events.len(), 3, "{events:#?}");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.target, "retry_runtime");
        assert_eq!(e.field("function"), Some("events_fetch"));
        assert_eq!(e.field("attempt"), Some(&*(i + 1).to_string()));
        assert_eq!(e.field("delay"), Some("0ns"));
        assert_eq!(e.field("error"), Some("both: shown with Display"));
        // No hook and no max_elapsed: the clock was never read, so no elapsed is claimed.
        assert_eq!(e.field("elapsed"), None);
    }
    assert_eq!(events[0].level, Level::WARN);
    assert_eq!(events[1].level, Level::WARN);
    assert_eq!(events[2].level, Level::ERROR);
    assert_eq!(events[2].field("reason"), Some("attempts used up"));
}

#[test]
fn debug_only_errors_are_shown_with_debug() {
    static SITE: Site = Site::new("events_debug_only");
    let events = capture(|| {
        let marker = Marker::<Result<(), DebugOnly>>::new();
        let shower = {
            use retry_runtime::__private::autoref::*;
            (&&&marker).pick_show_error()
        };
        let _: &ShowDebug = &shower;
        expanded(&SITE, shower, || DebugOnly { code: 503 });
    });
    assert_eq!(events.len(), 3);
    assert!(events
        .iter()
        .all(|e| e.field("error") == Some("DebugOnly { code: 503 }")));
}

#[test]
fn errors_with_neither_trait_have_no_error_field() {
    static SITE: Site = Site::new("events_neither");
    let events = capture(|| {
        let marker = Marker::<Result<(), Neither>>::new();
        let shower = {
            use retry_runtime::__private::autoref::*;
            (&&&marker).pick_show_error()
        };
        let _: &Unset = &shower;
        expanded(&SITE, shower, || Neither);
    });
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.field("error").is_none()));
    assert!(events
        .iter()
        .all(|e| e.field("function") == Some("events_neither")));
}

/// A generic function with no bound on `E`: the attribute cannot ask for one, and the helper
/// picks "no error field" even when the caller's `E` could be shown.
fn generic_unbounded<E>(site: &'static Site, make: impl FnMut() -> E) {
    let marker = Marker::<Result<(), E>>::new();
    let shower = {
        use retry_runtime::__private::autoref::*;
        (&&&marker).pick_show_error()
    };
    let _: &Unset = &shower;
    expanded(site, shower, make);
}

/// The same with `E: Display` in scope: Display is picked.
fn generic_display<E: fmt::Display>(site: &'static Site, make: impl FnMut() -> E) {
    let marker = Marker::<Result<(), E>>::new();
    let shower = {
        use retry_runtime::__private::autoref::*;
        (&&&marker).pick_show_error()
    };
    let _: &ShowDisplay = &shower;
    expanded(site, shower, make);
}

#[test]
fn generic_error_types() {
    static UNBOUNDED: Site = Site::new("events_generic_unbounded");
    static DISPLAY: Site = Site::new("events_generic_display");
    let events = capture(|| generic_unbounded(&UNBOUNDED, || Both));
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.field("error").is_none()));
    let events = capture(|| generic_display(&DISPLAY, || Both));
    assert!(events
        .iter()
        .all(|e| e.field("error") == Some("both: shown with Display")));
}

#[test]
fn elapsed_is_reported_when_the_clock_was_read() {
    let events = capture(|| {
        let _ = Retry::new(&NOW)
            .function("events_elapsed")
            .on_retry(|_: &RetryEvent<'_, ()>| {})
            .run(|| Err::<(), ()>(()));
    });
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.field("elapsed").is_some()));
    // A plain name (no site) still names the events.
    assert!(events
        .iter()
        .all(|e| e.field("function") == Some("events_elapsed")));
}

#[test]
fn give_up_reasons() {
    configure_budget(
        "events-refuse-all",
        RetryBudget::new().ratio(0.0).min_per_sec(0),
    );
    let events = capture(|| {
        let _ = Retry::new(&NOW)
            .when(|e: &u16| *e >= 500)
            .show_error(ShowDisplay)
            .run(|| Err::<(), u16>(404));
        let _ = Retry::new(&NOW)
            .budget("events-refuse-all")
            .run(|| Err::<(), u16>(503));
        let _ = Retry::new(&NOW)
            .retry_after(|_: &u16| Some(Duration::from_secs(3600)))
            .run(|| Err::<(), u16>(429));
    });
    let reasons: Vec<_> = events
        .iter()
        .map(|e| (e.level, e.field("reason").unwrap_or("-").to_string()))
        .collect();
    assert_eq!(
        reasons,
        [
            (Level::ERROR, "permanent error".to_string()),
            (Level::ERROR, "retry budget refused".to_string()),
            (
                Level::ERROR,
                "retry-after hint beyond max_retry_after".to_string()
            ),
        ]
    );
    assert_eq!(events[0].field("error"), Some("404"));
    assert_eq!(events[1].field("error"), None);
}

#[test]
fn fallback_events_are_info() {
    let events = capture(|| {
        events::fallback(
            "Client::chat",
            "Client::chat",
            "Client::chat_backup",
            &Both,
            &ShowDisplay,
        );
        events::fallback("f", "f", "g", &Neither, &Unset);
    });
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].level, Level::INFO);
    assert_eq!(events[0].target, "retry_runtime");
    assert_eq!(events[0].field("function"), Some("Client::chat"));
    assert_eq!(events[0].field("from"), Some("Client::chat"));
    assert_eq!(events[0].field("to"), Some("Client::chat_backup"));
    assert_eq!(events[0].field("error"), Some("both: shown with Display"));
    assert_eq!(events[1].field("error"), None);
}

#[test]
fn a_run_time_fallback_chain_emits_an_info_event_per_switch() {
    let events = capture(|| {
        let outcome = |name: &'static str| match name {
            "openai" => Err(Both),
            "anthropic" => Err(Both),
            _ => Ok(()),
        };
        let _ = Fallback::new()
            .function("complete")
            .show_error(ShowDisplay)
            .run(["openai", "anthropic", "local"].map(|n| (n, move || outcome(n))));
        // Without a shower the event has no error field; without a name it is "fallback".
        let _ = Fallback::new().run(["a", "b"].map(|n| (n, || Err::<(), _>(Both))));
    });
    let lines: Vec<String> = events.iter().map(|e| e.line()).collect();
    assert_eq!(
        lines,
        [
            "INFO retry_runtime error=both: shown with Display from=openai function=complete message=falling back to=anthropic",
            "INFO retry_runtime error=both: shown with Display from=anthropic function=complete message=falling back to=local",
            "INFO retry_runtime from=a function=fallback message=falling back to=b",
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn async_retries_emit_the_same_events() {
    let sink = Capture::default();
    let _installed = sink.install();
    let mut n = 0;
    let r: Result<u32, std::io::Error> = Retry::new(&NOW)
        .function("events_async")
        .show_error(ShowDisplay)
        .run_async(|| {
            n += 1;
            let k = n;
            async move {
                if k < 3 {
                    Err(std::io::Error::other(format!("reset {k}")))
                } else {
                    Ok(k)
                }
            }
        })
        .await;
    assert_eq!(r.unwrap(), 3);
    let events = sink.0.lock().unwrap().clone();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.level == Level::WARN));
    assert_eq!(events[0].field("error"), Some("reset 1"));
    assert_eq!(events[1].field("error"), Some("reset 2"));
    assert_eq!(events[1].field("attempt"), Some("2"));
}

#[test]
fn show_error_types_show() {
    struct Shown<'a, S>(&'a S, &'a Both);
    impl<S: ShowError<Both>> fmt::Display for Shown<'_, S> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.show(self.1, f)
        }
    }
    assert_eq!(
        Shown(&ShowDisplay, &Both).to_string(),
        "both: shown with Display"
    );
    assert_eq!(Shown(&ShowDebug, &Both).to_string(), "Both");
    assert_eq!(Shown(&Unset, &Both).to_string(), "");
    const {
        assert!(<ShowDisplay as ShowError<Both>>::ACTIVE);
        assert!(!<Unset as ShowError<Both>>::ACTIVE);
    }
}

// ---------------------------------------------------------------------------------------------
// The attributes, stacked, as a user writes them
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum StackError {
    Down,
    Open,
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StackError::Down => "503 from the primary",
            StackError::Open => "circuit open",
        })
    }
}

impl From<retry_runtime::CircuitOpen> for StackError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        StackError::Open
    }
}

struct Stacked;

impl Stacked {
    #[retry_runtime::fallback(to = Self::spare)]
    #[retry_runtime::retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
    #[retry_runtime::circuit_breaker(events_stacked, failure_threshold = 2, reset_timeout = "60s")]
    fn call(&self) -> Result<u32, StackError> {
        Err(StackError::Down)
    }

    fn spare(&self) -> Result<u32, StackError> {
        Ok(7)
    }
}

#[test]
fn the_attributes_emit_every_event_with_the_errors_display() {
    let events = capture(|| assert_eq!(Stacked.call().unwrap(), 7));
    let summary: Vec<(Level, Option<&str>, Option<&str>)> = events
        .iter()
        .map(|e| {
            (
                e.level,
                e.field("function").or(e.field("breaker")),
                e.field("error"),
            )
        })
        .collect();
    let (down, open) = (Some("503 from the primary"), Some("circuit open"));
    assert_eq!(
        summary,
        [
            // Attempt 1 fails: a retry.
            (Level::WARN, Some("Stacked::call"), down),
            // Attempt 2 fails and opens the circuit for 60 s: the retry gives up at once with
            // that failure's error rather than sleep into a rejection.
            (Level::INFO, Some("events_stacked"), None),
            (Level::ERROR, Some("Stacked::call"), down),
            // The fallback takes over.
            (Level::INFO, Some("Stacked::call"), down),
        ],
        "{events:#?}"
    );
    assert!(events.iter().all(|e| e.target == "retry_runtime"));
    assert_eq!(events[1].field("to"), Some("OPEN"));
    assert_eq!(events[2].field("reason"), Some("circuit open"));
    assert_eq!(events[3].field("to"), Some("Stacked::spare"));
    // Open: the next call is rejected at once, its give-up carries the open circuit's error.
    let events = capture(|| assert_eq!(Stacked.call().unwrap(), 7));
    let levels: Vec<_> = events.iter().map(|e| (e.level, e.field("error"))).collect();
    assert_eq!(
        levels,
        [(Level::ERROR, open), (Level::INFO, open)],
        "{events:#?}"
    );
}
