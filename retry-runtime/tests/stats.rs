//! `stats()`: exact counters per annotated function under scripted failures, counted only on
//! failure paths. Every test uses its own sites (the list is process-wide).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use retry_runtime::__private::{async_decide, pause, AsyncState, Site};
use retry_runtime::{retry, stats, Jitter, Retry, RetryPolicy, SiteStats};

const NOW: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(4)
    .initial_delay(Duration::ZERO)
    .jitter(Jitter::None);

fn listed(function: &str) -> Option<SiteStats> {
    let all: Vec<SiteStats> = stats()
        .into_iter()
        .filter(|s| s.function == function)
        .collect();
    assert!(all.len() <= 1, "{function} listed twice: {all:?}");
    all.into_iter().next()
}

/// An operation failing its first `failures` attempts.
fn script(failures: u32) -> impl FnMut() -> Result<u32, &'static str> {
    let mut n = 0;
    move || {
        n += 1;
        if n <= failures {
            Err("503")
        } else {
            Ok(n)
        }
    }
}

#[test]
fn counters_are_exact_under_scripted_failures() {
    static SITE: Site = Site::new("stats_scripted");
    let run = |failures: u32| {
        retry_runtime::__private::retry_at_site(&NOW, &SITE, None).run(script(failures))
    };

    // Successes at once: nothing counted, nothing listed.
    for _ in 0..100 {
        assert_eq!(run(0), Ok(1));
    }
    assert_eq!(listed("stats_scripted"), None);

    assert_eq!(run(1), Ok(2)); // 1 retry
    assert_eq!(run(3), Ok(4)); // 3 retries
    assert_eq!(run(9), Err("503")); // 3 retries, 1 give-up
    let expected = SiteStats {
        function: "stats_scripted",
        retries: 7,
        give_ups: 1,
        ..SiteStats::default()
    };
    assert_eq!(listed("stats_scripted"), Some(expected));

    // A permanent error gives up without a retry.
    let r: Result<u32, &str> = retry_runtime::__private::retry_at_site(&NOW, &SITE, None)
        .when(|e: &&str| *e != "404")
        .run(|| Err("404"));
    assert_eq!(r, Err("404"));
    let s = listed("stats_scripted").unwrap();
    assert_eq!((s.retries, s.give_ups), (7, 2));
}

#[test]
fn run_sync_and_max_elapsed_paths_count_the_same() {
    static SITE: Site = Site::new("stats_run_sync");
    let r = retry_runtime::__private::run_sync(
        retry_runtime::__private::retry_at_site(&NOW, &SITE, None),
        script(2),
    );
    assert_eq!(r, Ok(3));
    // With max_elapsed, run_sync goes through the clocked path.
    const LIMITED: RetryPolicy = NOW.max_elapsed(Duration::from_secs(60));
    let r = retry_runtime::__private::run_sync(
        retry_runtime::__private::retry_at_site(&LIMITED, &SITE, None),
        script(10),
    );
    assert_eq!(r, Err("503"));
    // max_elapsed reached: a give-up, not a retry.
    const TIGHT: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(4)
        .initial_delay(Duration::from_secs(5))
        .jitter(Jitter::None)
        .max_elapsed(Duration::from_secs(1));
    let r = retry_runtime::__private::run_sync(
        retry_runtime::__private::retry_at_site(&TIGHT, &SITE, None),
        script(10),
    );
    assert_eq!(r, Err("503"));
    let s = listed("stats_run_sync").unwrap();
    assert_eq!((s.retries, s.give_ups), (2 + 3, 2));
}

#[test]
fn methods_are_listed_as_type_and_name() {
    struct Client;
    static SITE: Site = Site::new("stats_chat");
    let r =
        retry_runtime::__private::retry_at_site(&NOW, &SITE, Some(core::any::type_name::<Client>))
            .run(script(1));
    assert_eq!(r, Ok(2));
    let s = listed("Client::stats_chat").expect("listed by Type::name");
    assert_eq!(s.retries, 1);
    assert_eq!(listed("stats_chat"), None);
}

#[test]
fn calls_without_a_site_are_not_listed() {
    let _ = retry(&NOW, script(10));
    let _ = Retry::new(&NOW)
        .function("stats_plain_function")
        .run(script(10));
    assert_eq!(listed("stats_plain_function"), None);
    assert_eq!(listed("retry"), None);
}

#[test]
fn fallbacks_and_rejections_are_counted_by_the_other_layers() {
    static SITE: Site = Site::new("stats_layers");
    SITE.fallback(None);
    SITE.fallback(None);
    SITE.rejection(None);
    let s = listed("stats_layers").unwrap();
    assert_eq!(
        (s.fallbacks, s.rejections, s.retries, s.give_ups),
        (2, 1, 0, 0)
    );
}

#[test]
fn stats_are_sorted_by_function() {
    static B: Site = Site::new("stats_sort_b");
    static A: Site = Site::new("stats_sort_a");
    B.rejection(None);
    A.rejection(None);
    let all = stats();
    assert!(all.windows(2).all(|w| w[0].function <= w[1].function));
    let a = all
        .iter()
        .position(|s| s.function == "stats_sort_a")
        .unwrap();
    let b = all
        .iter()
        .position(|s| s.function == "stats_sort_b")
        .unwrap();
    assert!(a < b);
}

#[test]
fn counters_are_exact_across_threads() {
    static SITE: Site = Site::new("stats_threads");
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..1_000 {
                    let r =
                        retry_runtime::__private::retry_at_site(&NOW, &SITE, None).run(script(1));
                    assert_eq!(r, Ok(2));
                }
                for _ in 0..100 {
                    let r =
                        retry_runtime::__private::retry_at_site(&NOW, &SITE, None).run(script(10));
                    assert_eq!(r, Err("503"));
                }
            });
        }
    });
    let s = listed("stats_threads").unwrap();
    assert_eq!(s.retries, 8 * (1_000 + 100 * 3));
    assert_eq!(s.give_ups, 8 * 100);
}

#[tokio::test]
async fn async_loops_count_the_same() {
    static SITE: Site = Site::new("stats_async");
    let calls = AtomicU32::new(0);
    let r: Result<u32, &str> = retry_runtime::__private::retry_at_site(&NOW, &SITE, None)
        .run_async(|| {
            let n = calls.fetch_add(1, Ordering::Relaxed) + 1;
            async move {
                if n < 3 {
                    Err("503")
                } else {
                    Ok(n)
                }
            }
        })
        .await;
    assert_eq!(r, Ok(3));

    // The attribute's expansion: the Retry is built after each failure.
    let mut state = AsyncState::start(false);
    let mut attempts = 0;
    let r: Result<u32, &str> = loop {
        attempts += 1;
        let error = match async { Err::<u32, _>("503") }.await {
            Ok(v) => break Ok(v),
            Err(e) => e,
        };
        let retry = retry_runtime::__private::retry_at_site(&NOW, &SITE, None);
        match async_decide(&retry, &mut state, &error) {
            Some(delay) => pause(delay).await,
            None => break Err(error),
        }
    };
    assert_eq!((r, attempts), (Err("503"), 4));

    let s = listed("stats_async").unwrap();
    assert_eq!((s.retries, s.give_ups), (2 + 3, 1));
}
