//! Every key of the five attributes, declared once.
//!
//! A key's name, the kind of value it takes (with its single-value rules: bounds, "greater
//! than zero") and the example shown in messages are declared in one line of `keys!` below; each
//! attribute's table ([`RETRY`], [`BREAKER`], [`FALLBACK`], [`RATE_LIMIT`],
//! [`CONCURRENCY_LIMIT`]) lists its keys in the order of the
//! documentation with the names other retry and breaker libraries use for them. Every stage
//! reads these tables: acceptance of a key, the "did you mean" suggestions
//! ([`crate::suggest`]), the examples in messages, and the dispatch that stores a value, which
//! matches on [`Key`] rather than on strings. This module depends on nothing else in the crate.

/// An allowed range of a plain number, with the words that say it.
#[derive(Clone, Copy)]
pub(crate) struct Range {
    /// Whether a value is allowed.
    pub(crate) contains: fn(f64) -> bool,
    /// What the rule says after the key: "must be at least 1.0".
    pub(crate) rule: &'static str,
    /// Whether a whole number up to 100 was probably meant as a percentage ("for 50% write
    /// `0.5`").
    pub(crate) percent_hint: bool,
}

/// The kind of value a key takes, and the rules a single value must follow.
#[derive(Clone, Copy)]
pub(crate) enum Value {
    /// An integer literal in `min..=max`.
    Count { min: u32, max: u32 },
    /// A float or integer literal in a range.
    Number(Range),
    /// A duration string; with `nonzero`, `"0s"` is an error.
    Duration { nonzero: bool },
    /// One of the backoff words (`exponential`...).
    Backoff,
    /// One of the jitter words, or a fraction in this range.
    Jitter(Range),
    /// A closure, a path or any other expression but a literal.
    Callable,
    /// Any expression, evaluated per call.
    Expression,
    /// A non-empty string; the text says what is missing ("`budget` needs a name").
    Label { empty: &'static str },
    /// An environment variable prefix string (`"LLM"`), or a list naming a variable per key
    /// (`env(prefix = "LLM", max_retries = "LLM_MAX_RETRIES")`) among the attribute's
    /// [`Attribute::env`] keys.
    Env,
    /// A plain path to a constant (`MY_POLICY`), or any other expression: a policy read at
    /// run time (`self.policy`).
    Policy,
    /// A duration string, or an expression of type `Duration` or `Option<Duration>` evaluated
    /// per call.
    DurationOrExpr,
    /// A path written as a string: `"::retry_runtime"`.
    CratePath,
    /// A breaker's name: an identifier or a non-empty string.
    BreakerName,
    /// One fallback target or a list of them: paths to functions.
    Targets,
    /// Any expression, literals included, evaluated per call (`cost`).
    Expr,
}

/// Declares [`Key`] and what each key is, one line a key.
macro_rules! keys {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $value:expr, $example:literal;)*) => {
        /// A key of one of the attributes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Key {
            $($(#[$doc])* $variant,)*
        }

        impl Key {
            /// Every key, for looking one up by name.
            const ALL: &'static [Key] = &[$(Key::$variant),*];

            /// The key as written in an attribute.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                }
            }

            /// The kind of value the key takes.
            pub(crate) fn value(self) -> Value {
                match self {
                    $(Key::$variant => $value,)*
                }
            }

            /// A typical value, for messages: `3` for `max_attempts`.
            pub(crate) fn example(self) -> &'static str {
                match self {
                    $(Key::$variant => $example,)*
                }
            }
        }
    };
}

/// At least one: counts of calls and thresholds.
const AT_LEAST_ONE: Value = Value::Count {
    min: 1,
    max: u32::MAX,
};

keys! {
    // ---- #[retry_on_failure] ----
    /// Calls in all.
    MaxAttempts = "max_attempts", AT_LEAST_ONE, "3";
    /// `max_attempts - 1`.
    MaxRetries = "max_retries", Value::Count { min: 0, max: u32::MAX - 1 }, "2";
    Backoff = "backoff", Value::Backoff, "exponential";
    InitialDelay = "initial_delay", Value::Duration { nonzero: false }, "\"100ms\"";
    MaxDelay = "max_delay", Value::Duration { nonzero: true }, "\"10s\"";
    Multiplier = "multiplier", Value::Number(Range {
        contains: |m| m >= 1.0,
        rule: "must be at least 1.0",
        percent_hint: false,
    }), "2.0";
    Jitter = "jitter", Value::Jitter(Range {
        contains: |f| (0.0..=1.0).contains(&f),
        rule: "fraction must be in 0.0..=1.0",
        percent_hint: false,
    }), "full";
    MaxElapsed = "max_elapsed", Value::Duration { nonzero: true }, "\"30s\"";
    /// Per-attempt timeout.
    Timeout = "timeout", Value::DurationOrExpr, "\"5s\"";
    /// Builds the error of a timed-out attempt.
    TimeoutError = "timeout_error", Value::Callable, "|timed_out| MyError::Timeout(timed_out)";
    When = "when", Value::Callable, "|e| e.is_transient()";
    Unless = "unless", Value::Callable, "|e| e.is_permanent()";
    RetryAfter = "retry_after", Value::Callable, "|e| e.retry_after()";
    /// The longest server hint honoured.
    MaxRetryAfter = "max_retry_after", Value::Duration { nonzero: true }, "\"60s\"";
    /// Judges an attempt's `Ok` value.
    Validate = "validate", Value::Callable, "|v| check(v)";
    OnRetry = "on_retry", Value::Callable, "|event| log(event)";
    OnGiveUp = "on_give_up", Value::Callable, "|event| log(event)";
    Budget = "budget", Value::Label { empty: "`budget` needs a name" }, "\"api\"";
    Env = "env", Value::Env, "\"LLM\"";
    Policy = "policy", Value::Policy, "MY_POLICY";
    Crate = "crate", Value::CratePath, "\"::retry_runtime\"";
    // ---- #[circuit_breaker] ----
    Name = "name", Value::BreakerName, "\"openai\"";
    FailureThreshold = "failure_threshold", AT_LEAST_ONE, "5";
    FailureRate = "failure_rate", Value::Number(Range {
        contains: |r| r > 0.0 && r <= 1.0,
        rule: "must be in (0, 1]",
        percent_hint: true,
    }), "0.5";
    Window = "window", Value::Duration { nonzero: true }, "\"60s\"";
    MinCalls = "min_calls", AT_LEAST_ONE, "10";
    ResetTimeout = "reset_timeout", Value::Duration { nonzero: true }, "\"30s\"";
    SuccessThreshold = "success_threshold", AT_LEAST_ONE, "2";
    HalfOpenMaxCalls = "half_open_max_calls", AT_LEAST_ONE, "1";
    OnStateChange = "on_state_change", Value::Callable, "|change| log(change)";
    /// `key`: partitions the breaker, one per key under the name.
    Partition = "key", Value::Expression, "self.base_url()";
    MaxKeys = "max_keys", AT_LEAST_ONE, "1024";
    OpenError = "open_error", Value::Callable, "|open| MyError::Unavailable(open.to_string())";
    // ---- #[fallback] ----
    To = "to", Value::Targets, "backup";
    OnFallback = "on_fallback", Value::Callable, "|event| log(event)";
    /// Starts the next target beside a slow one.
    HedgeAfter = "hedge_after", Value::Duration { nonzero: true }, "\"300ms\"";
    // ---- #[rate_limit], #[concurrency_limit] ----
    /// Cost units admitted per `per`.
    Rate = "rate", AT_LEAST_ONE, "500";
    Per = "per", Value::Duration { nonzero: true }, "\"1m\"";
    Burst = "burst", AT_LEAST_ONE, "10";
    /// Units one call uses, evaluated per call.
    Cost = "cost", Value::Expr, "request.estimated_tokens()";
    /// The longest a call waits for its turn or a slot.
    MaxWait = "max_wait", Value::Duration { nonzero: false }, "\"5s\"";
    PauseOn = "pause_on", Value::Callable, "|e| e.retry_after()";
    LimitedError = "limited_error", Value::Callable, "|limited| MyError::Limited(limited)";
    /// Calls in flight at once.
    Max = "max", AT_LEAST_ONE, "8";
}

impl Key {
    /// The key named `name` in any of the attributes.
    pub(crate) fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|key| key.name() == name)
    }

    /// "`max_attempts = 3`".
    pub(crate) fn example_text(self) -> String {
        format!("`{} = {}`", self.name(), self.example())
    }
}

/// The example value of the key called `name`, or `...` for a name that is no key.
pub(crate) fn example_of(name: &str) -> &'static str {
    Key::from_name(name).map_or("...", Key::example)
}

/// One attribute: its name, and its keys with the names other libraries use for them.
pub(crate) struct Attribute {
    /// The attribute's name, without `#[]`.
    pub(crate) name: &'static str,
    /// Every key it accepts, in the order of the documentation, each with its aliases.
    pub(crate) keys: &'static [(Key, &'static [&'static str])],
    /// The keys its `env` reads from the environment, in the order of the documentation: a
    /// prefix `P` reads each from `{P}_{KEY}` (`LLM_MAX_ATTEMPTS`), `env(key = "VAR")` names
    /// the variable.
    pub(crate) env: &'static [Key],
}

impl Attribute {
    /// Its key called `name`.
    pub(crate) fn key(&self, name: &str) -> Option<Key> {
        self.keys
            .iter()
            .map(|&(key, _)| key)
            .find(|key| key.name() == name)
    }

    /// Whether it accepts `key`.
    pub(crate) fn has(&self, key: Key) -> bool {
        self.keys.iter().any(|&(k, _)| k == key)
    }

    /// The names of its keys, in order.
    pub(crate) fn key_names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|(key, _)| key.name()).collect()
    }

    /// `(alias, key)` for every alias of its keys.
    pub(crate) fn aliases(&self) -> impl Iterator<Item = (&'static str, Key)> + '_ {
        self.keys
            .iter()
            .flat_map(|&(key, aliases)| aliases.iter().map(move |&alias| (alias, key)))
    }
}

/// `#[retry_on_failure(...)]`.
pub(crate) const RETRY: Attribute = Attribute {
    name: "retry_on_failure",
    keys: &[
        (
            Key::MaxAttempts,
            &[
                "attempts",
                "tries",
                "max_tries",
                "num_attempts",
                "stop_after_attempt",
            ],
        ),
        (Key::MaxRetries, &["retries", "num_retries", "retry_count"]),
        (Key::Backoff, &["strategy", "backoff_strategy"]),
        (
            Key::InitialDelay,
            &[
                "base_delay",
                "min_delay",
                "initial_interval",
                "initial_backoff",
                "base",
                "delay",
            ],
        ),
        (
            Key::MaxDelay,
            &["max_backoff", "max_interval", "max_wait", "max_sleep"],
        ),
        (
            Key::Multiplier,
            &[
                "backoff_factor",
                "backoff_multiplier",
                "exponential_base",
                "factor",
            ],
        ),
        (Key::Jitter, &["randomization_factor", "jitter_factor"]),
        (
            Key::MaxElapsed,
            &[
                "max_elapsed_time",
                "max_time",
                "max_duration",
                "deadline",
                "total_timeout",
                "stop_after_delay",
            ],
        ),
        (Key::Timeout, &["attempt_timeout", "per_attempt_timeout"]),
        (Key::TimeoutError, &["on_timeout", "timeout_err"]),
        (
            Key::When,
            &[
                "retry_on",
                "retry_if",
                "retry_condition",
                "retry_when",
                "retryable",
            ],
        ),
        (
            Key::Unless,
            &[
                "stop_on",
                "give_up_on",
                "giveup",
                "abort_on",
                "retry_unless",
            ],
        ),
        (Key::RetryAfter, &[]),
        (
            Key::MaxRetryAfter,
            &[
                "max_retry_after_delay",
                "retry_after_max",
                "max_server_delay",
            ],
        ),
        (
            Key::Validate,
            &[
                "validator",
                "retry_if_result",
                "retry_on_result",
                "check_result",
            ],
        ),
        (
            Key::OnRetry,
            &["before_sleep", "before_retry", "on_backoff"],
        ),
        (Key::OnGiveUp, &["on_failure", "on_exhausted"]),
        (Key::Budget, &["retry_budget"]),
        (Key::Env, &["env_prefix", "prefix"]),
        (Key::Policy, &["retry_policy", "preset"]),
        (Key::Crate, &["crate_path", "krate"]),
    ],
    env: &[
        Key::MaxAttempts,
        Key::MaxRetries,
        Key::InitialDelay,
        Key::MaxDelay,
        Key::Multiplier,
        Key::Jitter,
        Key::MaxElapsed,
        Key::MaxRetryAfter,
    ],
};

/// `#[circuit_breaker(...)]`.
pub(crate) const BREAKER: Attribute = Attribute {
    name: "circuit_breaker",
    keys: &[
        (Key::Name, &["id", "breaker"]),
        (
            Key::FailureThreshold,
            &[
                "threshold",
                "max_failures",
                "failure_count",
                "consecutive_failures",
            ],
        ),
        (
            Key::FailureRate,
            &[
                "failure_threshold_ratio",
                "failure_rate_threshold",
                "failure_ratio",
                "error_rate",
                "error_ratio",
            ],
        ),
        (
            Key::Window,
            &["sliding_window", "window_size", "rolling_window"],
        ),
        (
            Key::MinCalls,
            &[
                "minimum_calls",
                "minimum_number_of_calls",
                "min_requests",
                "request_volume_threshold",
            ],
        ),
        (
            Key::ResetTimeout,
            &[
                "recovery_timeout",
                "timeout",
                "reset_after",
                "reset_interval",
                "cooldown",
                "open_timeout",
                "wait_duration_in_open_state",
            ],
        ),
        (
            Key::SuccessThreshold,
            &["success_count", "half_open_successes"],
        ),
        (
            Key::HalfOpenMaxCalls,
            &[
                "half_open_calls",
                "half_open_requests",
                "max_half_open_calls",
                "permitted_calls_in_half_open_state",
            ],
        ),
        (Key::When, &["is_failure", "count_if", "retry_on"]),
        (
            Key::OnStateChange,
            &["on_change", "on_transition", "on_state_transition"],
        ),
        (
            Key::Partition,
            &[
                "keyed_by",
                "key_by",
                "partition_key",
                "partition_by",
                "breaker_key",
            ],
        ),
        (
            Key::MaxKeys,
            &["max_partitions", "max_breakers", "max_keyed"],
        ),
        (
            Key::OpenError,
            &[
                "rejected_error",
                "rejection_error",
                "circuit_open_error",
                "on_rejected",
            ],
        ),
        (Key::Env, &["env_prefix", "prefix"]),
        (Key::Crate, &["crate_path", "krate"]),
    ],
    env: &[
        Key::FailureThreshold,
        Key::FailureRate,
        Key::Window,
        Key::MinCalls,
        Key::ResetTimeout,
        Key::SuccessThreshold,
        Key::HalfOpenMaxCalls,
    ],
};

/// `#[fallback(...)]`.
pub(crate) const FALLBACK: Attribute = Attribute {
    name: "fallback",
    keys: &[
        (
            Key::To,
            &[
                "fallbacks",
                "fallback",
                "target",
                "targets",
                "with",
                "backup",
            ],
        ),
        (
            Key::When,
            &["fallback_condition", "fallback_if", "fallback_on"],
        ),
        (Key::OnFallback, &["on_switch"]),
        (
            Key::HedgeAfter,
            &[
                "hedge_delay",
                "hedging_delay",
                "hedge",
                "hedge_timeout",
                "delay",
            ],
        ),
        (Key::Crate, &["crate_path", "krate"]),
    ],
    env: &[],
};

/// Other libraries' names for a rate per minute: the message adds `per = "1m"`.
pub(crate) const PER_MINUTE: &[&str] = &["rpm", "requests_per_minute", "tpm", "tokens_per_minute"];

/// `#[rate_limit(...)]`.
pub(crate) const RATE_LIMIT: Attribute = Attribute {
    name: "rate_limit",
    keys: &[
        (Key::Name, &["id", "limiter"]),
        (
            Key::Rate,
            &[
                "rpm",
                "requests_per_minute",
                "tpm",
                "tokens_per_minute",
                "rps",
                "requests_per_second",
                "limit",
                "quota",
                "permits_per_period",
                "limit_for_period",
            ],
        ),
        (
            Key::Per,
            &[
                "period",
                "interval",
                "window",
                "refresh_period",
                "limit_refresh_period",
            ],
        ),
        (
            Key::Burst,
            &["burst_size", "capacity", "bucket_size", "max_burst"],
        ),
        (Key::Cost, &["weight", "tokens", "units", "permits"]),
        (
            Key::MaxWait,
            &[
                "timeout",
                "timeout_duration",
                "wait",
                "max_delay",
                "acquire_timeout",
            ],
        ),
        (Key::PauseOn, &["retry_after", "pause", "backoff_on"]),
        (
            Key::LimitedError,
            &["on_limited", "error", "rejected_error", "on_rejected"],
        ),
        (Key::Crate, &["crate_path", "krate"]),
    ],
    env: &[],
};

/// `#[concurrency_limit(...)]`.
pub(crate) const CONCURRENCY_LIMIT: Attribute = Attribute {
    name: "concurrency_limit",
    keys: &[
        (Key::Name, &["id", "limiter", "bulkhead"]),
        (
            Key::Max,
            &[
                "max_concurrent",
                "max_concurrency",
                "max_concurrent_calls",
                "max_in_flight",
                "permits",
                "limit",
                "concurrency",
                "size",
            ],
        ),
        (
            Key::MaxWait,
            &["timeout", "max_wait_duration", "wait", "acquire_timeout"],
        ),
        (
            Key::LimitedError,
            &["on_limited", "error", "rejected_error", "on_rejected"],
        ),
        (Key::Crate, &["crate_path", "krate"]),
    ],
    env: &[],
};

/// The attributes' tables.
pub(crate) const ATTRIBUTES: [&Attribute; 5] =
    [&RETRY, &BREAKER, &FALLBACK, &RATE_LIMIT, &CONCURRENCY_LIMIT];

/// Which of the attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Retry,
    Breaker,
    Fallback,
    RateLimit,
    ConcurrencyLimit,
}

impl Kind {
    /// Its key table.
    pub(crate) fn attribute(self) -> &'static Attribute {
        match self {
            Kind::Retry => &RETRY,
            Kind::Breaker => &BREAKER,
            Kind::Fallback => &FALLBACK,
            Kind::RateLimit => &RATE_LIMIT,
            Kind::ConcurrencyLimit => &CONCURRENCY_LIMIT,
        }
    }

    /// Its name, without `#[]`.
    pub(crate) fn name(self) -> &'static str {
        self.attribute().name
    }

    /// The attribute called `name` (the last segment of its path).
    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        [
            Kind::Retry,
            Kind::Breaker,
            Kind::Fallback,
            Kind::RateLimit,
            Kind::ConcurrencyLimit,
        ]
        .into_iter()
        .find(|kind| kind.name() == name)
    }
}
