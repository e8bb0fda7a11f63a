//! Parsing of the attributes' arguments into typed values that keep their spans.
//!
//! Each attribute's argument list is first split into items (`key = value`, a bare `key`,
//! or a positional expression such as a breaker's name) with syntax errors recovered at the
//! next top-level comma; then every item is checked against the attribute's keys, once, and
//! its value converted. Single-value rules (`max_attempts = 0`, `max_delay = "0s"`) are
//! reported here; rules between keys live in [`crate::valid`]. Nothing stops at the first
//! problem: all of them end up in the returned [`Errors`].

use std::time::Duration;

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, ExprPath, Ident, Lit, LitFloat, LitInt, LitStr, Token, UnOp};

use crate::ctxt::{Errors, Seen};
use crate::duration::parse_duration_lit;
use crate::suggest::{self, Attribute};
use crate::valid;

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
    const NAMES: [(&'static str, Backoff); 4] = [
        ("exponential", Backoff::Exponential),
        ("linear", Backoff::Linear),
        ("fixed", Backoff::Fixed),
        ("decorrelated", Backoff::Decorrelated),
    ];

    /// The name as written in the attribute (`exponential`), also the `RetryPolicy`
    /// constructor's name.
    pub(crate) fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("exponential", |(name, _)| name)
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

/// The arguments of `#[retry_on_failure(...)]`. A key not given is `None` (the runtime's
/// default or the `policy` applies). When [`RetryArgs::parse`] reports errors, a value that
/// was wrong is left out; the others are still there.
#[derive(Default)]
pub(crate) struct RetryArgs {
    /// `max_attempts = 3`: calls in all, `>= 1`.
    pub(crate) max_attempts: Option<Setting<u32>>,
    /// `max_retries = 2`: `max_attempts - 1`, below `u32::MAX`. Never given together with
    /// `max_attempts` when there are no errors.
    pub(crate) max_retries: Option<Setting<u32>>,
    /// `backoff = exponential | linear | fixed | decorrelated`.
    pub(crate) backoff: Option<Setting<Backoff>>,
    /// `initial_delay = "100ms"` (may be zero).
    pub(crate) initial_delay: Option<Setting<Duration>>,
    /// `max_delay = "10s"`: greater than zero and not below `initial_delay`.
    pub(crate) max_delay: Option<Setting<Duration>>,
    /// `multiplier = 2.0` (an integer literal too): finite, `>= 1.0`; only with exponential
    /// backoff.
    pub(crate) multiplier: Option<Setting<f64>>,
    /// `jitter = none | full | equal | 0.2`; never with decorrelated backoff.
    pub(crate) jitter: Option<Setting<Jitter>>,
    /// `max_elapsed = "30s"`: greater than zero.
    pub(crate) max_elapsed: Option<Setting<Duration>>,
    /// `timeout = "5s"`: per-attempt timeout, greater than zero. Whether the function is
    /// async is the expansion's check (this layer does not see the function).
    pub(crate) timeout: Option<Setting<Duration>>,
    /// `when = <expr>`: any expression but a literal (a closure, a path...).
    pub(crate) when: Option<Setting<Expr>>,
    /// `unless = <expr>`, as `when`.
    pub(crate) unless: Option<Setting<Expr>>,
    /// `retry_after = <expr>`, as `when`.
    pub(crate) retry_after: Option<Setting<Expr>>,
    /// `on_retry = <expr>`, as `when`.
    pub(crate) on_retry: Option<Setting<Expr>>,
    /// `on_give_up = <expr>`, as `when`.
    pub(crate) on_give_up: Option<Setting<Expr>>,
    /// `budget = "name"`: a non-empty string.
    pub(crate) budget: Option<Setting<LitStr>>,
    /// `env = "LLM"`: uppercase letters, digits and `_`, starting with a letter or `_`, not
    /// ending with `_`.
    pub(crate) env: Option<Setting<LitStr>>,
    /// `policy = PATH`: a path (no `qself`), spanned as written.
    pub(crate) policy: Option<Setting<syn::Path>>,
    /// `crate = "::retry_runtime"`: the string parsed as a path; its tokens carry the
    /// string's span.
    pub(crate) krate: Option<Setting<syn::Path>>,
}

/// The arguments of `#[circuit_breaker(...)]`; see [`RetryArgs`] for what is left out on errors.
#[derive(Default)]
pub(crate) struct BreakerArgs {
    /// The breaker's name, first as `openai` or `"openai"`, or `name = "openai"`; an
    /// identifier becomes a string with the identifier's span (`r#` removed). Not empty.
    /// `None` only with an error.
    pub(crate) name: Option<Setting<LitStr>>,
    /// `failure_threshold = 5`: `>= 1`; never together with `failure_rate` without errors.
    pub(crate) failure_threshold: Option<Setting<u32>>,
    /// `failure_rate = 0.5`: in `(0, 1]` (an integer `1` is accepted).
    pub(crate) failure_rate: Option<Setting<f64>>,
    /// `window = "60s"`: greater than zero; only with `failure_rate`.
    pub(crate) window: Option<Setting<Duration>>,
    /// `min_calls = 10`: `>= 1`; only with `failure_rate`.
    pub(crate) min_calls: Option<Setting<u32>>,
    /// `reset_timeout = "30s"`: greater than zero.
    pub(crate) reset_timeout: Option<Setting<Duration>>,
    /// `success_threshold = 2`: `>= 1`.
    pub(crate) success_threshold: Option<Setting<u32>>,
    /// `half_open_max_calls = 1`: `>= 1`.
    pub(crate) half_open_max_calls: Option<Setting<u32>>,
    /// `when = <expr>`: any expression but a literal.
    pub(crate) when: Option<Setting<Expr>>,
    /// `on_state_change = <expr>`: any expression but a literal.
    pub(crate) on_state_change: Option<Setting<Expr>>,
    /// `env = "OPENAI"`, as in [`RetryArgs::env`].
    pub(crate) env: Option<Setting<LitStr>>,
    /// `crate = "..."`, as in [`RetryArgs::krate`].
    pub(crate) krate: Option<Setting<syn::Path>>,
}

/// The arguments of `#[fallback(...)]`; see [`RetryArgs`] for what is left out on errors.
#[derive(Default)]
pub(crate) struct FallbackArgs {
    /// `to = backup` or `to = [a, Self::b, c]`: the targets in order, each a path
    /// expression (generic arguments and `<T as Trait>::f` allowed). Without errors it is
    /// `Some` and not empty.
    pub(crate) to: Option<Setting<Vec<ExprPath>>>,
    /// `when = <expr>`: any expression but a literal.
    pub(crate) when: Option<Setting<Expr>>,
    /// `on_fallback = <expr>`: any expression but a literal.
    pub(crate) on_fallback: Option<Setting<Expr>>,
    /// `crate = "..."`, as in [`RetryArgs::krate`].
    pub(crate) krate: Option<Setting<syn::Path>>,
}

impl RetryArgs {
    /// Parses and validates the tokens inside `#[retry_on_failure(...)]` (empty for a bare
    /// `#[retry_on_failure]`). Every problem is in the returned errors; the arguments hold
    /// every value that was right, so the expansion can go on. `_attr_span` (the attribute,
    /// e.g. `Span::call_site()`) is taken for symmetry with the other two: every key is
    /// optional here.
    pub(crate) fn parse(tokens: TokenStream, _attr_span: Span) -> (Self, Errors) {
        let mut errors = Errors::new();
        let mut seen = Seen::default();
        let mut args = Self::default();
        for item in parse_items(tokens, &mut errors) {
            match item {
                Item::Arg(arg) => {
                    if let Some(given) = accept(&arg, &suggest::RETRY, &mut errors, &mut seen) {
                        args.apply(&given, &mut errors);
                    }
                }
                Item::Positional { expr, .. } => {
                    let example = match numeric(&expr) {
                        Some(Numeric::Int {
                            lit,
                            negative: false,
                        }) => {
                            format!("`max_attempts = {}`", lit.base10_digits())
                        }
                        _ => "`max_attempts = 3`".to_owned(),
                    };
                    errors.error_spanned_by(
                        &expr,
                        format_args!("expected `key = value`, e.g. {example}"),
                    );
                }
            }
        }
        valid::check_retry(&args, &mut errors);
        (args, errors)
    }

    fn apply(&mut self, given: &Given<'_>, errors: &mut Errors) {
        match given.key {
            "max_attempts" => self.max_attempts = given.integer(errors, 1, u32::MAX),
            "max_retries" => self.max_retries = given.integer(errors, 0, u32::MAX - 1),
            "backoff" => self.backoff = given.backoff(errors),
            "initial_delay" => self.initial_delay = given.duration(errors, false),
            "max_delay" => self.max_delay = given.duration(errors, true),
            "multiplier" => {
                self.multiplier = given.float(errors, |m| m >= 1.0, "must be at least 1.0");
            }
            "jitter" => self.jitter = given.jitter(errors),
            "max_elapsed" => self.max_elapsed = given.duration(errors, true),
            "timeout" => self.timeout = given.duration(errors, true),
            "when" => self.when = given.callable(errors),
            "unless" => self.unless = given.callable(errors),
            "retry_after" => self.retry_after = given.callable(errors),
            "on_retry" => self.on_retry = given.callable(errors),
            "on_give_up" => self.on_give_up = given.callable(errors),
            "budget" => self.budget = given.name(errors, "`budget` needs a name"),
            "env" => self.env = given.env(errors),
            "policy" => self.policy = given.policy(errors),
            "crate" => self.krate = given.krate(errors),
            other => given.unhandled(errors, other),
        }
    }
}

impl BreakerArgs {
    /// Parses and validates the tokens inside `#[circuit_breaker(...)]`. A missing name is
    /// reported at `attr_span` (the attribute, e.g. `Span::call_site()`).
    pub(crate) fn parse(tokens: TokenStream, attr_span: Span) -> (Self, Errors) {
        let mut errors = Errors::new();
        let mut seen = Seen::default();
        let mut args = Self::default();
        for item in parse_items(tokens, &mut errors) {
            match item {
                // `#[circuit_breaker(openai, ...)]`
                Item::Arg(Arg {
                    key,
                    eq: None,
                    index: 0,
                    ..
                }) => {
                    let _ = errors.set_once(&mut seen, "name", key.span());
                    let name = LitStr::new(&key.unraw().to_string(), key.span());
                    args.name = Some(Setting {
                        value: name,
                        key_span: key.span(),
                        value_span: key.span(),
                        index: 0,
                    });
                }
                Item::Arg(arg) => {
                    if arg.key == "name" && seen.contains("name") {
                        errors.error(arg.key.span(), "the breaker name is given twice");
                        continue;
                    }
                    if let Some(given) = accept(&arg, &suggest::BREAKER, &mut errors, &mut seen) {
                        args.apply(&given, &mut errors);
                    }
                }
                // `#[circuit_breaker("openai", ...)]`
                Item::Positional { expr, index: 0 } => {
                    let _ = errors.set_once(&mut seen, "name", expr.span());
                    args.name = breaker_name(&expr, &mut errors).map(|name| Setting {
                        value: name,
                        key_span: expr.span(),
                        value_span: expr.span(),
                        index: 0,
                    });
                }
                Item::Positional { expr, index } => match strip(&expr) {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(lit), ..
                    }) => {
                        errors.error_spanned_by(
                            &expr,
                            format_args!(
                                "the breaker name comes first: `#[circuit_breaker({}, ...)]`",
                                quote::quote!(#lit)
                            ),
                        );
                        // Keep it, so no "missing name" follows.
                        if seen.mark("name") {
                            args.name = Some(Setting {
                                value: lit.clone(),
                                key_span: lit.span(),
                                value_span: lit.span(),
                                index,
                            });
                        }
                    }
                    _ => errors.error_spanned_by(
                        &expr,
                        "expected `key = value`, e.g. `failure_threshold = 5`",
                    ),
                },
            }
        }
        if !seen.contains("name") {
            errors.error(
                attr_span,
                "missing the breaker name, e.g. `#[circuit_breaker(openai)]` or `#[circuit_breaker(\"openai\")]`",
            );
        }
        valid::check_breaker(&args, &mut errors);
        (args, errors)
    }

    fn apply(&mut self, given: &Given<'_>, errors: &mut Errors) {
        match given.key {
            "name" => {
                self.name = breaker_name(given.value, errors).map(|name| given.wrap(name));
            }
            "failure_threshold" => self.failure_threshold = given.integer(errors, 1, u32::MAX),
            "failure_rate" => {
                self.failure_rate =
                    given.float(errors, |r| r > 0.0 && r <= 1.0, "must be in (0, 1]");
            }
            "window" => self.window = given.duration(errors, true),
            "min_calls" => self.min_calls = given.integer(errors, 1, u32::MAX),
            "reset_timeout" => self.reset_timeout = given.duration(errors, true),
            "success_threshold" => self.success_threshold = given.integer(errors, 1, u32::MAX),
            "half_open_max_calls" => self.half_open_max_calls = given.integer(errors, 1, u32::MAX),
            "when" => self.when = given.callable(errors),
            "on_state_change" => self.on_state_change = given.callable(errors),
            "env" => self.env = given.env(errors),
            "crate" => self.krate = given.krate(errors),
            other => given.unhandled(errors, other),
        }
    }
}

impl FallbackArgs {
    /// Parses and validates the tokens inside `#[fallback(...)]`. A missing `to` is reported
    /// at `attr_span` (the attribute, e.g. `Span::call_site()`).
    pub(crate) fn parse(tokens: TokenStream, attr_span: Span) -> (Self, Errors) {
        let mut errors = Errors::new();
        let mut seen = Seen::default();
        let mut args = Self::default();
        let mut to_suggested = false;
        for item in parse_items(tokens, &mut errors) {
            match item {
                // `#[fallback(backup)]`
                Item::Arg(Arg { key, eq: None, .. })
                    if !suggest::FALLBACK
                        .keys
                        .contains(&key.unraw().to_string().as_str()) =>
                {
                    errors.error(key.span(), format_args!("expected `to = {key}`"));
                    seen.mark("to");
                }
                Item::Arg(arg) => {
                    // `fallbacks = [..]`: reported as "did you mean `to`?", not also as missing.
                    let key = arg.key.unraw().to_string();
                    if suggest::alias(&key, suggest::FALLBACK.aliases) == Some("to") {
                        to_suggested = true;
                    }
                    if let Some(given) = accept(&arg, &suggest::FALLBACK, &mut errors, &mut seen) {
                        args.apply(&given, &mut errors);
                    }
                }
                Item::Positional { expr, .. } => {
                    let message = match strip(&expr) {
                        Expr::Path(path) => format!("expected `to = {}`", path_text(&path.path)),
                        _ => "expected `key = value`, e.g. `to = backup`".to_owned(),
                    };
                    errors.error_spanned_by(&expr, message);
                    seen.mark("to");
                }
            }
        }
        if !seen.contains("to") && !to_suggested {
            errors.error(
                attr_span,
                "missing `to`: the function(s) to fall back to, e.g. `#[fallback(to = backup)]`",
            );
        }
        (args, errors)
    }

    fn apply(&mut self, given: &Given<'_>, errors: &mut Errors) {
        match given.key {
            "to" => self.to = Some(given.wrap(fallback_targets(given.value, errors))),
            "when" => self.when = given.callable(errors),
            "on_fallback" => self.on_fallback = given.callable(errors),
            "crate" => self.krate = given.krate(errors),
            other => given.unhandled(errors, other),
        }
    }
}

// ---- the items of an argument list ----

/// `key = value`, `key =` (no value), or a bare `key`.
struct Arg {
    /// The key, keywords allowed (`crate`).
    key: Ident,
    /// The `=`, if any.
    eq: Option<Token![=]>,
    /// The value; `None` when nothing follows the `=` or there is no `=`.
    value: Option<Expr>,
    /// Position in the list.
    index: usize,
}

/// One comma-separated argument.
enum Item {
    Arg(Arg),
    /// Anything else that parses as an expression: a string (a breaker's name), a literal, a
    /// path.
    Positional {
        expr: Expr,
        index: usize,
    },
}

/// Splits the argument list into items. A malformed item is reported and skipped up to the
/// next top-level comma, so later items are still seen.
fn parse_items(tokens: TokenStream, errors: &mut Errors) -> Vec<Item> {
    let parser = |input: ParseStream| -> syn::Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut index = 0;
        while !input.is_empty() {
            if let Some(item) = parse_item(input, index, errors) {
                items.push(item);
            }
            index += 1;
            if input.is_empty() {
                break;
            }
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            } else {
                errors.push(input.error("expected `,`"));
                skip_to_comma(input);
                if input.peek(Token![,]) {
                    input.parse::<Token![,]>()?;
                }
            }
        }
        Ok(items)
    };
    match parser.parse2(tokens) {
        Ok(items) => items,
        Err(error) => {
            errors.push(error);
            Vec::new()
        }
    }
}

fn parse_item(input: ParseStream, index: usize, errors: &mut Errors) -> Option<Item> {
    let fork = input.fork();
    if let Ok(key) = fork.call(Ident::parse_any) {
        if fork.peek(Token![=]) && !fork.peek(Token![==]) && !fork.peek(Token![=>]) {
            let eq: Token![=] = fork.parse().ok()?;
            input.advance_to(&fork);
            if input.is_empty() || input.peek(Token![,]) {
                return Some(Item::Arg(Arg {
                    key,
                    eq: Some(eq),
                    value: None,
                    index,
                }));
            }
            let value = input.fork();
            return match value.parse::<Expr>() {
                Ok(expr) => {
                    input.advance_to(&value);
                    Some(Item::Arg(Arg {
                        key,
                        eq: Some(eq),
                        value: Some(expr),
                        index,
                    }))
                }
                Err(error) => {
                    errors.push(error);
                    skip_to_comma(input);
                    None
                }
            };
        }
        if fork.is_empty() || fork.peek(Token![,]) {
            input.advance_to(&fork);
            return Some(Item::Arg(Arg {
                key,
                eq: None,
                value: None,
                index,
            }));
        }
        if (fork.peek(Token![:]) && !fork.peek(Token![::])) || fork.peek(syn::token::Paren) {
            let name = key.unraw();
            errors.error(
                key.span(),
                format_args!(
                    "expected `=` after `{name}`, e.g. `{name} = {}`",
                    example(&name.to_string())
                ),
            );
            skip_to_comma(input);
            return None;
        }
    }
    let fork = input.fork();
    match fork.parse::<Expr>() {
        Ok(expr) => {
            input.advance_to(&fork);
            Some(Item::Positional { expr, index })
        }
        Err(error) => {
            errors.push(error);
            skip_to_comma(input);
            None
        }
    }
}

/// Skips token trees up to (not including) the next top-level comma.
fn skip_to_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// A known key given once with a value, ready to convert.
struct Given<'a> {
    /// The key's name (`r#` removed).
    key: &'a str,
    key_span: Span,
    value: &'a Expr,
    index: usize,
}

/// Checks `arg` against `attribute`: an unknown key, a duplicate, or a missing value is
/// reported and gives `None`.
fn accept<'a>(
    arg: &'a Arg,
    attribute: &Attribute,
    errors: &mut Errors,
    seen: &mut Seen,
) -> Option<Given<'a>> {
    let name = arg.key.unraw().to_string();
    let Some(&key) = attribute.keys.iter().find(|k| **k == name) else {
        errors.error(arg.key.span(), suggest::unknown_key(&name, attribute));
        return None;
    };
    if !errors.set_once(seen, key, arg.key.span()) {
        return None;
    }
    let Some(value) = &arg.value else {
        let span = arg.eq.map_or(arg.key.span(), |eq| eq.span);
        errors.error(
            span,
            format_args!("missing value for `{key}`, e.g. `{key} = {}`", example(key)),
        );
        return None;
    };
    Some(Given {
        key,
        key_span: arg.key.span(),
        value,
        index: arg.index,
    })
}

/// A typical value of `key`, for messages.
fn example(key: &str) -> &'static str {
    match key {
        "max_attempts" => "3",
        "max_retries" => "2",
        "backoff" => "exponential",
        "initial_delay" => "\"100ms\"",
        "max_delay" => "\"10s\"",
        "multiplier" => "2.0",
        "jitter" => "full",
        "max_elapsed" => "\"30s\"",
        "timeout" => "\"5s\"",
        "when" => "|e| e.is_transient()",
        "unless" => "|e| e.is_permanent()",
        "retry_after" => "|e| e.retry_after()",
        "on_retry" | "on_give_up" | "on_fallback" => "|event| log(event)",
        "on_state_change" => "|change| log(change)",
        "budget" => "\"api\"",
        "env" => "\"LLM\"",
        "policy" => "MY_POLICY",
        "crate" => "\"::retry_runtime\"",
        "name" => "\"openai\"",
        "failure_threshold" => "5",
        "failure_rate" => "0.5",
        "window" => "\"60s\"",
        "min_calls" => "10",
        "reset_timeout" => "\"30s\"",
        "success_threshold" => "2",
        "half_open_max_calls" => "1",
        "to" => "backup",
        _ => "...",
    }
}

// ---- values ----

impl Given<'_> {
    fn wrap<T>(&self, value: T) -> Setting<T> {
        Setting {
            value,
            key_span: self.key_span,
            value_span: self.value.span(),
            index: self.index,
        }
    }

    /// "`max_attempts = 3`".
    fn example(&self) -> String {
        format!("`{} = {}`", self.key, example(self.key))
    }

    fn error(&self, errors: &mut Errors, message: impl std::fmt::Display) {
        errors.error_spanned_by(self.value, message);
    }

    fn unhandled(&self, errors: &mut Errors, key: &str) {
        errors.error(self.key_span, format_args!("`{key}` is not supported yet"));
    }

    /// An integer literal in `min..=max`.
    fn integer(&self, errors: &mut Errors, min: u32, max: u32) -> Option<Setting<u32>> {
        let key = self.key;
        let (lit, negative) = match numeric(self.value) {
            Some(Numeric::Int { lit, negative }) if is_integer_suffix(lit.suffix()) => {
                (lit, negative)
            }
            _ => {
                let message = match string_lit(self.value) {
                    Some(s) if s.value().trim().parse::<u64>().is_ok() => format!(
                        "expected an integer, not a string: `{key} = {}`",
                        s.value().trim()
                    ),
                    _ => format!("expected an integer, e.g. {}", self.example()),
                };
                self.error(errors, message);
                return None;
            }
        };
        let Ok(n) = lit.base10_parse::<u128>() else {
            self.error(errors, format_args!("`{key}` is too large; at most {max}"));
            return None;
        };
        if (negative && n > 0) || n < u128::from(min) {
            let message = match min {
                0 => format!("`{key}` cannot be negative"),
                _ => format!("`{key}` must be at least {min}"),
            };
            self.error(errors, message);
            return None;
        }
        match u32::try_from(n) {
            Ok(n) if n <= max => Some(self.wrap(n)),
            _ => {
                self.error(errors, format_args!("`{key}` is too large; at most {max}"));
                None
            }
        }
    }

    /// A float or integer literal for which `valid` holds; otherwise "`key` {rule}".
    fn float(
        &self,
        errors: &mut Errors,
        valid: impl Fn(f64) -> bool,
        rule: &str,
    ) -> Option<Setting<f64>> {
        let key = self.key;
        let Some(value) = float_value(self.value) else {
            let message = match string_lit(self.value) {
                Some(s) if s.value().trim().parse::<f64>().is_ok() => format!(
                    "expected a number, not a string: `{key} = {}`",
                    s.value().trim()
                ),
                _ => format!("expected a number, e.g. {}", self.example()),
            };
            self.error(errors, message);
            return None;
        };
        if !value.is_finite() {
            self.error(errors, format_args!("`{key}` is too large"));
            return None;
        }
        if !valid(value) {
            let mut message = format!("`{key}` {rule}");
            // `failure_rate = 50` was meant as a percentage.
            if key == "failure_rate" && value > 1.0 && value <= 100.0 && value.fract() == 0.0 {
                message.push_str(&format!("; for {value}% write `{}`", value / 100.0));
            }
            self.error(errors, message);
            return None;
        }
        Some(self.wrap(value))
    }

    /// A duration string; with `nonzero`, `"0s"` is an error.
    fn duration(&self, errors: &mut Errors, nonzero: bool) -> Option<Setting<Duration>> {
        let key = self.key;
        if let Some(lit) = string_lit(self.value) {
            return match parse_duration_lit(lit) {
                Ok(d) if nonzero && d.is_zero() => {
                    self.error(errors, format_args!("`{key}` must be greater than zero"));
                    None
                }
                Ok(d) => Some(self.wrap(d)),
                Err(error) => {
                    errors.push(error);
                    None
                }
            };
        }
        let message = match numeric(self.value) {
            // `100ms` and `1.5s` lex as literals with a suffix.
            Some(number) if !number.suffix().is_empty() => {
                format!(
                    "write the duration as a string: `{key} = \"{}\"`",
                    number.text()
                )
            }
            Some(number) => format!(
                "a duration needs a unit and quotes: `{key} = \"{0}s\"` or `{key} = \"{0}ms\"`",
                number.text()
            ),
            None => format!("expected a duration string, e.g. {}", self.example()),
        };
        self.error(errors, message);
        None
    }

    /// A closure, a path or any other expression but a literal.
    fn callable(&self, errors: &mut Errors) -> Option<Setting<Expr>> {
        if let Expr::Lit(_) = strip(self.value) {
            self.error(
                errors,
                format_args!(
                    "`{}` expects a closure or a function, e.g. {}",
                    self.key,
                    self.example()
                ),
            );
            return None;
        }
        Some(self.wrap(self.value.clone()))
    }

    /// A string literal, for `budget` and `env`.
    fn string(&self, errors: &mut Errors) -> Option<&LitStr> {
        if let Some(lit) = string_lit(self.value) {
            return Some(lit);
        }
        let message = match single_ident(self.value) {
            Some(ident) => format!("write it as a string: `{} = \"{ident}\"`", self.key),
            None => format!("expected a string, e.g. {}", self.example()),
        };
        self.error(errors, message);
        None
    }

    /// A non-empty string.
    fn name(&self, errors: &mut Errors, empty: &str) -> Option<Setting<LitStr>> {
        let lit = self.string(errors)?;
        if lit.value().trim().is_empty() {
            self.error(errors, format_args!("{empty}, e.g. {}", self.example()));
            return None;
        }
        Some(self.wrap(lit.clone()))
    }

    /// An environment variable prefix: `"LLM"`.
    fn env(&self, errors: &mut Errors) -> Option<Setting<LitStr>> {
        let lit = self.string(errors)?;
        let prefix = lit.value();
        let message = if prefix.is_empty() {
            "`env` needs a prefix, e.g. `env = \"LLM\"`".to_owned()
        } else if !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            "`env` prefix must be uppercase letters, digits and `_`, e.g. \"LLM\"".to_owned()
        } else if prefix.starts_with(|c: char| c.is_ascii_digit()) {
            "`env` prefix must start with a letter or `_`".to_owned()
        } else if prefix.chars().any(|c| c.is_ascii_lowercase()) {
            format!(
                "`env` prefix must be uppercase: \"{}\"",
                prefix.to_ascii_uppercase()
            )
        } else if prefix.ends_with('_') {
            let bare = prefix.trim_end_matches('_');
            format!("`env` prefix must not end with `_`: \"{bare}\" already reads `{bare}_MAX_ATTEMPTS`")
        } else {
            return Some(self.wrap(lit.clone()));
        };
        self.error(errors, message);
        None
    }

    /// `policy = PATH`.
    fn policy(&self, errors: &mut Errors) -> Option<Setting<syn::Path>> {
        match strip(self.value) {
            Expr::Path(path) if path.qself.is_none() => Some(self.wrap(path.path.clone())),
            Expr::Path(_) => {
                self.error(
                    errors,
                    "`policy` takes a plain path such as `MY_POLICY` or `presets::FAST`; bind a qualified `<T as Trait>::POLICY` to a `const` first",
                );
                None
            }
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => {
                self.error(
                    errors,
                    format_args!("write the path without quotes: `policy = {}`", s.value()),
                );
                None
            }
            _ => {
                self.error(
                    errors,
                    "`policy` expects a path to a const or static `RetryPolicy`, e.g. `policy = MY_POLICY`",
                );
                None
            }
        }
    }

    /// `crate = "::path"`.
    fn krate(&self, errors: &mut Errors) -> Option<Setting<syn::Path>> {
        let Some(lit) = string_lit(self.value) else {
            let message = match strip(self.value) {
                Expr::Path(path) => format!(
                    "write the path as a string: `crate = \"{}\"`",
                    path_text(&path.path)
                ),
                _ => format!("expected a string path, e.g. {}", self.example()),
            };
            self.error(errors, message);
            return None;
        };
        match lit.parse::<syn::Path>() {
            Ok(path) => Some(self.wrap(path)),
            Err(_) => {
                self.error(errors, "`crate` must be a path such as \"::retry_runtime\"");
                None
            }
        }
    }

    fn backoff(&self, errors: &mut Errors) -> Option<Setting<Backoff>> {
        const ALIASES: &[(&str, &str)] = &[
            ("exp", "exponential"),
            ("constant", "fixed"),
            ("const", "fixed"),
            ("aws", "decorrelated"),
            ("decorrelated_jitter", "decorrelated"),
        ];
        let names = Backoff::NAMES.map(|(name, _)| name);
        let word = self.word(errors, "backoff", &names, ALIASES)?;
        let (_, backoff) = Backoff::NAMES.into_iter().find(|(name, _)| *name == word)?;
        Some(self.wrap(backoff))
    }

    fn jitter(&self, errors: &mut Errors) -> Option<Setting<Jitter>> {
        const ALIASES: &[(&str, &str)] = &[
            ("no", "none"),
            ("off", "none"),
            ("false", "none"),
            ("on", "full"),
            ("true", "full"),
            ("random", "full"),
            ("half", "equal"),
        ];
        if numeric(self.value).is_some() {
            let fraction = self.float(
                errors,
                |f| (0.0..=1.0).contains(&f),
                "fraction must be in 0.0..=1.0",
            )?;
            return Some(self.wrap(Jitter::Fraction(fraction.value)));
        }
        let word = self.word(errors, "jitter", &["none", "full", "equal"], ALIASES)?;
        let jitter = match word {
            "none" => Jitter::None,
            "equal" => Jitter::Equal,
            _ => Jitter::Full,
        };
        Some(self.wrap(jitter))
    }

    /// One of `names`, written as an identifier.
    fn word(
        &self,
        errors: &mut Errors,
        what: &str,
        names: &[&'static str],
        aliases: &[(&'static str, &'static str)],
    ) -> Option<&'static str> {
        let key = self.key;
        let expected = match key {
            "jitter" => format!(
                "expected one of {}, or a fraction in 0.0..=1.0",
                suggest::one_of(names)
            ),
            _ => format!("expected one of {}", suggest::one_of(names)),
        };
        let written = match strip(self.value) {
            Expr::Path(path) if path.qself.is_none() => path_text(&path.path),
            Expr::Lit(syn::ExprLit {
                lit: Lit::Bool(b), ..
            }) => b.value.to_string(),
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => {
                let text = s.value();
                let message = match names.iter().find(|n| **n == text) {
                    Some(name) => format!("write `{key} = {name}` without quotes"),
                    None => format!("expected an identifier, not a string: {expected}"),
                };
                self.error(errors, message);
                return None;
            }
            _ => {
                self.error(errors, expected);
                return None;
            }
        };
        if let Some(name) = names.iter().find(|n| **n == written) {
            return Some(*name);
        }
        // `Backoff::Linear`: judge the last segment.
        let last = written.rsplit("::").next().unwrap_or(&written);
        let near = suggest::alias(last, aliases).or_else(|| suggest::closest(last, names));
        let message = match near {
            Some(name) => format!("unknown {what} `{written}`; did you mean `{name}`?"),
            None => format!("unknown {what} `{written}`; {expected}"),
        };
        self.error(errors, message);
        None
    }
}

/// A breaker name: an identifier or a non-empty string.
fn breaker_name(expr: &Expr, errors: &mut Errors) -> Option<LitStr> {
    let name = if let Some(lit) = string_lit(expr) {
        lit.clone()
    } else if let Some(ident) = single_ident(expr) {
        LitStr::new(&ident.unraw().to_string(), ident.span())
    } else {
        errors.error_spanned_by(
            expr,
            "the breaker name must be an identifier or a string, e.g. `openai` or \"openai\"",
        );
        return None;
    };
    if name.value().trim().is_empty() {
        errors.error_spanned_by(expr, "the breaker name must not be empty");
        return None;
    }
    Some(name)
}

/// `to = a` or `to = [a, b]`: the valid targets (the others are reported).
fn fallback_targets(expr: &Expr, errors: &mut Errors) -> Vec<ExprPath> {
    let target = |expr: &Expr, errors: &mut Errors| match strip(expr) {
        Expr::Path(path) => Some(path.clone()),
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            errors.error_spanned_by(
                expr,
                format_args!("write the target without quotes: `{}`", s.value()),
            );
            None
        }
        _ => {
            errors.error_spanned_by(
                expr,
                "a fallback target must be a path to a function, e.g. `backup` or `Self::backup`",
            );
            None
        }
    };
    match strip(expr) {
        Expr::Array(array) => {
            if array.elems.is_empty() {
                errors
                    .error_spanned_by(expr, "`to` needs at least one target, e.g. `to = [backup]`");
            }
            array
                .elems
                .iter()
                .filter_map(|elem| target(elem, errors))
                .collect()
        }
        _ => target(expr, errors).into_iter().collect(),
    }
}

// ---- expression helpers ----

/// Looks through the invisible groups of `macro_rules!` fragments.
fn strip(mut expr: &Expr) -> &Expr {
    while let Expr::Group(group) = expr {
        expr = &group.expr;
    }
    expr
}

fn string_lit(expr: &Expr) -> Option<&LitStr> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit),
        _ => None,
    }
}

/// `openai` (a path of one identifier, no generics).
fn single_ident(expr: &Expr) -> Option<&Ident> {
    match strip(expr) {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
        _ => None,
    }
}

/// `a::b::C` as written, without spaces.
fn path_text(path: &syn::Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}

/// A numeric literal, possibly negated.
enum Numeric<'a> {
    Int { lit: &'a LitInt, negative: bool },
    Float { lit: &'a LitFloat, negative: bool },
}

impl Numeric<'_> {
    fn suffix(&self) -> &str {
        match self {
            Numeric::Int { lit, .. } => lit.suffix(),
            Numeric::Float { lit, .. } => lit.suffix(),
        }
    }

    /// As written, with its sign and suffix: `-1.5s`.
    fn text(&self) -> String {
        let (sign, text) = match self {
            Numeric::Int { lit, negative } => (*negative, lit.to_string()),
            Numeric::Float { lit, negative } => (*negative, lit.to_string()),
        };
        if sign {
            format!("-{text}")
        } else {
            text
        }
    }
}

fn numeric(expr: &Expr) -> Option<Numeric<'_>> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            Lit::Int(lit) => Some(Numeric::Int {
                lit,
                negative: false,
            }),
            Lit::Float(lit) => Some(Numeric::Float {
                lit,
                negative: false,
            }),
            _ => None,
        },
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match numeric(&unary.expr)? {
            Numeric::Int { lit, negative } => Some(Numeric::Int {
                lit,
                negative: !negative,
            }),
            Numeric::Float { lit, negative } => Some(Numeric::Float {
                lit,
                negative: !negative,
            }),
        },
        _ => None,
    }
}

fn is_integer_suffix(suffix: &str) -> bool {
    matches!(
        suffix,
        "" | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
    )
}

/// The value of a float or integer literal with no suffix or a numeric one.
fn float_value(expr: &Expr) -> Option<f64> {
    let (value, negative) = match numeric(expr)? {
        Numeric::Int { lit, negative } if is_integer_suffix(lit.suffix()) => {
            (lit.base10_digits().parse::<f64>().ok()?, negative)
        }
        Numeric::Float { lit, negative } if matches!(lit.suffix(), "" | "f32" | "f64") => {
            (lit.base10_digits().parse::<f64>().ok()?, negative)
        }
        _ => return None,
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each error as (message, the source text it points at).
    type Found = Vec<(String, String)>;

    fn found(errors: Errors) -> Found {
        errors
            .into_iter()
            .map(|e| {
                let text = e.span().source_text().unwrap_or_default();
                (e.to_string(), text)
            })
            .collect()
    }

    fn tokens(src: &str) -> TokenStream {
        src.parse().unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn retry(src: &str) -> (RetryArgs, Found) {
        let (args, errors) = RetryArgs::parse(tokens(src), Span::call_site());
        (args, found(errors))
    }

    fn breaker(src: &str) -> (BreakerArgs, Found) {
        let (args, errors) = BreakerArgs::parse(tokens(src), Span::call_site());
        (args, found(errors))
    }

    fn fallback(src: &str) -> (FallbackArgs, Found) {
        let (args, errors) = FallbackArgs::parse(tokens(src), Span::call_site());
        (args, found(errors))
    }

    /// The messages only.
    fn messages(found: &Found) -> Vec<&str> {
        found.iter().map(|(m, _)| m.as_str()).collect()
    }

    /// The one error of `found`, as (message, span text).
    fn only(found: Found) -> (String, String) {
        assert_eq!(found.len(), 1, "{found:#?}");
        found.into_iter().next().unwrap()
    }

    fn retry_error(src: &str) -> (String, String) {
        only(retry(src).1)
    }

    fn expr_text(expr: &Expr) -> String {
        quote::quote!(#expr).to_string()
    }

    // ---- retry: values ----

    #[test]
    fn retry_empty_is_valid() {
        let (args, found) = retry("");
        assert!(found.is_empty());
        assert!(args.max_attempts.is_none() && args.backoff.is_none() && args.krate.is_none());
    }

    #[test]
    fn retry_every_key() {
        let (args, found) = retry(
            r#"max_attempts = 5, backoff = linear, initial_delay = "250ms", max_delay = "1m30s",
               jitter = 0.25, max_elapsed = "2m", timeout = "1.5s",
               when = |e| e.is_transient(), unless = is_fatal, retry_after = Error::hint,
               on_retry = |ev| log(ev), on_give_up = |ev| { alert(ev) },
               budget = "api", env = "LLM_2", policy = crate::POLICY, crate = "::my::rt""#,
        );
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(args.max_attempts.as_ref().unwrap().value, 5);
        assert_eq!(args.backoff.as_ref().unwrap().value, Backoff::Linear);
        assert_eq!(
            args.initial_delay.unwrap().value,
            Duration::from_millis(250)
        );
        assert_eq!(args.max_delay.unwrap().value, Duration::from_secs(90));
        assert_eq!(args.jitter.unwrap().value, Jitter::Fraction(0.25));
        assert_eq!(args.max_elapsed.unwrap().value, Duration::from_secs(120));
        assert_eq!(args.timeout.unwrap().value, Duration::from_millis(1500));
        assert_eq!(
            expr_text(&args.when.unwrap().value),
            "| e | e . is_transient ()"
        );
        assert_eq!(expr_text(&args.unless.unwrap().value), "is_fatal");
        assert_eq!(expr_text(&args.retry_after.unwrap().value), "Error :: hint");
        assert!(args.on_retry.is_some() && args.on_give_up.is_some());
        assert_eq!(args.budget.unwrap().value.value(), "api");
        assert_eq!(args.env.unwrap().value.value(), "LLM_2");
        assert_eq!(path_text(&args.policy.unwrap().value), "crate::POLICY");
        assert_eq!(path_text(&args.krate.unwrap().value), "::my::rt");
    }

    #[test]
    fn retry_numbers() {
        let (args, found) = retry("max_retries = 0, multiplier = 3");
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(args.max_retries.unwrap().value, 0);
        assert_eq!(args.multiplier.unwrap().value, 3.0);
        let (args, found) = retry("multiplier = 1.5, jitter = 1, max_attempts = 7u32");
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(args.multiplier.unwrap().value, 1.5);
        assert_eq!(args.jitter.unwrap().value, Jitter::Fraction(1.0));
        assert_eq!(args.max_attempts.unwrap().value, 7);
    }

    #[test]
    fn retry_words() {
        for (src, backoff) in [
            ("exponential", Backoff::Exponential),
            ("linear", Backoff::Linear),
            ("fixed", Backoff::Fixed),
            ("decorrelated", Backoff::Decorrelated),
        ] {
            let (args, found) = retry(&format!("backoff = {src}"));
            assert!(found.is_empty());
            assert_eq!(args.backoff.unwrap().value, backoff);
            assert_eq!(backoff.name(), src);
        }
        for (src, jitter) in [
            ("none", Jitter::None),
            ("full", Jitter::Full),
            ("equal", Jitter::Equal),
        ] {
            let (args, found) = retry(&format!("jitter = {src}"));
            assert!(found.is_empty());
            assert_eq!(args.jitter.unwrap().value, jitter);
        }
    }

    #[test]
    fn spans_are_kept() {
        let (args, found) = retry(r#"max_delay = "5s", max_attempts = 4"#);
        assert!(found.is_empty());
        let max_attempts = args.max_attempts.unwrap();
        assert_eq!(max_attempts.key_span.source_text().unwrap(), "max_attempts");
        assert_eq!(max_attempts.value_span.source_text().unwrap(), "4");
        assert_eq!(max_attempts.index, 1);
        let max_delay = args.max_delay.unwrap();
        assert_eq!(max_delay.value_span.source_text().unwrap(), "\"5s\"");
        assert_eq!(max_delay.index, 0);
        assert_eq!(
            max_delay.later_key(&max_attempts).source_text().unwrap(),
            "max_attempts"
        );
        assert_eq!(
            max_attempts.later_key(&max_delay).source_text().unwrap(),
            "max_attempts"
        );
    }

    #[test]
    fn every_listed_key_is_handled() {
        type Parse = fn(&str) -> Found;
        let attributes: [(&Attribute, Parse); 3] = [
            (&suggest::RETRY, |s| retry(s).1),
            // `window` and `min_calls` need `failure_rate`.
            (&suggest::BREAKER, |s| {
                let rate = if s.starts_with("window") || s.starts_with("min_calls") {
                    ", failure_rate = 0.5"
                } else {
                    ""
                };
                breaker(&format!("x, {s}{rate}")).1
            }),
            (&suggest::FALLBACK, |s| fallback(&format!("to = a, {s}")).1),
        ];
        for (attribute, parse) in attributes {
            for key in attribute.keys {
                if matches!(*key, "name" | "to") {
                    continue;
                }
                let src = format!("{key} = {}", example(key));
                assert_eq!(parse(&src), Found::new(), "{src}");
            }
        }
    }

    // ---- retry: errors ----

    #[test]
    fn unknown_keys_suggest() {
        assert_eq!(
            retry_error("base_delay = \"1s\""),
            (
                "unknown key `base_delay`; did you mean `initial_delay`?".into(),
                "base_delay".into()
            )
        );
        assert_eq!(
            retry_error("max_atempts = 3").0,
            "unknown key `max_atempts`; did you mean `max_attempts`?"
        );
        assert_eq!(
            retry_error("r#retry_on = f").0,
            "unknown key `retry_on`; did you mean `when`?"
        );
        assert!(retry_error("colour = 3")
            .0
            .starts_with("unknown key `colour`; expected one of `max_attempts`"));
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let found = retry("max_attempts = 3, when = f, max_attempts = 4").1;
        assert_eq!(
            found,
            [(
                "duplicate key `max_attempts`".to_owned(),
                "max_attempts".to_owned()
            )]
        );
        // The first value is kept; the repeat's value is not even looked at.
        let (args, found) = retry(r#"max_attempts = 3, max_attempts = "x""#);
        assert_eq!(messages(&found), ["duplicate key `max_attempts`"]);
        assert_eq!(args.max_attempts.unwrap().value, 3);
        // A wrong first value still counts as given.
        let found = retry("max_attempts = 0, max_attempts = 2").1;
        assert_eq!(
            messages(&found),
            [
                "`max_attempts` must be at least 1",
                "duplicate key `max_attempts`"
            ]
        );
    }

    #[test]
    fn integers() {
        assert_eq!(
            retry_error("max_attempts = \"3\""),
            (
                "expected an integer, not a string: `max_attempts = 3`".into(),
                "\"3\"".into()
            )
        );
        assert_eq!(
            retry_error("max_attempts = 2.5").0,
            "expected an integer, e.g. `max_attempts = 3`"
        );
        assert_eq!(
            retry_error("max_attempts = N").0,
            "expected an integer, e.g. `max_attempts = 3`"
        );
        assert_eq!(
            retry_error("max_attempts = 0"),
            ("`max_attempts` must be at least 1".into(), "0".into())
        );
        assert_eq!(
            retry_error("max_attempts = -2"),
            ("`max_attempts` must be at least 1".into(), "-2".into())
        );
        assert_eq!(
            retry_error("max_retries = -1").0,
            "`max_retries` cannot be negative"
        );
        assert_eq!(
            retry_error("max_attempts = 4294967296").0,
            "`max_attempts` is too large; at most 4294967295"
        );
        assert_eq!(
            retry_error("max_retries = 4294967295").0,
            "`max_retries` is too large; at most 4294967294"
        );
        assert_eq!(
            retry_error("max_attempts = 999999999999999999999999999999999999999999").0,
            "`max_attempts` is too large; at most 4294967295"
        );
        assert_eq!(
            retry_error("max_attempts = 3ms").0,
            "expected an integer, e.g. `max_attempts = 3`"
        );
    }

    #[test]
    fn missing_values() {
        assert_eq!(
            retry_error("max_attempts"),
            (
                "missing value for `max_attempts`, e.g. `max_attempts = 3`".into(),
                "max_attempts".into()
            )
        );
        assert_eq!(
            retry_error("max_attempts =, backoff = fixed"),
            (
                "missing value for `max_attempts`, e.g. `max_attempts = 3`".into(),
                "=".into()
            )
        );
        assert_eq!(
            retry_error("initial_delay ="),
            (
                "missing value for `initial_delay`, e.g. `initial_delay = \"100ms\"`".into(),
                "=".into()
            )
        );
    }

    #[test]
    fn durations() {
        assert_eq!(
            retry_error("initial_delay = \"100\""),
            (
                "duration needs a unit: \"100ms\" or \"100s\" (units: ns, us, ms, s, m, h)".into(),
                "\"100\"".into()
            )
        );
        assert_eq!(
            retry_error("max_delay = \"5 minutes\"").0,
            "no spaces inside a duration: write \"1m30s\" or \"100ms\""
        );
        assert_eq!(
            retry_error("max_delay = \"5mins\"").0,
            "unknown duration unit `mins`; did you mean `m`?"
        );
        assert_eq!(
            retry_error("max_delay = \"\"").0,
            "empty duration; expected a number and a unit, e.g. \"100ms\""
        );
        assert_eq!(
            retry_error("initial_delay = 100ms"),
            (
                "write the duration as a string: `initial_delay = \"100ms\"`".into(),
                "100ms".into()
            )
        );
        assert_eq!(
            retry_error("timeout = 1.5s").0,
            "write the duration as a string: `timeout = \"1.5s\"`"
        );
        assert_eq!(
            retry_error("max_delay = 1m30s").0,
            "write the duration as a string: `max_delay = \"1m30s\"`"
        );
        assert_eq!(
            retry_error("timeout = 5").0,
            "a duration needs a unit and quotes: `timeout = \"5s\"` or `timeout = \"5ms\"`"
        );
        assert_eq!(
            retry_error("timeout = Duration::from_secs(5)").0,
            "expected a duration string, e.g. `timeout = \"5s\"`"
        );
    }

    #[test]
    fn zero_durations() {
        for key in ["max_delay", "timeout", "max_elapsed"] {
            assert_eq!(
                retry_error(&format!("{key} = \"0s\"")),
                (
                    format!("`{key}` must be greater than zero"),
                    "\"0s\"".into()
                )
            );
        }
        let (args, found) = retry("initial_delay = \"0ms\"");
        assert!(found.is_empty());
        assert_eq!(args.initial_delay.unwrap().value, Duration::ZERO);
    }

    #[test]
    fn multiplier_and_jitter_ranges() {
        assert_eq!(
            retry_error("multiplier = 0.5"),
            ("`multiplier` must be at least 1.0".into(), "0.5".into())
        );
        assert_eq!(
            retry_error("multiplier = -2.0").0,
            "`multiplier` must be at least 1.0"
        );
        assert_eq!(
            retry_error("multiplier = \"2\"").0,
            "expected a number, not a string: `multiplier = 2`"
        );
        assert_eq!(
            retry_error("multiplier = 1e999").0,
            "`multiplier` is too large"
        );
        assert_eq!(
            retry_error("jitter = 1.5"),
            (
                "`jitter` fraction must be in 0.0..=1.0".into(),
                "1.5".into()
            )
        );
        assert_eq!(
            retry_error("jitter = -0.1").0,
            "`jitter` fraction must be in 0.0..=1.0"
        );
    }

    #[test]
    fn word_values() {
        assert_eq!(
            retry_error("backoff = exponentail"),
            (
                "unknown backoff `exponentail`; did you mean `exponential`?".into(),
                "exponentail".into()
            )
        );
        assert_eq!(
            retry_error("backoff = constant").0,
            "unknown backoff `constant`; did you mean `fixed`?"
        );
        assert_eq!(
            retry_error("backoff = Backoff::Linear").0,
            "unknown backoff `Backoff::Linear`; did you mean `linear`?"
        );
        assert_eq!(
            retry_error("backoff = \"linear\"").0,
            "write `backoff = linear` without quotes"
        );
        assert_eq!(
            retry_error("backoff = quadratic").0,
            "unknown backoff `quadratic`; expected one of `exponential`, `linear`, `fixed`, `decorrelated`"
        );
        assert_eq!(
            retry_error("backoff = 2").0,
            "expected one of `exponential`, `linear`, `fixed`, `decorrelated`"
        );
        assert_eq!(
            retry_error("jitter = None").0,
            "unknown jitter `None`; did you mean `none`?"
        );
        assert_eq!(
            retry_error("jitter = true").0,
            "unknown jitter `true`; did you mean `full`?"
        );
        assert_eq!(
            retry_error("jitter = gaussian").0,
            "unknown jitter `gaussian`; expected one of `none`, `full`, `equal`, or a fraction in 0.0..=1.0"
        );
    }

    #[test]
    fn callables_strings_paths() {
        assert_eq!(
            retry_error("when = true"),
            (
                "`when` expects a closure or a function, e.g. `when = |e| e.is_transient()`".into(),
                "true".into()
            )
        );
        assert_eq!(
            retry_error("on_give_up = \"log\"").0,
            "`on_give_up` expects a closure or a function, e.g. `on_give_up = |event| log(event)`"
        );
        assert_eq!(
            retry_error("budget = api").0,
            "write it as a string: `budget = \"api\"`"
        );
        assert_eq!(
            retry_error("budget = \" \"").0,
            "`budget` needs a name, e.g. `budget = \"api\"`"
        );
        assert_eq!(
            retry_error("budget = 3").0,
            "expected a string, e.g. `budget = \"api\"`"
        );
        assert_eq!(
            retry_error("policy = \"FAST\"").0,
            "write the path without quotes: `policy = FAST`"
        );
        assert_eq!(
            retry_error("policy = <S as Presets>::FAST").0,
            "`policy` takes a plain path such as `MY_POLICY` or `presets::FAST`; bind a qualified `<T as Trait>::POLICY` to a `const` first"
        );
        assert_eq!(
            retry_error("policy = make()").0,
            "`policy` expects a path to a const or static `RetryPolicy`, e.g. `policy = MY_POLICY`"
        );
        assert_eq!(
            retry_error("crate = ::rt").0,
            "write the path as a string: `crate = \"::rt\"`"
        );
        assert_eq!(
            retry_error("crate = \"not a path\""),
            (
                "`crate` must be a path such as \"::retry_runtime\"".into(),
                "\"not a path\"".into()
            )
        );
    }

    #[test]
    fn env_prefixes() {
        for ok in ["LLM", "_X", "A1_B"] {
            assert!(retry(&format!("env = \"{ok}\"")).1.is_empty(), "{ok}");
        }
        let cases = [
            ("", "`env` needs a prefix, e.g. `env = \"LLM\"`"),
            (
                "LL M",
                "`env` prefix must be uppercase letters, digits and `_`, e.g. \"LLM\"",
            ),
            (
                "LLM-1",
                "`env` prefix must be uppercase letters, digits and `_`, e.g. \"LLM\"",
            ),
            ("1LLM", "`env` prefix must start with a letter or `_`"),
            ("llm", "`env` prefix must be uppercase: \"LLM\""),
            (
                "LLM_",
                "`env` prefix must not end with `_`: \"LLM\" already reads `LLM_MAX_ATTEMPTS`",
            ),
        ];
        for (prefix, message) in cases {
            assert_eq!(
                retry_error(&format!("env = \"{prefix}\"")).0,
                message,
                "{prefix:?}"
            );
        }
        assert_eq!(
            retry_error("env = LLM").0,
            "write it as a string: `env = \"LLM\"`"
        );
    }

    #[test]
    fn syntax_errors_are_recovered() {
        let found = retry("max_attempts: 3, backoff(fixed), 5, max_delay = \"0s\"").1;
        assert_eq!(
            found,
            [
                (
                    "expected `=` after `max_attempts`, e.g. `max_attempts = 3`".into(),
                    "max_attempts".into()
                ),
                (
                    "expected `=` after `backoff`, e.g. `backoff = exponential`".into(),
                    "backoff".into()
                ),
                (
                    "expected `key = value`, e.g. `max_attempts = 5`".into(),
                    "5".into()
                ),
                (
                    "`max_delay` must be greater than zero".into(),
                    "\"0s\"".into()
                ),
            ]
        );
        let found = retry("max_attempts = 3 4, jitter = full").1;
        assert_eq!(found, [("expected `,`".into(), "4".into())]);
        let found = retry("when = |e| , max_attempts = 0").1;
        assert_eq!(messages(&found).len(), 2, "{found:#?}");
        assert_eq!(messages(&found)[1], "`max_attempts` must be at least 1");
        // Closures with several parameters and generic paths keep their commas.
        let (args, found) = retry("when = |a, b| a == b, unless = f::<A, B>, max_attempts = 2");
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(args.max_attempts.unwrap().value, 2);
    }

    #[test]
    fn all_errors_of_one_attribute_together() {
        let found = retry(
            r#"max_attempts = 0, base_delay = "1s", max_delay = "100", multiplier = 0.5,
               jitter = 2.0, timeout = "0s", max_delay = "1s", when = 3, colour = red"#,
        )
        .1;
        let unknown = format!(
            "unknown key `colour`; expected one of {}",
            suggest::one_of(suggest::RETRY.keys)
        );
        assert_eq!(
            messages(&found),
            [
                "`max_attempts` must be at least 1",
                "unknown key `base_delay`; did you mean `initial_delay`?",
                "duration needs a unit: \"100ms\" or \"100s\" (units: ns, us, ms, s, m, h)",
                "`multiplier` must be at least 1.0",
                "`jitter` fraction must be in 0.0..=1.0",
                "`timeout` must be greater than zero",
                "duplicate key `max_delay`",
                "`when` expects a closure or a function, e.g. `when = |e| e.is_transient()`",
                unknown.as_str(),
            ]
        );
    }

    // ---- breaker ----

    #[test]
    fn breaker_names() {
        for src in [
            "openai",
            "\"openai\"",
            "name = \"openai\"",
            "name = openai",
            "r#openai",
        ] {
            let (args, found) = breaker(src);
            assert!(found.is_empty(), "{src}: {found:#?}");
            let name = args.name.unwrap();
            assert_eq!(name.value.value(), "openai", "{src}");
            assert_eq!(name.index, 0);
        }
        let (args, found) = breaker("failure_threshold = 3, name = \"db\"");
        assert!(found.is_empty());
        let name = args.name.unwrap();
        assert_eq!(name.key_span.source_text().unwrap(), "name");
        assert_eq!(name.value_span.source_text().unwrap(), "\"db\"");
    }

    #[test]
    fn breaker_name_errors() {
        assert_eq!(
            only(breaker("failure_threshold = 3").1).0,
            "missing the breaker name, e.g. `#[circuit_breaker(openai)]` or `#[circuit_breaker(\"openai\")]`"
        );
        assert_eq!(
            only(breaker("").1).0,
            only(breaker("failure_threshold = 3").1).0
        );
        assert_eq!(
            only(breaker("\"\"").1),
            ("the breaker name must not be empty".into(), "\"\"".into())
        );
        assert_eq!(
            only(breaker("3").1).0,
            "the breaker name must be an identifier or a string, e.g. `openai` or \"openai\""
        );
        assert_eq!(
            only(breaker("openai, name = \"x\"").1),
            ("the breaker name is given twice".into(), "name".into())
        );
        assert_eq!(
            only(breaker("reset_timeout = \"1s\", \"openai\"").1),
            (
                "the breaker name comes first: `#[circuit_breaker(\"openai\", ...)]`".into(),
                "\"openai\"".into()
            )
        );
        // An invalid name still counts as given: no "missing" on top.
        assert_eq!(messages(&breaker("name = 3").1).len(), 1);
    }

    #[test]
    fn breaker_every_key() {
        let (args, found) = breaker(
            r#"openai, failure_rate = 0.5, window = "30s", min_calls = 20, reset_timeout = "1m",
               success_threshold = 3, half_open_max_calls = 2, when = |e| !e.is_client(),
               on_state_change = report, env = "OPENAI", crate = "::rt""#,
        );
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(args.failure_rate.unwrap().value, 0.5);
        assert_eq!(args.window.unwrap().value, Duration::from_secs(30));
        assert_eq!(args.min_calls.unwrap().value, 20);
        assert_eq!(args.reset_timeout.unwrap().value, Duration::from_secs(60));
        assert_eq!(args.success_threshold.unwrap().value, 3);
        assert_eq!(args.half_open_max_calls.unwrap().value, 2);
        assert!(args.when.is_some() && args.on_state_change.is_some());
        assert_eq!(args.env.unwrap().value.value(), "OPENAI");
        assert!(args.krate.is_some());
        let (args, found) = breaker("x, failure_threshold = 7, failure_rate_ok = 1");
        assert_eq!(
            messages(&found),
            ["unknown key `failure_rate_ok`; did you mean `failure_rate`?"]
        );
        assert_eq!(args.failure_threshold.unwrap().value, 7);
        assert_eq!(
            breaker("x, failure_rate = 1").0.failure_rate.unwrap().value,
            1.0
        );
    }

    #[test]
    fn breaker_value_errors() {
        let found = breaker(
            r#"x, failure_threshold = 0, success_threshold = 0, half_open_max_calls = 0,
               min_calls = 0, reset_timeout = "0s", window = "0s", timeout = "1s""#,
        )
        .1;
        assert_eq!(
            messages(&found),
            [
                "`failure_threshold` must be at least 1",
                "`success_threshold` must be at least 1",
                "`half_open_max_calls` must be at least 1",
                "`min_calls` must be at least 1",
                "`reset_timeout` must be greater than zero",
                "`window` must be greater than zero",
                "unknown key `timeout`; did you mean `reset_timeout`?",
            ]
        );
        for (rate, message) in [
            ("0", "`failure_rate` must be in (0, 1]"),
            ("0.0", "`failure_rate` must be in (0, 1]"),
            ("-0.5", "`failure_rate` must be in (0, 1]"),
            ("1.01", "`failure_rate` must be in (0, 1]"),
            (
                "50",
                "`failure_rate` must be in (0, 1]; for 50% write `0.5`",
            ),
            ("500", "`failure_rate` must be in (0, 1]"),
        ] {
            let found = breaker(&format!("x, failure_rate = {rate}")).1;
            assert_eq!(only(found), (message.to_owned(), rate.to_owned()), "{rate}");
        }
        assert_eq!(
            only(breaker("x, max_attempts = 3").1).0,
            "unknown key `max_attempts` for `#[circuit_breaker]`; it belongs to `#[retry_on_failure]`"
        );
    }

    // ---- fallback ----

    #[test]
    fn fallback_targets_parse() {
        let (args, found) = fallback("to = backup");
        assert!(found.is_empty());
        let to = args.to.unwrap();
        assert_eq!(to.value.len(), 1);
        assert_eq!(to.key_span.source_text().unwrap(), "to");
        let (args, found) = fallback(
            "to = [Self::cache, remote::<T>, <T as Source>::fetch], when = |e| e.is_down(), on_fallback = log, crate = \"::rt\"",
        );
        assert!(found.is_empty(), "{found:#?}");
        let targets: Vec<String> = args
            .to
            .unwrap()
            .value
            .iter()
            .map(|p| quote::quote!(#p).to_string().replace(' ', ""))
            .collect();
        assert_eq!(
            targets,
            ["Self::cache", "remote::<T>", "<TasSource>::fetch"]
        );
        assert!(args.when.is_some() && args.on_fallback.is_some() && args.krate.is_some());
    }

    #[test]
    fn fallback_errors() {
        assert_eq!(
            only(fallback("when = f").1).0,
            "missing `to`: the function(s) to fall back to, e.g. `#[fallback(to = backup)]`"
        );
        assert_eq!(only(fallback("").1).0, only(fallback("when = f").1).0);
        assert_eq!(
            only(fallback("to = []").1),
            (
                "`to` needs at least one target, e.g. `to = [backup]`".into(),
                "[]".into()
            )
        );
        let (args, found) = fallback("to = [a, self.b, \"c\", d]");
        assert_eq!(
            found,
            [
                (
                    "a fallback target must be a path to a function, e.g. `backup` or `Self::backup`"
                        .into(),
                    "self.b".into()
                ),
                ("write the target without quotes: `c`".into(), "\"c\"".into()),
            ]
        );
        assert_eq!(args.to.unwrap().value.len(), 2);
        assert_eq!(only(fallback("backup").1).0, "expected `to = backup`");
        assert_eq!(
            only(fallback("Self::backup").1).0,
            "expected `to = Self::backup`"
        );
        assert_eq!(
            only(fallback("to = a, fallbacks = [b]").1).0,
            "unknown key `fallbacks`; did you mean `to`?"
        );
        assert_eq!(
            only(fallback("to = a, fallback_condition = f").1).0,
            "unknown key `fallback_condition`; did you mean `when`?"
        );
        assert_eq!(
            messages(&fallback("to = a, to = b, when = 1").1),
            [
                "duplicate key `to`",
                "`when` expects a closure or a function, e.g. `when = |e| e.is_transient()`"
            ]
        );
    }
}
