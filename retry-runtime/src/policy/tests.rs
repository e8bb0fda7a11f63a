//! Unit tests of the policy: the schedule's bounds as properties over every valid policy, the
//! presets' documented schedules, and the helpers of the backoff math.

use super::schedule::{saturate_nanos, uniform};
use super::*;
use crate::rng::WyRand;
use proptest::prelude::*;

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        (1u64..5_000).prop_map(Duration::from_nanos),
        (1u64..100_000).prop_map(Duration::from_millis),
        any::<u64>().prop_map(Duration::from_nanos),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        Just(Duration::MAX),
    ]
}

fn multiplier() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(1.0),
        Just(2.0),
        1.0f64..10.0,
        10.0f64..1e300,
        Just(f64::MAX),
        Just(f64::INFINITY),
    ]
}

fn jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![
        Just(Jitter::None),
        Just(Jitter::Full),
        Just(Jitter::Equal),
        Just(Jitter::Fraction(1.0)),
        (0.0f64..=1.0).prop_map(Jitter::Fraction),
    ]
}

/// Any valid policy, built through the checked setters.
fn policy() -> impl Strategy<Value = RetryPolicy> {
    (0u8..4, duration(), duration(), multiplier(), jitter()).prop_map(|(b, x, y, m, j)| {
        let (initial, max) = if x <= y { (x, y) } else { (y, x) };
        let max = if max.is_zero() {
            Duration::from_nanos(1)
        } else {
            max
        };
        let p = match b {
            0 => RetryPolicy::exponential().multiplier(m),
            1 => RetryPolicy::linear(),
            2 => RetryPolicy::fixed(),
            _ => RetryPolicy::decorrelated(),
        };
        let p = p.max_delay(max).initial_delay(initial);
        if b == 3 {
            p
        } else {
            p.jitter(j)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any attempt number and any previous value: no panic, and never above max_delay.
    #[test]
    fn base_nanos_is_total_and_capped(
        p in policy(),
        attempt in prop_oneof![0u32..=3, 0u32..=300, any::<u32>(), Just(u32::MAX)],
        prev in prop_oneof![Just(0u64), 0u64..10_000, any::<u64>(), Just(u64::MAX)],
        seed in any::<u64>(),
    ) {
        let mut rng = WyRand::new(seed);
        let base = p.base_nanos(attempt, prev, &mut rng);
        prop_assert!(base <= p.max_nanos(), "{} > {} for {:?}", base, p.max_nanos(), p);
        let initial = saturate_nanos(p.get_initial_delay()).min(p.max_nanos());
        // No backoff ever goes below the initial delay.
        prop_assert!(base >= initial, "{} < initial {} for {:?}", base, initial, p);
    }

    /// Any capped base: jitter never panics and stays within max_delay and its own bounds.
    #[test]
    fn jitter_nanos_is_total_and_capped(
        p in policy(),
        frac in 0.0f64..=1.0,
        pick in 0u8..4,
        seed in any::<u64>(),
    ) {
        let max = p.max_nanos();
        let d = match pick {
            0 => 0,
            1 => max,
            2 => max.saturating_sub(1),
            _ => (max as f64 * frac) as u64,
        }
        .min(max);
        let mut rng = WyRand::new(seed);
        let x = p.jitter_nanos(d, &mut rng);
        prop_assert!(x <= max, "{} > max {} for {:?}", x, max, p);
        match p.get_jitter() {
            Jitter::None => prop_assert_eq!(x, d),
            Jitter::Full => prop_assert!(x <= d),
            Jitter::Equal => prop_assert!(d / 2 <= x && x <= d),
            Jitter::Fraction(f) => {
                let spread = (d as f64 * f) as u64;
                prop_assert!(d.saturating_sub(spread) <= x);
                prop_assert!(x <= d.saturating_add(spread).min(max));
            }
        }
    }

    /// Outside its contract (a base above max_delay) jitter still never panics.
    #[test]
    fn jitter_nanos_never_panics(p in policy(), d in any::<u64>(), seed in any::<u64>()) {
        let mut rng = WyRand::new(seed);
        let _ = p.jitter_nanos(d, &mut rng);
    }

    /// A schedule driven with any attempt numbers stays within max_delay.
    #[test]
    fn schedule_next_is_capped(
        p in policy(),
        start in any::<u32>(),
        seed in any::<u64>(),
    ) {
        let mut rng = WyRand::new(seed);
        let mut s = Schedule::new();
        for k in 0..64u32 {
            let d = s.next(&p, start.wrapping_add(k), &mut rng);
            prop_assert!(d <= p.max_nanos());
        }
    }

    /// `uniform` stays within its bounds for any `lo <= hi`.
    #[test]
    fn uniform_within_bounds(a in any::<u64>(), b in any::<u64>(), seed in any::<u64>()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut rng = WyRand::new(seed);
        let x = uniform(&mut rng, lo, hi);
        prop_assert!(lo <= x && x <= hi);
    }
}

#[test]
fn uniform_reaches_both_ends_of_a_small_range() {
    let mut rng = WyRand::new(1);
    let mut seen = [false; 4];
    for _ in 0..1_000 {
        seen[uniform(&mut rng, 10, 13) as usize - 10] = true;
    }
    assert_eq!(seen, [true; 4]);
}

#[test]
fn presets_have_the_documented_schedules() {
    let standard = RetryPolicy::STANDARD;
    assert_eq!(standard.get_backoff(), Backoff::Exponential);
    assert_eq!(standard.get_max_attempts(), 3);
    assert_eq!(standard.get_max_delay(), Duration::from_secs(8));
    assert_eq!(standard.get_jitter(), Jitter::Full);
    assert_eq!(
        (standard.get_max_elapsed(), standard.get_timeout()),
        (None, None)
    );
    let streaming = RetryPolicy::STREAMING;
    assert_eq!(streaming.get_max_attempts(), 3);
    assert_eq!(streaming.get_max_delay(), Duration::from_secs(1));
    assert_eq!(streaming.get_jitter(), Jitter::Full);
    assert_eq!(
        (streaming.get_max_elapsed(), streaming.get_timeout()),
        (None, None)
    );

    let ms = |p: RetryPolicy| -> Vec<u128> {
        p.jitter(Jitter::None)
            .delays_seeded(0)
            .map(|d| d.as_millis())
            .collect()
    };
    assert_eq!(ms(standard), [500, 1000]);
    assert_eq!(ms(streaming), [100, 200]);
    // More attempts keep doubling up to the cap.
    assert_eq!(
        ms(standard.max_attempts(7)),
        [500, 1000, 2000, 4000, 8000, 8000]
    );
    assert_eq!(
        ms(streaming.max_attempts(7)),
        [100, 200, 400, 800, 1000, 1000]
    );
}

#[test]
fn preset_jitter_stays_within_the_base_and_averages_half_of_it() {
    for (p, bases) in [
        (RetryPolicy::STANDARD, [500.0, 1000.0]),
        (RetryPolicy::STREAMING, [100.0, 200.0]),
    ] {
        let mut sums = [0.0f64; 2];
        let n = 20_000;
        for seed in 0..n {
            for (i, d) in p.delays_seeded(seed).enumerate() {
                let ms = d.as_secs_f64() * 1e3;
                assert!(ms <= bases[i], "{ms} > {}", bases[i]);
                sums[i] += ms;
            }
        }
        for i in 0..2 {
            let mean = sums[i] / n as f64;
            let want = bases[i] / 2.0;
            assert!(
                (mean - want).abs() < want * 0.03,
                "mean {mean}, want {want}"
            );
        }
    }
}

#[test]
fn saturate_nanos_saturates() {
    assert_eq!(saturate_nanos(Duration::MAX), u64::MAX);
    assert_eq!(saturate_nanos(Duration::from_nanos(u64::MAX)), u64::MAX);
    assert_eq!(saturate_nanos(Duration::from_millis(3)), 3_000_000);
}
