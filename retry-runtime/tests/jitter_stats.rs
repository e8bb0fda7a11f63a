//! The jitter distributions, measured over many fixed seeds (API.md: the `jitter` key and
//! "Precise points": jitter applies to the capped base).

use std::time::Duration;

use retry_runtime::{Jitter, RetryPolicy};

const SAMPLES: u64 = 20_000;

/// The `index`-th delay (0-based) of `policy` for `SAMPLES` consecutive seeds, in seconds.
fn sample(policy: &RetryPolicy, index: usize) -> Vec<f64> {
    (0..SAMPLES)
        .map(|seed| {
            policy
                .delays_seeded(seed)
                .nth(index)
                .expect("the policy has enough attempts")
                .as_secs_f64()
        })
        .collect()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Asserts every sample lies in `[lo, hi]`, the mean is within 2% of `want_mean`, and the
/// samples fill `[lo, hi]` evenly: ten equal buckets, each within 15% of a tenth (about seven
/// standard deviations at 20k samples), and the extremes come close to both ends.
fn assert_uniform(xs: &[f64], lo: f64, hi: f64, want_mean: f64, what: &str) {
    let eps = 1e-9;
    for &x in xs {
        assert!(
            x >= lo - eps && x <= hi + eps,
            "{what}: {x} outside [{lo}, {hi}]"
        );
    }
    let m = mean(xs);
    assert!(
        (m - want_mean).abs() <= 0.02 * want_mean,
        "{what}: mean {m}, expected about {want_mean}"
    );
    let mut buckets = [0usize; 10];
    for &x in xs {
        let i = (((x - lo) / (hi - lo)) * 10.0).floor() as usize;
        buckets[i.min(9)] += 1;
    }
    let expected = xs.len() as f64 / 10.0;
    for (i, &b) in buckets.iter().enumerate() {
        assert!(
            (b as f64 - expected).abs() <= 0.15 * expected,
            "{what}: decile {i} holds {b} samples, expected about {expected}: {buckets:?}"
        );
    }
    // A chi-square bound over the ten buckets (9 degrees of freedom: 40 is far in the tail).
    let chi2: f64 = buckets
        .iter()
        .map(|&b| (b as f64 - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 40.0, "{what}: chi-square {chi2} over {buckets:?}");
    let min = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let width = hi - lo;
    assert!(min - lo < 0.01 * width, "{what}: smallest sample {min}");
    assert!(hi - max < 0.01 * width, "{what}: largest sample {max}");
}

#[test]
fn full_jitter_is_uniform_over_zero_to_base() {
    // The first delay's base is initial_delay (1 s).
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(Duration::from_secs(1))
        .jitter(Jitter::Full);
    let xs = sample(&p, 0);
    assert_uniform(&xs, 0.0, 1.0, 0.5, "full, base 1s");
}

#[test]
fn full_jitter_mean_is_half_the_capped_base() {
    // Second delay: base 1 s * 10 = 10 s, capped at 4 s; full jitter draws from [0, 4 s]
    // (jitter applies to the capped base), so the mean is 2 s, not 3.2 s as capping after
    // jittering the uncapped base would give.
    let p = RetryPolicy::exponential()
        .max_attempts(3)
        .initial_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(4))
        .multiplier(10.0)
        .jitter(Jitter::Full);
    let xs = sample(&p, 1);
    assert_uniform(&xs, 0.0, 4.0, 2.0, "full, capped base 4s");
}

#[test]
fn equal_jitter_is_uniform_over_half_to_full_base() {
    let p = RetryPolicy::linear()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(800))
        .jitter(Jitter::Equal);
    // Second delay: base 1.6 s, so [0.8 s, 1.6 s] with mean 1.2 s.
    let xs = sample(&p, 1);
    assert_uniform(&xs, 0.8, 1.6, 1.2, "equal, base 1.6s");
    // First delay: base 0.8 s.
    let xs = sample(&p, 0);
    assert_uniform(&xs, 0.4, 0.8, 0.6, "equal, base 0.8s");
}

#[test]
fn equal_jitter_on_the_capped_base() {
    let p = RetryPolicy::exponential()
        .max_attempts(4)
        .initial_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(3))
        .jitter(Jitter::Equal);
    // Third delay: base 4 s capped at 3 s: [1.5 s, 3 s], mean 2.25 s.
    let xs = sample(&p, 2);
    assert_uniform(&xs, 1.5, 3.0, 2.25, "equal, capped base 3s");
}

#[test]
fn fraction_jitter_is_uniform_around_the_base() {
    for f in [0.1, 0.25, 0.5, 1.0] {
        let p = RetryPolicy::fixed()
            .max_attempts(2)
            .initial_delay(Duration::from_secs(2))
            .max_delay(Duration::from_secs(10))
            .jitter(Jitter::Fraction(f));
        let xs = sample(&p, 0);
        assert_uniform(
            &xs,
            2.0 * (1.0 - f),
            2.0 * (1.0 + f),
            2.0,
            &format!("fraction {f}, base 2s"),
        );
    }
}

#[test]
fn fraction_jitter_is_capped_again() {
    // Base 2 s = max_delay: d * (1 ± 0.5) would reach 3 s, but no sleep exceeds max_delay.
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(Duration::from_secs(2))
        .max_delay(Duration::from_secs(2))
        .jitter(Jitter::Fraction(0.5));
    let xs = sample(&p, 0);
    assert!(xs.iter().all(|&x| (1.0..=2.0).contains(&x)), "range");
    // Still spread over the lower half (not all pinned at the cap).
    let below = xs.iter().filter(|&&x| x < 1.5).count();
    assert!(
        below > SAMPLES as usize / 10,
        "only {below} samples below 1.5s"
    );
    // Partly capped: base 1.5 s with max 2 s, fraction 0.5 gives [0.75 s, 2 s].
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(Duration::from_millis(1500))
        .max_delay(Duration::from_secs(2))
        .jitter(Jitter::Fraction(0.5));
    let xs = sample(&p, 0);
    assert!(xs.iter().all(|&x| (0.75..=2.0).contains(&x)), "range");
    let lowest = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(lowest < 0.76, "the low end is reached: {lowest}");
}

#[test]
fn fraction_zero_and_no_jitter_are_exact() {
    for j in [Jitter::None, Jitter::Fraction(0.0)] {
        let p = RetryPolicy::fixed()
            .max_attempts(2)
            .initial_delay(Duration::from_millis(1234))
            .jitter(j);
        for seed in 0..1_000 {
            let d = p.delays_seeded(seed).next();
            assert_eq!(d, Some(Duration::from_millis(1234)), "{j:?}");
        }
    }
}

#[test]
fn decorrelated_first_delay_is_uniform_over_initial_to_three_initial() {
    let p = RetryPolicy::decorrelated()
        .max_attempts(2)
        .initial_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(60));
    let xs = sample(&p, 0);
    assert_uniform(&xs, 1.0, 3.0, 2.0, "decorrelated, initial 1s");
}

#[test]
fn jittered_delays_are_not_correlated_across_a_schedule() {
    // Full jitter on a fixed base: successive draws of one schedule are independent, so the
    // mean of each position and the lag-1 correlation look like independent uniforms.
    let p = RetryPolicy::fixed()
        .max_attempts(201)
        .initial_delay(Duration::from_secs(1))
        .jitter(Jitter::Full);
    let mut xs = Vec::new();
    let mut pairs = Vec::new();
    for seed in 0..200u64 {
        let d: Vec<f64> = p.delays_seeded(seed).map(|d| d.as_secs_f64()).collect();
        pairs.extend(d.windows(2).map(|w| (w[0], w[1])));
        xs.extend(d);
    }
    assert_uniform(&xs, 0.0, 1.0, 0.5, "full jitter within schedules");
    let n = pairs.len() as f64;
    let (ma, mb) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov = pairs.iter().map(|p| (p.0 - ma) * (p.1 - mb)).sum::<f64>() / n;
    let corr = cov / (1.0 / 12.0);
    assert!(corr.abs() < 0.03, "lag-1 correlation {corr}");
}
