//! Properties of `RetryPolicy::delays_seeded` over random valid policies, and the setters'
//! rejection of invalid ones (API.md: "`RetryPolicy` and the function API", "Precise points").

use std::panic::{catch_unwind, UnwindSafe};
use std::time::Duration;

use proptest::prelude::*;
use retry_runtime::{Backoff, Jitter, RetryPolicy};

/// The largest sleep the schedule can express: `max_delay`, saturated to `u64` nanoseconds.
fn cap_nanos(p: &RetryPolicy) -> u128 {
    p.get_max_delay().as_nanos().min(u128::from(u64::MAX))
}

fn nanos(d: Duration) -> u128 {
    d.as_nanos()
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        (1u64..2_000).prop_map(Duration::from_nanos),
        (1u64..100_000).prop_map(Duration::from_micros),
        (1u64..100_000).prop_map(Duration::from_millis),
        (1u64..1_000_000_000).prop_map(Duration::from_secs),
        // Beyond what u64 nanoseconds can hold (about 584 years) and up to the very top.
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        Just(Duration::from_nanos(u64::MAX)),
        Just(Duration::MAX),
    ]
}

fn multiplier() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(1.0),
        Just(2.0),
        Just(3.0),
        (2u32..=16).prop_map(f64::from),
        1.0f64..4.0,
        4.0f64..1e6,
        1e6f64..1e300,
        Just(f64::MAX),
        Just(f64::INFINITY),
    ]
}

fn jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![
        Just(Jitter::None),
        Just(Jitter::Full),
        Just(Jitter::Equal),
        Just(Jitter::Fraction(0.0)),
        Just(Jitter::Fraction(1.0)),
        (0.0f64..=1.0).prop_map(Jitter::Fraction),
    ]
}

fn backoff() -> impl Strategy<Value = Backoff> {
    prop_oneof![
        Just(Backoff::Exponential),
        Just(Backoff::Linear),
        Just(Backoff::Fixed),
        Just(Backoff::Decorrelated),
    ]
}

/// How the delays were given: both (in either order), one of them, or neither.
#[derive(Clone, Copy, Debug)]
enum DelayOrder {
    InitialFirst,
    MaxFirst,
    InitialOnly,
    MaxOnly,
    Defaults,
}

#[derive(Clone, Debug)]
struct Spec {
    backoff: Backoff,
    attempts: u32,
    initial: Duration,
    max: Duration,
    order: DelayOrder,
    multiplier: Option<f64>,
    jitter: Option<Jitter>,
}

impl Spec {
    /// Builds the policy through the public setters; every combination generated is valid.
    fn build(&self) -> RetryPolicy {
        let mut p = match self.backoff {
            Backoff::Exponential => RetryPolicy::exponential(),
            Backoff::Linear => RetryPolicy::linear(),
            Backoff::Fixed => RetryPolicy::fixed(),
            Backoff::Decorrelated => RetryPolicy::decorrelated(),
        };
        p = p.max_attempts(self.attempts);
        p = match self.order {
            DelayOrder::InitialFirst => p.initial_delay(self.initial).max_delay(self.max),
            DelayOrder::MaxFirst => p.max_delay(self.max).initial_delay(self.initial),
            DelayOrder::InitialOnly => p.initial_delay(self.initial),
            DelayOrder::MaxOnly => p.max_delay(self.max),
            DelayOrder::Defaults => p,
        };
        if let (Backoff::Exponential, Some(m)) = (self.backoff, self.multiplier) {
            p = p.multiplier(m);
        }
        if let (false, Some(j)) = (self.backoff == Backoff::Decorrelated, self.jitter) {
            p = p.jitter(j);
        }
        p
    }
}

fn spec_with(backoff: impl Strategy<Value = Backoff>) -> impl Strategy<Value = Spec> {
    (
        backoff,
        prop_oneof![1u32..=8, 1u32..=300],
        duration(),
        duration(),
        prop_oneof![
            4 => Just(DelayOrder::InitialFirst),
            4 => Just(DelayOrder::MaxFirst),
            1 => Just(DelayOrder::InitialOnly),
            1 => Just(DelayOrder::MaxOnly),
            1 => Just(DelayOrder::Defaults),
        ],
        proptest::option::weighted(0.9, multiplier()),
        proptest::option::weighted(0.9, jitter()),
    )
        .prop_map(|(backoff, attempts, a, b, order, multiplier, jitter)| {
            // Valid by construction: initial <= max, and max > 0.
            let (initial, max) = if a <= b { (a, b) } else { (b, a) };
            let max = if max.is_zero() {
                Duration::from_nanos(1)
            } else {
                max
            };
            Spec {
                backoff,
                attempts,
                initial,
                max,
                order,
                multiplier,
                jitter,
            }
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    spec_with(backoff())
}

/// The closed-form base delay (before jitter) after attempt `n` failed, in nanoseconds, capped
/// at `max_delay` (itself saturated to u64 nanoseconds). `exact` says whether the expected value
/// is exact; otherwise it was computed in floating point and is only close.
fn closed_form(p: &RetryPolicy, n: u32) -> (u128, bool) {
    let cap = cap_nanos(p);
    let initial = nanos(p.get_initial_delay()).min(cap);
    match p.get_backoff() {
        Backoff::Fixed => (initial, true),
        Backoff::Linear => (initial.saturating_mul(u128::from(n)).min(cap), true),
        Backoff::Exponential => {
            let m = p.get_multiplier();
            if n == 1 || initial == 0 {
                return (initial, true);
            }
            if m.fract() == 0.0 && m < 1e18 {
                // Integer multiplier: exact in integers (capping early changes nothing, m >= 1).
                let m = m as u128;
                let mut v = initial;
                for _ in 1..n {
                    v = v.saturating_mul(m).min(cap);
                    if v == cap {
                        break;
                    }
                }
                // f64 is exact below 2^53; above it, only close.
                (v, v < (1u128 << 53))
            } else {
                let v = initial as f64 * m.powf(f64::from(n - 1));
                if v >= cap as f64 {
                    (cap, false)
                } else {
                    (v as u128, false)
                }
            }
        }
        Backoff::Decorrelated => unreachable!("decorrelated has no closed form"),
    }
}

fn close(actual: u128, expected: u128, exact: bool) -> bool {
    if exact {
        actual == expected
    } else {
        let tolerance = (expected as f64 * 1e-9) as u128 + 1;
        actual.abs_diff(expected) <= tolerance
    }
}

fn with_no_jitter(p: &RetryPolicy) -> RetryPolicy {
    p.jitter(Jitter::None)
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// `delays_seeded` yields exactly `max_attempts - 1` delays, and every one is within
    /// `max_delay`, jitter included.
    #[test]
    fn every_delay_within_max_and_count_is_attempts_minus_one(s in spec(), seed in any::<u64>()) {
        let p = s.build();
        let delays = p.delays_seeded(seed);
        prop_assert_eq!(delays.len(), (p.get_max_attempts() - 1) as usize);
        let delays: Vec<Duration> = delays.collect();
        prop_assert_eq!(delays.len() as u64, u64::from(s.attempts) - 1);
        for (i, d) in delays.iter().enumerate() {
            prop_assert!(*d <= p.get_max_delay(), "delay #{} = {:?} > max_delay {:?}", i + 1, d, p.get_max_delay());
        }
        // The iterator has ended and stays ended.
        let mut it = p.delays_seeded(seed);
        for _ in 1..p.get_max_attempts() {
            prop_assert!(it.next().is_some());
        }
        prop_assert_eq!(it.next(), None);
        prop_assert_eq!(it.next(), None);
    }

    /// The same seed gives the same schedule.
    #[test]
    fn same_seed_same_schedule(s in spec(), seed in any::<u64>()) {
        let p = s.build();
        let a: Vec<Duration> = p.delays_seeded(seed).collect();
        let b: Vec<Duration> = p.delays_seeded(seed).collect();
        prop_assert_eq!(&a, &b);
        // A copy of the policy gives the same schedule too.
        let q = p;
        prop_assert_eq!(a, q.delays_seeded(seed).collect::<Vec<_>>());
    }

    /// With no jitter the exponential, linear and fixed schedules are monotone and follow the
    /// closed forms `initial * m^(n-1)`, `initial * n`, `initial`, capped at `max_delay`.
    #[test]
    fn unjittered_schedule_is_the_closed_form(
        s in spec_with(prop_oneof![Just(Backoff::Exponential), Just(Backoff::Linear), Just(Backoff::Fixed)]),
        seed in any::<u64>(),
    ) {
        let p = with_no_jitter(&s.build());
        let delays: Vec<Duration> = p.delays_seeded(seed).collect();
        for w in delays.windows(2) {
            prop_assert!(w[0] <= w[1], "not monotone: {:?} then {:?}", w[0], w[1]);
        }
        for (i, d) in delays.iter().enumerate() {
            let n = i as u32 + 1;
            let (want, exact) = closed_form(&p, n);
            prop_assert!(
                close(nanos(*d), want, exact),
                "delay after attempt {} is {}ns, the closed form gives {}ns (exact: {}) for {:?}",
                n, nanos(*d), want, exact, p
            );
        }
    }

    /// Jitter is applied to the capped base: full in [0, d], equal in [d/2, d], a fraction in
    /// [d(1-f), d(1+f)] capped at max_delay.
    #[test]
    fn jitter_stays_around_the_capped_base(
        s in spec_with(prop_oneof![Just(Backoff::Exponential), Just(Backoff::Linear), Just(Backoff::Fixed)]),
        seed in any::<u64>(),
    ) {
        let p = s.build();
        let bases: Vec<u128> = with_no_jitter(&p).delays_seeded(seed).map(nanos).collect();
        let delays: Vec<u128> = p.delays_seeded(seed).map(nanos).collect();
        prop_assert_eq!(bases.len(), delays.len());
        let cap = cap_nanos(&p);
        for (i, (&d, &x)) in bases.iter().zip(&delays).enumerate() {
            let (lo, hi) = match p.get_jitter() {
                Jitter::None => (d, d),
                Jitter::Full => (0, d),
                Jitter::Equal => (d / 2, d),
                Jitter::Fraction(f) => {
                    // One nanosecond of slack for the float product either way.
                    let spread = (d as f64 * f) as u128;
                    (d.saturating_sub(spread + 1), (d + spread + 1).min(cap))
                }
            };
            prop_assert!(lo <= x && x <= hi, "delay #{}: {}ns not in [{}, {}] (base {}ns, {:?})", i + 1, x, lo, hi, d, p.get_jitter());
        }
    }

    /// Decorrelated: the first delay lies in [initial, 3 * initial], and each one in
    /// [initial, min(3 * previous, max_delay)].
    #[test]
    fn decorrelated_bounds(s in spec_with(Just(Backoff::Decorrelated)), seed in any::<u64>()) {
        let p = s.build();
        prop_assert_eq!(p.get_jitter(), Jitter::None);
        let cap = cap_nanos(&p);
        let initial = nanos(p.get_initial_delay()).min(cap);
        let mut prev = initial;
        for (i, d) in p.delays_seeded(seed).map(nanos).enumerate() {
            let hi = prev.saturating_mul(3).min(cap);
            prop_assert!(
                initial <= d && d <= hi,
                "delay #{}: {}ns not in [{}, {}] (prev {}ns)", i + 1, d, initial, hi, prev
            );
            prev = d;
        }
    }

    /// A decorrelated schedule that is not pinned by its bounds actually varies between seeds
    /// (it is random by itself).
    #[test]
    fn decorrelated_is_random(initial_ms in 1u64..1_000, seed in any::<u64>()) {
        let p = RetryPolicy::decorrelated()
            .max_attempts(20)
            .initial_delay(Duration::from_millis(initial_ms))
            .max_delay(Duration::from_secs(3_600));
        let a: Vec<Duration> = p.delays_seeded(seed).collect();
        let b: Vec<Duration> = p.delays_seeded(seed ^ 0x9e37_79b9_7f4a_7c15).collect();
        prop_assert_ne!(a, b);
    }

    /// A setter call order never changes the result when both delays are valid.
    #[test]
    fn delay_setter_order_is_irrelevant(s in spec()) {
        let a = Spec { order: DelayOrder::InitialFirst, ..s.clone() }.build();
        let b = Spec { order: DelayOrder::MaxFirst, ..s }.build();
        prop_assert_eq!(a.get_initial_delay(), b.get_initial_delay());
        prop_assert_eq!(a.get_max_delay(), b.get_max_delay());
        prop_assert_eq!(a.delays_seeded(1).collect::<Vec<_>>(), b.delays_seeded(1).collect::<Vec<_>>());
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed examples of the schedule
// ---------------------------------------------------------------------------------------------

#[test]
fn exponential_with_fractional_multiplier_follows_the_formula() {
    // Tiny initial delays expose per-step truncation: 1ns * 1.5^k must still grow.
    let p = RetryPolicy::exponential()
        .max_attempts(8)
        .initial_delay(Duration::from_nanos(1))
        .multiplier(1.5)
        .jitter(Jitter::None);
    let got: Vec<u128> = p.delays_seeded(0).map(nanos).collect();
    // floor(1.5^k) for k = 0..7
    assert_eq!(got, [1, 1, 2, 3, 5, 7, 11]);

    let p = RetryPolicy::exponential()
        .max_attempts(8)
        .initial_delay(Duration::from_nanos(3))
        .multiplier(1.5)
        .jitter(Jitter::None);
    let got: Vec<u128> = p.delays_seeded(0).map(nanos).collect();
    // floor(3 * 1.5^k): 3, 4.5, 6.75, 10.125, 15.19, 22.78, 34.17
    assert_eq!(got, [3, 4, 6, 10, 15, 22, 34]);
}

#[test]
fn default_schedules() {
    let ms = |v: &[u64]| {
        v.iter()
            .map(|&m| Duration::from_millis(m))
            .collect::<Vec<_>>()
    };
    let exp = RetryPolicy::exponential()
        .max_attempts(10)
        .jitter(Jitter::None);
    assert_eq!(
        exp.delays_seeded(9).collect::<Vec<_>>(),
        ms(&[100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000])
    );
    let lin = RetryPolicy::linear().max_attempts(4).jitter(Jitter::None);
    assert_eq!(
        lin.delays_seeded(9).collect::<Vec<_>>(),
        ms(&[100, 200, 300])
    );
    let fix = RetryPolicy::fixed().jitter(Jitter::None);
    assert_eq!(fix.delays_seeded(9).collect::<Vec<_>>(), ms(&[100, 100]));
    // max_attempts(1): no sleep at all.
    assert_eq!(
        RetryPolicy::exponential()
            .max_attempts(1)
            .delays_seeded(0)
            .count(),
        0
    );
    // max_retries(n) is max_attempts(n + 1).
    assert_eq!(
        RetryPolicy::fixed().max_retries(4).delays_seeded(0).count(),
        4
    );
}

#[test]
fn infinite_multiplier_jumps_to_max_delay() {
    let p = RetryPolicy::exponential()
        .max_attempts(5)
        .initial_delay(Duration::from_millis(3))
        .max_delay(Duration::from_secs(7))
        .multiplier(f64::INFINITY)
        .jitter(Jitter::None);
    let got: Vec<Duration> = p.delays_seeded(0).collect();
    assert_eq!(
        got,
        [
            Duration::from_millis(3),
            Duration::from_secs(7),
            Duration::from_secs(7),
            Duration::from_secs(7)
        ]
    );
}

#[test]
fn zero_initial_delay_never_sleeps_without_jitter_or_with() {
    for j in [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Fraction(1.0),
    ] {
        for p in [
            RetryPolicy::exponential(),
            RetryPolicy::linear(),
            RetryPolicy::fixed(),
        ] {
            let p = p.max_attempts(50).initial_delay(Duration::ZERO).jitter(j);
            assert!(p.delays_seeded(5).all(|d| d.is_zero()), "{p:?}");
        }
    }
    let p = RetryPolicy::decorrelated()
        .max_attempts(50)
        .initial_delay(Duration::ZERO);
    assert!(p.delays_seeded(5).all(|d| d.is_zero()));
}

#[test]
fn huge_durations_saturate_instead_of_overflowing() {
    let p = RetryPolicy::exponential()
        .max_attempts(300)
        .initial_delay(Duration::MAX)
        .multiplier(f64::MAX)
        .jitter(Jitter::Fraction(1.0));
    assert_eq!(p.get_max_delay(), Duration::MAX);
    let delays: Vec<Duration> = p.delays_seeded(3).collect();
    assert_eq!(delays.len(), 299);
    assert!(delays.iter().all(|d| *d <= Duration::MAX));
    let p = RetryPolicy::linear()
        .max_attempts(300)
        .max_delay(Duration::MAX)
        .initial_delay(Duration::from_secs(u64::MAX / 2))
        .jitter(Jitter::None);
    let delays: Vec<Duration> = p.delays_seeded(3).collect();
    // Saturated to the largest sleep expressible in u64 nanoseconds, and never decreasing.
    assert!(delays.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(delays[0], Duration::from_nanos(u64::MAX));
}

#[test]
fn delays_with_random_seed_respect_the_policy() {
    let p = RetryPolicy::exponential()
        .max_attempts(40)
        .initial_delay(Duration::from_millis(10))
        .max_delay(Duration::from_secs(2));
    for _ in 0..20 {
        let d: Vec<Duration> = p.delays().collect();
        assert_eq!(d.len(), 39);
        assert!(d.iter().all(|d| *d <= Duration::from_secs(2)));
    }
    // Two random seeds practically never give the same 39 full-jitter draws.
    let a: Vec<Duration> = p.delays().collect();
    let b: Vec<Duration> = p.delays().collect();
    assert_ne!(a, b);
}

// ---------------------------------------------------------------------------------------------
// Defaults never fail a build; explicit values are checked against each other
// ---------------------------------------------------------------------------------------------

#[test]
fn defaults_adapt_to_explicit_delays() {
    // An explicit initial_delay above the default max_delay lifts max_delay to it.
    let p = RetryPolicy::exponential().initial_delay(Duration::from_secs(30));
    assert_eq!(p.get_max_delay(), Duration::from_secs(30));
    assert_eq!(p.get_initial_delay(), Duration::from_secs(30));
    // An explicit max_delay below the default initial_delay lowers initial_delay to it.
    let p = RetryPolicy::fixed().max_delay(Duration::from_millis(20));
    assert_eq!(p.get_initial_delay(), Duration::from_millis(20));
    // Equal explicit values are fine in both orders.
    let d = Duration::from_millis(250);
    let a = RetryPolicy::linear().initial_delay(d).max_delay(d);
    let b = RetryPolicy::linear().max_delay(d).initial_delay(d);
    assert_eq!(a, b);
    // Edge values that are valid.
    let _ = RetryPolicy::exponential()
        .max_attempts(1)
        .multiplier(1.0)
        .multiplier(f64::INFINITY)
        .jitter(Jitter::Fraction(0.0))
        .jitter(Jitter::Fraction(1.0))
        .max_delay(Duration::from_nanos(1))
        .initial_delay(Duration::ZERO)
        .max_retries(0)
        .max_elapsed(Duration::from_nanos(1))
        .timeout(Duration::from_nanos(1));
    assert_eq!(RetryPolicy::default(), RetryPolicy::exponential());
}

/// Runs `f`, expects it to panic, and returns the panic message.
fn panic_message<T>(f: impl FnOnce() -> T + UnwindSafe) -> String {
    match catch_unwind(f) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => {
            if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else if let Some(s) = payload.downcast_ref::<&str>() {
                (*s).to_string()
            } else {
                panic!("panic payload is not a message")
            }
        }
    }
}

fn assert_rejected<T>(what: &str, f: impl FnOnce() -> T + UnwindSafe, words: &[&str]) {
    let msg = panic_message(f);
    for w in words {
        assert!(
            msg.contains(w),
            "{what}: the message {msg:?} should mention {w:?}"
        );
    }
}

#[test]
fn invalid_setters_panic_with_a_clear_message() {
    let ms = Duration::from_millis;
    assert_rejected(
        "max_attempts(0)",
        || RetryPolicy::exponential().max_attempts(0),
        &["max_attempts", "at least 1"],
    );
    assert_rejected(
        "max_retries(u32::MAX)",
        || RetryPolicy::exponential().max_retries(u32::MAX),
        &["max_retries"],
    );
    assert_rejected(
        "multiplier(0.5)",
        || RetryPolicy::exponential().multiplier(0.5),
        &["multiplier", "1.0"],
    );
    assert_rejected(
        "multiplier(NaN)",
        || RetryPolicy::exponential().multiplier(f64::NAN),
        &["multiplier", "1.0"],
    );
    assert_rejected(
        "multiplier(-inf)",
        || RetryPolicy::exponential().multiplier(f64::NEG_INFINITY),
        &["multiplier"],
    );
    assert_rejected(
        "Jitter::Fraction(1.5)",
        || RetryPolicy::exponential().jitter(Jitter::Fraction(1.5)),
        &["jitter", "fraction", "0.0..=1.0"],
    );
    assert_rejected(
        "Jitter::Fraction(-0.1)",
        || RetryPolicy::linear().jitter(Jitter::Fraction(-0.1)),
        &["jitter", "fraction"],
    );
    assert_rejected(
        "Jitter::Fraction(NaN)",
        || RetryPolicy::fixed().jitter(Jitter::Fraction(f64::NAN)),
        &["jitter", "fraction"],
    );
    for j in [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Fraction(0.5),
    ] {
        assert_rejected(
            "jitter on decorrelated",
            move || RetryPolicy::decorrelated().jitter(j),
            &["decorrelated", "jitter"],
        );
    }
    assert_rejected(
        "decorrelated after an explicit jitter",
        || {
            RetryPolicy::exponential()
                .jitter(Jitter::Full)
                .backoff(Backoff::Decorrelated)
        },
        &["decorrelated", "jitter"],
    );
    assert_rejected(
        "initial_delay above an explicit max_delay",
        || {
            RetryPolicy::exponential()
                .max_delay(ms(100))
                .initial_delay(ms(200))
        },
        &["initial_delay", "max_delay"],
    );
    assert_rejected(
        "max_delay below an explicit initial_delay",
        || {
            RetryPolicy::exponential()
                .initial_delay(ms(200))
                .max_delay(ms(100))
        },
        &["initial_delay", "max_delay"],
    );
    assert_rejected(
        "initial_delay above an explicit max_delay set long before",
        || {
            RetryPolicy::linear()
                .max_delay(ms(100))
                .max_attempts(4)
                .jitter(Jitter::Equal)
                .initial_delay(ms(101))
        },
        &["initial_delay", "max_delay"],
    );
    assert_rejected(
        "max_delay(ZERO)",
        || RetryPolicy::exponential().max_delay(Duration::ZERO),
        &["max_delay", "greater than zero"],
    );
    assert_rejected(
        "timeout(ZERO)",
        || RetryPolicy::exponential().timeout(Duration::ZERO),
        &["timeout", "greater than zero"],
    );
    assert_rejected(
        "max_elapsed(ZERO)",
        || RetryPolicy::exponential().max_elapsed(Duration::ZERO),
        &["max_elapsed", "greater than zero"],
    );
    assert_rejected(
        "multiplier on linear",
        || RetryPolicy::linear().multiplier(2.0),
        &["multiplier", "exponential"],
    );
}
