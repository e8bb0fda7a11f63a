//! "Did you mean" for unknown keys and names.
//!
//! A suggestion comes from, in order: the alias table of the attribute (the names other
//! retry and breaker libraries use), an exact key of another of the three attributes
//! ("belongs to `#[circuit_breaker]`"), a spelling that differs only in case, `_` or `-`, a
//! near spelling (Damerau-Levenshtein distance of at most a third of the length), or a
//! word that only one key starts or ends with, and last another attribute's alias table
//! (`recovery_timeout` on a retry: "did you mean `reset_timeout` of `#[circuit_breaker]`?").
//! When nothing fits, the message lists the valid keys. The keys and their aliases come from
//! [`crate::keys`].

use crate::keys::{Attribute, Key, ATTRIBUTES};

/// The message for an unknown key `word` in `attribute`:
/// `unknown key `base_delay`; did you mean `initial_delay`?`.
pub(crate) fn unknown_key(word: &str, attribute: &Attribute) -> String {
    if let Some(key) = key_alias(word, attribute) {
        if key == Key::Rate
            && alias(word, crate::keys::PER_MINUTE.iter().map(|&a| (a, ()))).is_some()
        {
            return format!(
                "unknown key `{word}`; did you mean `rate` with `per = \"1m\"`? e.g. `rate = 500, per = \"1m\"`"
            );
        }
        return format!("unknown key `{word}`; did you mean `{}`?", key.name());
    }
    let others = || {
        ATTRIBUTES
            .iter()
            .filter(|other| other.name != attribute.name)
    };
    if let Some(other) = others().find(|other| other.key(word).is_some()) {
        return format!(
            "unknown key `{word}` for `#[{}]`; it belongs to `#[{}]`",
            attribute.name, other.name
        );
    }
    let names = attribute.key_names();
    if let Some(key) = closest(word, &names) {
        return format!("unknown key `{word}`; did you mean `{key}`?");
    }
    // Another library's name for another attribute's key: `recovery_timeout` on a retry
    // means a breaker's `reset_timeout`.
    for other in others() {
        match key_alias(word, other) {
            Some(key) if attribute.has(key) => {
                return format!("unknown key `{word}`; did you mean `{}`?", key.name());
            }
            Some(key) => {
                return format!(
                    "unknown key `{word}` for `#[{}]`; did you mean `{}` of `#[{}]`?",
                    attribute.name,
                    key.name(),
                    other.name
                );
            }
            None => {}
        }
    }
    format!("unknown key `{word}`; expected one of {}", one_of(&names))
}

/// The key of `attribute` that `word` is another library's name for.
pub(crate) fn key_alias(word: &str, attribute: &Attribute) -> Option<Key> {
    alias(word, attribute.aliases())
}

/// What `word` stands for among `(alias, meaning)` pairs (compared ignoring case, `_` and
/// `-`): a key, or a value word (`constant` for the backoff `fixed`).
pub(crate) fn alias<T>(
    word: &str,
    aliases: impl IntoIterator<Item = (&'static str, T)>,
) -> Option<T> {
    let word = normalize(word);
    aliases
        .into_iter()
        .find(|(alias, _)| normalize(alias) == word)
        .map(|(_, meaning)| meaning)
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
mod tests;
