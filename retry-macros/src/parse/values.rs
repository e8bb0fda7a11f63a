//! The typed values an attribute's keys hold, each kept with where it was written.
//!
//! Ground floor of the parser: the argument structs, the validation and the expansion all
//! read these types; this module reads nothing else of the crate but the key table.

use proc_macro2::Span;
use syn::LitStr;

use crate::keys::Key;

/// A value given in an attribute, with where it was written.
#[derive(Clone)]
pub(crate) struct Setting<T> {
    /// The parsed value.
    pub(crate) value: T,
    /// Span of the key (`max_attempts`); for a breaker's positional name, of the name.
    /// Generated code that applies the value should carry this span.
    pub(crate) key_span: Span,
    /// Span of the value as written (its first token on stable Rust).
    pub(crate) value_span: Span,
    /// Position of the argument in the list (0-based), to tell which of two keys came later.
    pub(crate) index: usize,
}

impl<T> Setting<T> {
    /// The key span of whichever of `self` and `other` was written later: an error about a
    /// pair of keys points there.
    pub(crate) fn later_key<U>(&self, other: &Setting<U>) -> Span {
        if self.index > other.index {
            self.key_span
        } else {
            other.key_span
        }
    }
}

/// The `policy` key: a constant, or a policy read at run time.
#[derive(Clone)]
pub(crate) enum PolicyValue {
    /// A plain path (`MY_POLICY`, `Self::POLICY`): a `const` or `static`, checked at compile
    /// time with the keys beside it.
    Path(syn::Path),
    /// Any other expression (`self.policy`, `&POLICIES[model]`): evaluated at the start of
    /// every call, of type `RetryPolicy` or `&RetryPolicy`.
    Runtime(syn::Expr),
}

/// The `env` key: where a site reads overrides from the environment. `env = "LLM"` is a
/// prefix alone; `env(...)` names variables one by one, with a `prefix = "LLM"` among them or
/// not. Without errors it has a prefix or a named variable.
#[derive(Clone, Default)]
pub(crate) struct Env {
    /// `env = "LLM"`, or `prefix = "LLM"` in the list: reads `LLM_MAX_ATTEMPTS`...
    pub(crate) prefix: Option<LitStr>,
    /// `max_retries = "LLM_MAX_RETRIES"` in the list, in order; each key at most once, and
    /// only keys the attribute reads from the environment.
    pub(crate) named: Vec<EnvVariable>,
}

/// `max_retries = "LLM_MAX_RETRIES"` inside `env(...)`.
#[derive(Clone)]
pub(crate) struct EnvVariable {
    /// The key the variable overrides.
    pub(crate) key: Key,
    /// The variable's name, as written.
    pub(crate) variable: LitStr,
}

/// The `timeout` key: a duration literal, or an expression evaluated per call.
#[derive(Clone)]
pub(crate) enum TimeoutValue {
    /// `timeout = "5s"`: greater than zero.
    Fixed(std::time::Duration),
    /// `timeout = self.timeout`: a `Duration` or an `Option<Duration>`.
    Runtime(Box<syn::Expr>),
}

/// The `backoff` key: how the base delay grows (the runtime's `Backoff`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backoff {
    /// `exponential`: `initial * multiplier^(n-1)` (the default).
    Exponential,
    /// `linear`: `initial * n`.
    Linear,
    /// `fixed`: `initial` every time.
    Fixed,
    /// `decorrelated`: AWS decorrelated jitter; takes no `jitter`.
    Decorrelated,
}

impl Backoff {
    /// The words, as written in the attribute; each is also the `RetryPolicy` constructor's
    /// name.
    pub(crate) const WORDS: &'static [(&'static str, Backoff)] = &[
        ("exponential", Backoff::Exponential),
        ("linear", Backoff::Linear),
        ("fixed", Backoff::Fixed),
        ("decorrelated", Backoff::Decorrelated),
    ];

    /// Other libraries' words for them.
    pub(crate) const ALIASES: &'static [(&'static str, Backoff)] = &[
        ("exp", Backoff::Exponential),
        ("constant", Backoff::Fixed),
        ("const", Backoff::Fixed),
        ("aws", Backoff::Decorrelated),
        ("decorrelated_jitter", Backoff::Decorrelated),
    ];

    /// The name as written in the attribute (`exponential`), also the `RetryPolicy`
    /// constructor's name.
    pub(crate) fn name(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("exponential", |(name, _)| name)
    }

    /// The runtime's `Backoff` variant: `Exponential`.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Backoff::Exponential => "Exponential",
            Backoff::Linear => "Linear",
            Backoff::Fixed => "Fixed",
            Backoff::Decorrelated => "Decorrelated",
        }
    }
}

/// The `jitter` key (the runtime's `Jitter`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Jitter {
    /// `none`.
    None,
    /// `full` (the default).
    Full,
    /// `equal`.
    Equal,
    /// A fraction in `0.0..=1.0` (already checked; an integer `0` or `1` is accepted too).
    Fraction(f64),
}

impl Jitter {
    /// The words, as written in the attribute.
    pub(crate) const WORDS: &'static [(&'static str, Jitter)] = &[
        ("none", Jitter::None),
        ("full", Jitter::Full),
        ("equal", Jitter::Equal),
    ];

    /// Other libraries' words for them.
    pub(crate) const ALIASES: &'static [(&'static str, Jitter)] = &[
        ("no", Jitter::None),
        ("off", Jitter::None),
        ("false", Jitter::None),
        ("on", Jitter::Full),
        ("true", Jitter::Full),
        ("random", Jitter::Full),
        ("half", Jitter::Equal),
    ];
}
