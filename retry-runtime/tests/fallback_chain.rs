//! `Fallback`, the chain built at run time: order, first `Ok` wins, `when` stops the chain,
//! `on_fallback` sees every switch by name, `AllFailed` keeps every error in order and displays
//! them, an empty chain is an error, names from a configuration's `String`s, the async driver on
//! tokio's paused clock (and a dropped future runs nothing further), and no allocation when the
//! first target succeeds. Its `INFO` events are tested in `events.rs`, where every test captures.

use std::cell::{Cell, RefCell};
use std::error::Error;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use retry_runtime::{AllFailed, Fallback, FallbackEvent};

mod common;
use common::counting_alloc::count;

#[derive(Clone, Debug, PartialEq)]
enum LlmError {
    RateLimited,
    Overloaded,
    Refused,
    BadRequest,
}

impl fmt::Display for LlmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LlmError::RateLimited => "429 rate limited",
            LlmError::Overloaded => "529 overloaded",
            LlmError::Refused => "connection refused",
            LlmError::BadRequest => "400 bad request",
        })
    }
}

impl Error for LlmError {}

/// A fake provider per name: what it answers, and a log of the calls made.
struct Providers {
    outcomes: Vec<(&'static str, Result<&'static str, LlmError>)>,
    calls: RefCell<Vec<String>>,
}

impl Providers {
    fn new(outcomes: &[(&'static str, Result<&'static str, LlmError>)]) -> Self {
        Providers {
            outcomes: outcomes.to_vec(),
            calls: RefCell::new(Vec::new()),
        }
    }

    fn names(&self) -> Vec<&'static str> {
        self.outcomes.iter().map(|(name, _)| *name).collect()
    }

    fn complete(&self, name: &str) -> Result<String, LlmError> {
        self.calls.borrow_mut().push(name.to_owned());
        let (_, outcome) = self.outcomes.iter().find(|(n, _)| *n == name).unwrap();
        outcome.clone().map(|text| format!("{name}: {text}"))
    }

    fn calls(&self) -> Vec<String> {
        self.calls.borrow().clone()
    }
}

/// A target that is never called: the list of an empty chain.
type Never<R> = fn() -> R;

fn transient(e: &LlmError) -> bool {
    matches!(
        e,
        LlmError::RateLimited | LlmError::Overloaded | LlmError::Refused
    )
}

#[test]
fn the_first_ok_wins_and_later_targets_never_run() {
    let p = Providers::new(&[
        ("openai", Err(LlmError::RateLimited)),
        ("anthropic", Ok("hello")),
        ("local", Ok("unused")),
    ]);
    let r = Fallback::new().run(p.names().into_iter().map(|n| (n, || p.complete(n))));
    assert_eq!(r.unwrap(), "anthropic: hello");
    assert_eq!(p.calls(), ["openai", "anthropic"]);
}

#[test]
fn a_first_success_calls_no_other_target_and_no_hook() {
    let p = Providers::new(&[("openai", Ok("hi")), ("local", Ok("unused"))]);
    let switches = Cell::new(0);
    let r = Fallback::new()
        .on_fallback(|_: &FallbackEvent<'_, LlmError>| switches.set(switches.get() + 1))
        .run(p.names().into_iter().map(|n| (n, || p.complete(n))));
    assert_eq!(r.unwrap(), "openai: hi");
    assert_eq!((p.calls(), switches.get()), (vec!["openai".to_owned()], 0));
}

#[test]
fn targets_are_taken_from_the_list_only_when_needed() {
    // A lazy list: building a target is observable. The winner's successor is looked at (to
    // name it in a switch) only after a failure, and never built when the winner succeeds.
    let built = Cell::new(0);
    let names = ["a", "b", "c", "d"];
    let targets = names.iter().map(|&n| {
        built.set(built.get() + 1);
        (n, move || if n == "b" { Ok(n) } else { Err(n) })
    });
    assert_eq!(Fallback::new().run(targets), Ok("b"));
    // "a" failed, so "b" was built (to name it in the switch); "b" won, so "c" and "d" never
    // were.
    assert_eq!(built.get(), 2);
}

#[test]
fn every_error_is_kept_in_order_with_its_name() {
    let p = Providers::new(&[
        ("openai", Err(LlmError::RateLimited)),
        ("anthropic", Err(LlmError::Overloaded)),
        ("local", Err(LlmError::Refused)),
    ]);
    let failed = Fallback::new()
        .run(p.names().into_iter().map(|n| (n, || p.complete(n))))
        .unwrap_err();
    assert_eq!(
        failed.errors(),
        [
            ("openai".to_owned(), LlmError::RateLimited),
            ("anthropic".to_owned(), LlmError::Overloaded),
            ("local".to_owned(), LlmError::Refused),
        ]
    );
    assert!(!failed.stopped_early());
    assert_eq!(failed.last(), Some(&LlmError::Refused));
    assert_eq!(p.calls(), ["openai", "anthropic", "local"]);
    assert_eq!(failed.clone().into_last(), Some(LlmError::Refused));
    assert_eq!(failed.into_errors().len(), 3);
}

#[test]
fn display_lists_every_error_exactly() {
    let p = Providers::new(&[
        ("openai", Err(LlmError::RateLimited)),
        ("anthropic", Err(LlmError::Overloaded)),
        ("local", Err(LlmError::Refused)),
    ]);
    let failed = Fallback::new()
        .run(p.names().into_iter().map(|n| (n, || p.complete(n))))
        .unwrap_err();
    assert_eq!(
        failed.to_string(),
        "all 3 fallback targets failed: openai: 429 rate limited; anthropic: 529 overloaded; \
         local: connection refused"
    );

    let one = Providers::new(&[("local", Err(LlmError::Refused))]);
    let failed = Fallback::new()
        .run(one.names().into_iter().map(|n| (n, || one.complete(n))))
        .unwrap_err();
    assert_eq!(
        failed.to_string(),
        "the only fallback target failed: local: connection refused"
    );
}

#[test]
fn all_failed_is_an_error_whose_source_is_the_last_error() {
    let p = Providers::new(&[
        ("openai", Err(LlmError::RateLimited)),
        ("local", Err(LlmError::Refused)),
    ]);
    let failed = Fallback::new()
        .run(p.names().into_iter().map(|n| (n, || p.complete(n))))
        .unwrap_err();
    let boxed: Box<dyn Error + Send + Sync> = Box::new(failed);
    assert_eq!(boxed.source().unwrap().to_string(), "connection refused");
    // With `?` into anyhow-like boxes, the whole list is the message.
    assert!(boxed
        .to_string()
        .starts_with("all 2 fallback targets failed"));
}

#[test]
fn an_error_when_refuses_stops_the_chain() {
    let p = Providers::new(&[
        ("openai", Err(LlmError::RateLimited)),
        ("anthropic", Err(LlmError::BadRequest)),
        ("local", Ok("unused")),
    ]);
    let switches = RefCell::new(Vec::new());
    let failed = Fallback::new()
        .when(transient)
        .on_fallback(|ev: &FallbackEvent<'_, LlmError>| {
            switches
                .borrow_mut()
                .push((ev.from.to_owned(), ev.to.to_owned()))
        })
        .run(p.names().into_iter().map(|n| (n, || p.complete(n))))
        .unwrap_err();
    assert_eq!(p.calls(), ["openai", "anthropic"]);
    assert!(failed.stopped_early());
    assert_eq!(
        failed.errors(),
        [
            ("openai".to_owned(), LlmError::RateLimited),
            ("anthropic".to_owned(), LlmError::BadRequest),
        ]
    );
    assert_eq!(
        *switches.borrow(),
        [("openai".to_owned(), "anthropic".to_owned())]
    );
    assert_eq!(
        failed.to_string(),
        "fallback stopped at an error that does not fall back, after 2 targets: \
         openai: 429 rate limited; anthropic: 400 bad request"
    );
}

#[test]
fn when_is_not_asked_about_the_last_targets_error() {
    // No switch follows the last target, so nothing is asked: the chain simply ends.
    let asked = Cell::new(0);
    let failed = Fallback::new()
        .when(|_: &LlmError| {
            asked.set(asked.get() + 1);
            true
        })
        .run(["a", "b"].map(|n| (n, || Err::<(), _>(LlmError::Overloaded))))
        .unwrap_err();
    assert_eq!((asked.get(), failed.errors().len()), (1, 2));
    assert!(!failed.stopped_early());
}

#[test]
fn on_fallback_sees_every_switch_with_names_and_errors() {
    let p = Providers::new(&[
        ("openai", Err(LlmError::RateLimited)),
        ("anthropic", Err(LlmError::Overloaded)),
        ("local", Ok("hi")),
    ]);
    let seen = RefCell::new(Vec::new());
    let r = Fallback::new()
        .on_fallback(|ev: &FallbackEvent<'_, LlmError>| {
            seen.borrow_mut()
                .push(format!("{} -> {}: {}", ev.from, ev.to, ev.error))
        })
        .run(p.names().into_iter().map(|n| (n, || p.complete(n))));
    assert_eq!(r.unwrap(), "local: hi");
    assert_eq!(
        *seen.borrow(),
        [
            "openai -> anthropic: 429 rate limited",
            "anthropic -> local: 529 overloaded",
        ]
    );
}

#[test]
fn an_empty_chain_is_an_error_with_no_errors() {
    let none: Vec<(&str, Never<Result<u8, LlmError>>)> = Vec::new();
    let failed = Fallback::new().run(none).unwrap_err();
    assert!(failed.errors().is_empty());
    assert_eq!(failed.last(), None);
    assert!(!failed.stopped_early());
    assert_eq!(failed.to_string(), "no fallback targets to try");
    assert!(failed.source().is_none());
    assert_eq!(failed.into_last(), None);
}

#[test]
fn names_can_be_owned_strings_from_a_configuration() {
    // As a parsed configuration holds them: `fallback_models = ["gpt-4o", "claude", "llama"]`.
    let fallback_models: Vec<String> = ["gpt-4o", "claude", "llama"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let seen = RefCell::new(Vec::new());
    let complete = |model: &str| -> Result<String, String> {
        if model == "llama" {
            Ok(format!("{model} answered"))
        } else {
            Err(format!("{model}: 503"))
        }
    };

    // Borrowed `&String` names...
    let r = Fallback::new()
        .on_fallback(|ev: &FallbackEvent<'_, String>| seen.borrow_mut().push(ev.to.to_owned()))
        .run(fallback_models.iter().map(|m| (m, || complete(m))));
    assert_eq!(r.unwrap(), "llama answered");
    assert_eq!(*seen.borrow(), ["claude", "llama"]);

    // ...and owned `String` names, moved into the chain.
    let failed = Fallback::new()
        .run(
            fallback_models
                .iter()
                .take(2)
                .map(|m| (m.clone(), move || complete(m))),
        )
        .unwrap_err();
    assert_eq!(
        failed.to_string(),
        "all 2 fallback targets failed: gpt-4o: gpt-4o: 503; claude: claude: 503"
    );
}

#[test]
fn a_chain_is_reusable() {
    let chain = Fallback::new().when(transient);
    let run = |first: LlmError| {
        chain.run([
            ("a", Box::new(move || Err(first)) as Box<dyn FnOnce() -> _>),
            ("b", Box::new(|| Ok(2))),
        ])
    };
    assert_eq!(run(LlmError::Overloaded), Ok(2));
    assert!(run(LlmError::BadRequest).unwrap_err().stopped_early());
}

#[test]
fn the_success_of_the_first_target_allocates_nothing() {
    let chain = Fallback::new()
        .when(transient)
        .on_fallback(|_: &FallbackEvent<'_, LlmError>| {});
    let (r, allocations) =
        count(|| chain.run(["openai", "local"].map(|n| (n, move || Ok::<_, LlmError>(n.len())))));
    assert_eq!((r, allocations), (Ok(6), 0));
    // A failure keeps its target's name: that does allocate (the counter works here).
    let (r, allocations) = count(|| {
        chain.run(["openai", "local"].map(|n| {
            (n, move || {
                if n == "openai" {
                    Err(LlmError::Overloaded)
                } else {
                    Ok(n.len())
                }
            })
        }))
    });
    assert_eq!(r, Ok(5));
    assert!(allocations >= 1);
}

// ---- async ----

#[tokio::test(start_paused = true)]
async fn async_targets_run_in_order_on_the_paused_clock() {
    let started = tokio::time::Instant::now();
    let calls = Mutex::new(Vec::new());
    let complete = |model: &'static str| {
        let calls = &calls;
        async move {
            calls.lock().unwrap().push(model);
            tokio::time::sleep(Duration::from_secs(2)).await;
            match model {
                "claude" => Ok(format!("{model}: hi")),
                _ => Err(LlmError::Overloaded),
            }
        }
    };
    let seen = Mutex::new(Vec::new());
    let r = Fallback::new()
        .when(transient)
        .on_fallback(|ev: &FallbackEvent<'_, LlmError>| {
            seen.lock()
                .unwrap()
                .push((ev.from.to_owned(), ev.to.to_owned()))
        })
        .run_async(["gpt-4o", "claude", "llama"].map(|m| (m, move || complete(m))))
        .await;
    assert_eq!(r.unwrap(), "claude: hi");
    assert_eq!(*calls.lock().unwrap(), ["gpt-4o", "claude"]);
    assert_eq!(
        *seen.lock().unwrap(),
        [("gpt-4o".to_owned(), "claude".to_owned())]
    );
    // Two targets of 2 s each, one after the other.
    assert_eq!(started.elapsed(), Duration::from_secs(4));
}

#[tokio::test(start_paused = true)]
async fn async_failures_and_refusals_match_the_sync_driver() {
    let results = [Err(LlmError::RateLimited), Err(LlmError::BadRequest), Ok(1)];
    let failed = Fallback::new()
        .when(transient)
        .run_async(
            ["openai", "anthropic", "local"]
                .into_iter()
                .zip(results)
                .map(|(n, r)| (n, move || async move { r })),
        )
        .await
        .unwrap_err();
    assert!(failed.stopped_early());
    assert_eq!(
        failed.errors(),
        [
            ("openai".to_owned(), LlmError::RateLimited),
            ("anthropic".to_owned(), LlmError::BadRequest),
        ]
    );

    type Ready = std::future::Ready<Result<(), LlmError>>;
    let none: Vec<(String, Never<Ready>)> = Vec::new();
    let failed = Fallback::new().run_async(none).await.unwrap_err();
    assert_eq!(failed.to_string(), "no fallback targets to try");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_future_runs_nothing_further() {
    let started = Arc::new(AtomicU32::new(0));
    let finished = Arc::new(AtomicU32::new(0));
    let target = |n: u32| {
        let (started, finished) = (started.clone(), finished.clone());
        move || async move {
            started.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(10)).await;
            finished.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(n)
        }
    };
    let fallback = Fallback::new();
    let chain = fallback.run_async([("a", target(1)), ("b", target(2)), ("c", target(3))]);
    // The first target fails at 10 s, the second is halfway through at 15 s: drop the call.
    let cut = tokio::time::timeout(Duration::from_secs(15), chain).await;
    assert!(cut.is_err());
    assert_eq!(started.load(Ordering::SeqCst), 2);
    // Nothing goes on without the future: no target finishes, none starts.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(started.load(Ordering::SeqCst), 2);
    assert_eq!(finished.load(Ordering::SeqCst), 1);
}

#[test]
fn the_async_future_is_send_when_its_parts_are() {
    fn assert_send<F: std::future::Future + Send>(_: F) {}
    let models = ["gpt-4o".to_string(), "claude".to_string()];
    let chain = Fallback::new().when(transient);
    assert_send(chain.run_async(models.iter().map(|m| {
        (m, move || async move {
            if m == "claude" {
                Ok(())
            } else {
                Err(LlmError::Overloaded)
            }
        })
    })));
}

#[test]
fn the_error_type_is_nameable_in_signatures() {
    // A caller's own function returning the chain's error type.
    fn first_of(models: &[&str]) -> Result<String, AllFailed<LlmError>> {
        Fallback::new().run(models.iter().map(|&m| {
            (m, move || {
                if m == "local" {
                    Ok(m.to_owned())
                } else {
                    Err(LlmError::Refused)
                }
            })
        }))
    }
    assert_eq!(first_of(&["openai", "local"]).unwrap(), "local");
    assert_eq!(first_of(&["openai"]).unwrap_err().errors().len(), 1);
}
