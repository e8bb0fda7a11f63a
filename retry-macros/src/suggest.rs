//! "Did you mean" for unknown keys and names.
//!
//! A suggestion comes from, in order: the alias table of the attribute (the names other
//! retry and breaker libraries use), an exact key of another of the three attributes
//! ("belongs to `#[circuit_breaker]`"), a spelling that differs only in case, `_` or `-`, a
//! near spelling (Damerau-Levenshtein distance of at most a third of the length), or a
//! word that only one key starts or ends with, and last another attribute's alias table
//! (`recovery_timeout` on a retry: "did you mean `reset_timeout` of `#[circuit_breaker]`?").
//! When nothing fits, the message lists the valid keys.

/// The keys of one attribute and the other libraries' names for them.
pub(crate) struct Attribute {
    /// The attribute's name, without `#[]`.
    pub(crate) name: &'static str,
    /// Every key it accepts, in the order of the documentation.
    pub(crate) keys: &'static [&'static str],
    /// `(alias, key)`: a name another library uses, and this attribute's key for it.
    pub(crate) aliases: &'static [(&'static str, &'static str)],
}

/// `#[retry_on_failure(...)]`.
pub(crate) const RETRY: Attribute = Attribute {
    name: "retry_on_failure",
    keys: &[
        "max_attempts",
        "max_retries",
        "backoff",
        "initial_delay",
        "max_delay",
        "multiplier",
        "jitter",
        "max_elapsed",
        "timeout",
        "when",
        "unless",
        "retry_after",
        "on_retry",
        "on_give_up",
        "budget",
        "env",
        "policy",
        "crate",
    ],
    aliases: &[
        // From API.md.
        ("base_delay", "initial_delay"),
        ("backoff_factor", "multiplier"),
        ("backoff_multiplier", "multiplier"),
        ("exponential_base", "multiplier"),
        ("retry_on", "when"),
        ("retry_if", "when"),
        ("retry_condition", "when"),
        ("stop_on", "unless"),
        ("give_up_on", "unless"),
        ("on_failure", "on_give_up"),
        // Counts.
        ("attempts", "max_attempts"),
        ("tries", "max_attempts"),
        ("max_tries", "max_attempts"),
        ("num_attempts", "max_attempts"),
        ("stop_after_attempt", "max_attempts"),
        ("retries", "max_retries"),
        ("num_retries", "max_retries"),
        ("retry_count", "max_retries"),
        // Delays.
        ("min_delay", "initial_delay"),
        ("initial_interval", "initial_delay"),
        ("initial_backoff", "initial_delay"),
        ("base", "initial_delay"),
        ("delay", "initial_delay"),
        ("max_backoff", "max_delay"),
        ("max_interval", "max_delay"),
        ("max_wait", "max_delay"),
        ("max_sleep", "max_delay"),
        ("factor", "multiplier"),
        ("randomization_factor", "jitter"),
        ("jitter_factor", "jitter"),
        ("strategy", "backoff"),
        ("backoff_strategy", "backoff"),
        ("max_elapsed_time", "max_elapsed"),
        ("max_time", "max_elapsed"),
        ("max_duration", "max_elapsed"),
        ("deadline", "max_elapsed"),
        ("total_timeout", "max_elapsed"),
        ("stop_after_delay", "max_elapsed"),
        ("attempt_timeout", "timeout"),
        ("per_attempt_timeout", "timeout"),
        // Predicates and hooks.
        ("retry_when", "when"),
        ("retryable", "when"),
        ("giveup", "unless"),
        ("abort_on", "unless"),
        ("retry_unless", "unless"),
        ("on_exhausted", "on_give_up"),
        ("before_sleep", "on_retry"),
        ("before_retry", "on_retry"),
        ("on_backoff", "on_retry"),
        // The rest.
        ("retry_budget", "budget"),
        ("env_prefix", "env"),
        ("prefix", "env"),
        ("retry_policy", "policy"),
        ("preset", "policy"),
        ("crate_path", "crate"),
        ("krate", "crate"),
    ],
};

/// `#[circuit_breaker(...)]`.
pub(crate) const BREAKER: Attribute = Attribute {
    name: "circuit_breaker",
    keys: &[
        "name",
        "failure_threshold",
        "failure_rate",
        "window",
        "min_calls",
        "reset_timeout",
        "success_threshold",
        "half_open_max_calls",
        "when",
        "on_state_change",
        "env",
        "crate",
    ],
    aliases: &[
        // From API.md.
        ("recovery_timeout", "reset_timeout"),
        ("timeout", "reset_timeout"),
        // Thresholds.
        ("threshold", "failure_threshold"),
        ("max_failures", "failure_threshold"),
        ("failure_count", "failure_threshold"),
        ("consecutive_failures", "failure_threshold"),
        ("failure_threshold_ratio", "failure_rate"),
        ("failure_rate_threshold", "failure_rate"),
        ("failure_ratio", "failure_rate"),
        ("error_rate", "failure_rate"),
        ("error_ratio", "failure_rate"),
        ("sliding_window", "window"),
        ("window_size", "window"),
        ("rolling_window", "window"),
        ("minimum_calls", "min_calls"),
        ("minimum_number_of_calls", "min_calls"),
        ("min_requests", "min_calls"),
        ("request_volume_threshold", "min_calls"),
        ("reset_after", "reset_timeout"),
        ("reset_interval", "reset_timeout"),
        ("cooldown", "reset_timeout"),
        ("open_timeout", "reset_timeout"),
        ("wait_duration_in_open_state", "reset_timeout"),
        ("success_count", "success_threshold"),
        ("half_open_successes", "success_threshold"),
        ("half_open_calls", "half_open_max_calls"),
        ("half_open_requests", "half_open_max_calls"),
        ("max_half_open_calls", "half_open_max_calls"),
        ("permitted_calls_in_half_open_state", "half_open_max_calls"),
        // Predicates and hooks.
        ("is_failure", "when"),
        ("count_if", "when"),
        ("retry_on", "when"),
        ("on_change", "on_state_change"),
        ("on_transition", "on_state_change"),
        ("on_state_transition", "on_state_change"),
        // The rest.
        ("id", "name"),
        ("breaker", "name"),
        ("env_prefix", "env"),
        ("prefix", "env"),
        ("crate_path", "crate"),
        ("krate", "crate"),
    ],
};

/// `#[fallback(...)]`.
pub(crate) const FALLBACK: Attribute = Attribute {
    name: "fallback",
    keys: &["to", "when", "on_fallback", "crate"],
    aliases: &[
        // From API.md.
        ("fallbacks", "to"),
        ("fallback_condition", "when"),
        // Others.
        ("fallback", "to"),
        ("target", "to"),
        ("targets", "to"),
        ("with", "to"),
        ("backup", "to"),
        ("fallback_if", "when"),
        ("fallback_on", "when"),
        ("on_switch", "on_fallback"),
        ("crate_path", "crate"),
        ("krate", "crate"),
    ],
};

const ALL: [&Attribute; 3] = [&RETRY, &BREAKER, &FALLBACK];

/// The message for an unknown key `word` in `attribute`:
/// `unknown key `base_delay`; did you mean `initial_delay`?`.
pub(crate) fn unknown_key(word: &str, attribute: &Attribute) -> String {
    if let Some(key) = alias(word, attribute.aliases) {
        return format!("unknown key `{word}`; did you mean `{key}`?");
    }
    if let Some(other) = ALL
        .iter()
        .find(|other| other.name != attribute.name && other.keys.contains(&word))
    {
        return format!(
            "unknown key `{word}` for `#[{}]`; it belongs to `#[{}]`",
            attribute.name, other.name
        );
    }
    if let Some(key) = closest(word, attribute.keys) {
        return format!("unknown key `{word}`; did you mean `{key}`?");
    }
    // Another library's name for another attribute's key: `recovery_timeout` on a retry
    // means a breaker's `reset_timeout`.
    for other in ALL.iter().filter(|other| other.name != attribute.name) {
        match alias(word, other.aliases) {
            Some(key) if attribute.keys.contains(&key) => {
                return format!("unknown key `{word}`; did you mean `{key}`?");
            }
            Some(key) => {
                return format!(
                    "unknown key `{word}` for `#[{}]`; did you mean `{key}` of `#[{}]`?",
                    attribute.name, other.name
                );
            }
            None => {}
        }
    }
    format!(
        "unknown key `{word}`; expected one of {}",
        one_of(attribute.keys)
    )
}

/// The key `word` stands for in `aliases` (compared ignoring case, `_` and `-`).
pub(crate) fn alias(word: &str, aliases: &[(&'static str, &'static str)]) -> Option<&'static str> {
    let word = normalize(word);
    aliases
        .iter()
        .find(|(alias, _)| normalize(alias) == word)
        .map(|&(_, key)| key)
}

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let norm = normalize(word);
    if norm.is_empty() {
        return None;
    }
    let normalized: Vec<String> = candidates.iter().map(|c| normalize(c)).collect();
    if let Some(i) = normalized.iter().position(|c| *c == norm) {
        return Some(candidates[i]);
    }
    let limit = (norm.chars().count() / 3).max(1);
    let near = normalized
        .iter()
        .enumerate()
        .map(|(i, c)| (edit_distance(&norm, c), i))
        .filter(|&(distance, _)| distance <= limit)
        .min();
    if let Some((_, i)) = near {
        return Some(candidates[i]);
    }
    // A word that only one key starts or ends with: `attempts` -> `max_attempts`.
    if norm.chars().count() >= 4 {
        let mut matching = normalized
            .iter()
            .enumerate()
            .filter(|(_, c)| c.starts_with(&norm) || c.ends_with(&norm));
        if let (Some((i, _)), None) = (matching.next(), matching.next()) {
            return Some(candidates[i]);
        }
    }
    None
}

/// Damerau-Levenshtein distance (optimal string alignment): insertions, deletions,
/// substitutions and transpositions of neighbours each cost one.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the dynamic-programming table: i - 2, i - 1 and i.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// "`a`, `b`, `c`".
pub(crate) fn one_of(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lowercase, without `_` and `-`: `MaxAttempts`, `max-attempts` and `max_attempts` agree.
fn normalize(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("jitter", "jiter"), 1);
        // A transposition is one edit.
        assert_eq!(edit_distance("backoff", "bakcoff"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(edit_distance("µs", "us"), 1);
    }

    #[test]
    fn api_aliases() {
        let cases = [
            (&RETRY, "base_delay", "initial_delay"),
            (&RETRY, "backoff_factor", "multiplier"),
            (&RETRY, "backoff_multiplier", "multiplier"),
            (&RETRY, "exponential_base", "multiplier"),
            (&RETRY, "retry_on", "when"),
            (&RETRY, "retry_if", "when"),
            (&RETRY, "retry_condition", "when"),
            (&RETRY, "stop_on", "unless"),
            (&RETRY, "give_up_on", "unless"),
            (&RETRY, "on_failure", "on_give_up"),
            (&RETRY, "attempts", "max_attempts"),
            (&RETRY, "retries", "max_retries"),
            (&RETRY, "tries", "max_attempts"),
            (&RETRY, "max_backoff", "max_delay"),
            (&RETRY, "max_interval", "max_delay"),
            (&RETRY, "min_delay", "initial_delay"),
            (&RETRY, "initial_interval", "initial_delay"),
            (&RETRY, "base", "initial_delay"),
            (&BREAKER, "recovery_timeout", "reset_timeout"),
            (&BREAKER, "timeout", "reset_timeout"),
            (&BREAKER, "failure_threshold_ratio", "failure_rate"),
            (&BREAKER, "error_rate", "failure_rate"),
            (&BREAKER, "half_open_calls", "half_open_max_calls"),
            (&BREAKER, "reset_after", "reset_timeout"),
            (&FALLBACK, "fallbacks", "to"),
            (&FALLBACK, "fallback_condition", "when"),
        ];
        for (attribute, word, key) in cases {
            assert_eq!(
                unknown_key(word, attribute),
                format!("unknown key `{word}`; did you mean `{key}`?"),
                "in #[{}]",
                attribute.name
            );
        }
    }

    #[test]
    fn aliases_point_at_real_keys_and_are_not_keys() {
        for attribute in ALL {
            for (alias, key) in attribute.aliases {
                assert!(
                    attribute.keys.contains(key),
                    "#[{}]: alias `{alias}` -> unknown `{key}`",
                    attribute.name
                );
                assert!(!attribute.keys.contains(alias), "`{alias}` is a key");
            }
        }
    }

    #[test]
    fn typos() {
        let cases = [
            ("max_attempt", "max_attempts"),
            ("max_attemps", "max_attempts"),
            ("maxAttempts", "max_attempts"),
            ("MAX_ATTEMPTS", "max_attempts"),
            ("max-attempts", "max_attempts"),
            ("intial_delay", "initial_delay"),
            ("max_delays", "max_delay"),
            ("backof", "backoff"),
            ("bakcoff", "backoff"),
            ("jiter", "jitter"),
            ("multipler", "multiplier"),
            ("on_retyr", "on_retry"),
            ("on_giveup_", "on_give_up"),
            ("retry_afer", "retry_after"),
            ("whn", "when"),
            ("elapsed", "max_elapsed"),
            ("Crate", "crate"),
        ];
        for (word, key) in cases {
            assert_eq!(
                unknown_key(word, &RETRY),
                format!("unknown key `{word}`; did you mean `{key}`?")
            );
        }
        assert_eq!(
            closest("half_open_max_call", BREAKER.keys),
            Some("half_open_max_calls")
        );
        assert_eq!(
            closest("sucess_threshold", BREAKER.keys),
            Some("success_threshold")
        );
        assert_eq!(closest("ot", FALLBACK.keys), Some("to"));
    }

    #[test]
    fn other_attributes_keys() {
        assert_eq!(
            unknown_key("failure_threshold", &RETRY),
            "unknown key `failure_threshold` for `#[retry_on_failure]`; it belongs to `#[circuit_breaker]`"
        );
        assert_eq!(
            unknown_key("to", &RETRY),
            "unknown key `to` for `#[retry_on_failure]`; it belongs to `#[fallback]`"
        );
        assert_eq!(
            unknown_key("max_attempts", &BREAKER),
            "unknown key `max_attempts` for `#[circuit_breaker]`; it belongs to `#[retry_on_failure]`"
        );
        assert_eq!(
            unknown_key("reset_timeout", &FALLBACK),
            "unknown key `reset_timeout` for `#[fallback]`; it belongs to `#[circuit_breaker]`"
        );
    }

    #[test]
    fn other_attributes_aliases() {
        assert_eq!(
            unknown_key("recovery_timeout", &RETRY),
            "unknown key `recovery_timeout` for `#[retry_on_failure]`; did you mean `reset_timeout` of `#[circuit_breaker]`?"
        );
        assert_eq!(
            unknown_key("fallbacks", &RETRY),
            "unknown key `fallbacks` for `#[retry_on_failure]`; did you mean `to` of `#[fallback]`?"
        );
        assert_eq!(
            unknown_key("base_delay", &BREAKER),
            "unknown key `base_delay` for `#[circuit_breaker]`; did you mean `initial_delay` of `#[retry_on_failure]`?"
        );
        // When this attribute has the key too, it is the suggestion.
        assert_eq!(
            unknown_key("is_failure", &RETRY),
            "unknown key `is_failure`; did you mean `when`?"
        );
    }

    #[test]
    fn nothing_close_lists_the_keys() {
        assert_eq!(
            unknown_key("colour", &FALLBACK),
            "unknown key `colour`; expected one of `to`, `when`, `on_fallback`, `crate`"
        );
        let message = unknown_key("banana", &RETRY);
        assert!(message.starts_with("unknown key `banana`; expected one of `max_attempts`, "));
        assert!(message.ends_with("`policy`, `crate`"));
        // Ambiguous prefixes and very short words suggest nothing.
        assert_eq!(closest("delay", &["initial_delay", "max_delay"]), None);
        assert_eq!(closest("x", RETRY.keys), None);
        assert_eq!(closest("", RETRY.keys), None);
    }
}
