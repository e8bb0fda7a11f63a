//! The arguments of `#[rate_limit(...)]` and `#[concurrency_limit(...)]`: a name first (as a
//! breaker's), then keys.

use std::time::Duration;

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, LitStr};

use super::convert::{single_ident, string_lit};
use super::items::{accept, parse_items, Arg, Item, KeyValue};
use super::values::Setting;
use crate::errors::{Errors, Seen};
use crate::keys::{self, Attribute, Key};
use crate::suggest;

/// The arguments of `#[rate_limit(...)]`; see [`RetryArgs`](super::RetryArgs) for what is left
/// out on errors.
#[derive(Default)]
pub(crate) struct RateLimitArgs {
    /// The limiter's name, as a breaker's. `None` only with an error.
    pub(crate) name: Option<Setting<LitStr>>,
    /// `rate = 500`: `>= 1`; required.
    pub(crate) rate: Option<Setting<u32>>,
    /// `per = "1m"`: greater than zero.
    pub(crate) per: Option<Setting<Duration>>,
    /// `burst = 10`: `>= 1`.
    pub(crate) burst: Option<Setting<u32>>,
    /// `cost = <expr>`: a `u32` evaluated per call.
    pub(crate) cost: Option<Setting<Expr>>,
    /// `max_wait = "5s"`.
    pub(crate) max_wait: Option<Setting<Duration>>,
    /// `pause_on = <expr>`: any expression but a literal.
    pub(crate) pause_on: Option<Setting<Expr>>,
    /// `limited_error = <expr>`: any expression but a literal.
    pub(crate) limited_error: Option<Setting<Expr>>,
    /// `crate = "..."`.
    pub(crate) krate: Option<Setting<syn::Path>>,
}

/// The arguments of `#[concurrency_limit(...)]`.
#[derive(Default)]
pub(crate) struct ConcurrencyLimitArgs {
    /// The limit's name, as a breaker's. `None` only with an error.
    pub(crate) name: Option<Setting<LitStr>>,
    /// `max = 8`: `>= 1`; required.
    pub(crate) max: Option<Setting<u32>>,
    /// `max_wait = "5s"`.
    pub(crate) max_wait: Option<Setting<Duration>>,
    /// `limited_error = <expr>`: any expression but a literal.
    pub(crate) limited_error: Option<Setting<Expr>>,
    /// `crate = "..."`.
    pub(crate) krate: Option<Setting<syn::Path>>,
}

impl RateLimitArgs {
    /// Parses the tokens inside `#[rate_limit(...)]`; a missing name or `rate` is reported at
    /// `attr_span`.
    pub(crate) fn parse(tokens: TokenStream, attr_span: Span) -> (Self, Errors) {
        let mut args = Self::default();
        let (name, mut errors, seen) =
            parse_named(tokens, &keys::RATE_LIMIT, |given, errors| match given.key {
                Key::Rate => args.rate = given.count(errors),
                Key::Per => args.per = given.duration(errors),
                Key::Burst => args.burst = given.count(errors),
                Key::Cost => args.cost = Some(given.wrap(given.value.clone())),
                Key::MaxWait => args.max_wait = given.duration(errors),
                Key::PauseOn => args.pause_on = given.callable(errors),
                Key::LimitedError => args.limited_error = given.callable(errors),
                Key::Crate => args.krate = given.krate(errors),
                other => unreachable!("`{}` is not a key of #[rate_limit]", other.name()),
            });
        args.name = name;
        missing(
            &mut errors,
            &seen,
            &keys::RATE_LIMIT,
            attr_span,
            Key::Rate,
            "`#[rate_limit(openai, rate = 500, per = \"1m\")]`",
        );
        (args, errors)
    }
}

impl ConcurrencyLimitArgs {
    /// Parses the tokens inside `#[concurrency_limit(...)]`; a missing name or `max` is
    /// reported at `attr_span`.
    pub(crate) fn parse(tokens: TokenStream, attr_span: Span) -> (Self, Errors) {
        let mut args = Self::default();
        let (name, mut errors, seen) = parse_named(
            tokens,
            &keys::CONCURRENCY_LIMIT,
            |given, errors| match given.key {
                Key::Max => args.max = given.count(errors),
                Key::MaxWait => args.max_wait = given.duration(errors),
                Key::LimitedError => args.limited_error = given.callable(errors),
                Key::Crate => args.krate = given.krate(errors),
                other => unreachable!("`{}` is not a key of #[concurrency_limit]", other.name()),
            },
        );
        args.name = name;
        missing(
            &mut errors,
            &seen,
            &keys::CONCURRENCY_LIMIT,
            attr_span,
            Key::Max,
            "`#[concurrency_limit(openai, max = 8)]`",
        );
        (args, errors)
    }
}

/// A missing name or required key, reported once at the attribute.
fn missing(
    errors: &mut Errors,
    seen: &Seen,
    attribute: &Attribute,
    attr_span: Span,
    required: Key,
    example: &str,
) {
    if !seen.contains(Key::Name) {
        errors.error(
            attr_span,
            format_args!("missing the limiter name first, e.g. {example}"),
        );
    } else if !seen.contains(required) {
        errors.error(
            attr_span,
            format_args!(
                "`#[{}]` needs `{}`, e.g. {example}",
                attribute.name,
                required.name()
            ),
        );
    }
}

/// The name first (an identifier or a string, or `name = ...`), then the keys of
/// `attribute`, each accepted one handed to `store`.
fn parse_named(
    tokens: TokenStream,
    attribute: &'static Attribute,
    mut store: impl FnMut(&KeyValue<'_>, &mut Errors),
) -> (Option<Setting<LitStr>>, Errors, Seen) {
    // A key written under another library's name counts as given (its error says which).
    let mut errors = Errors::new();
    let mut seen = Seen::default();
    let mut name = None;
    let mut suggested = Vec::new();
    let at = |value: LitStr, span: Span| Setting {
        value,
        key_span: span,
        value_span: span,
        index: 0,
    };
    for item in parse_items(tokens, &mut errors) {
        match item {
            Item::Arg(Arg {
                key,
                eq: None,
                index: 0,
                ..
            }) => {
                let _ = errors.set_once(&mut seen, Key::Name, key.span());
                name = Some(at(
                    LitStr::new(&key.unraw().to_string(), key.span()),
                    key.span(),
                ));
            }
            Item::Arg(arg) => {
                // `rpm = 500`: reported as "did you mean `rate`", not also as missing.
                let word = arg.key.unraw().to_string();
                if attribute.key(&word).is_none() {
                    if let Some(key) = suggest::key_alias(&word, attribute) {
                        suggested.push(key);
                    }
                }
                if arg.key == "name" && seen.contains(Key::Name) {
                    errors.error(arg.key.span(), "the limiter name is given twice");
                    continue;
                }
                if let Some(given) = accept(&arg, attribute, &mut errors, &mut seen) {
                    if given.key == Key::Name {
                        name = limiter_name(given.value, &mut errors).map(|n| given.wrap(n));
                    } else {
                        store(&given, &mut errors);
                    }
                }
            }
            Item::Positional { expr, index: 0 } => {
                let _ = errors.set_once(&mut seen, Key::Name, expr.span());
                name = limiter_name(&expr, &mut errors).map(|n| at(n, expr.span()));
            }
            Item::Positional { expr, .. } => {
                if string_lit(&expr).is_some() && !seen.contains(Key::Name) {
                    seen.mark(Key::Name);
                    errors.error_spanned_by(
                        &expr,
                        format_args!(
                            "the limiter name comes first: `#[{}(\"name\", ...)]`",
                            attribute.name
                        ),
                    );
                } else {
                    errors.error_spanned_by(
                        &expr,
                        format_args!(
                            "expected `key = value`, e.g. {}",
                            attribute.keys[1].0.example_text()
                        ),
                    );
                }
            }
        }
    }
    for key in suggested {
        seen.mark(key);
    }
    (name, errors, seen)
}

/// A limiter name: an identifier or a non-empty string.
fn limiter_name(expr: &Expr, errors: &mut Errors) -> Option<LitStr> {
    let name = if let Some(lit) = string_lit(expr) {
        lit.clone()
    } else if let Some(ident) = single_ident(expr) {
        LitStr::new(&ident.unraw().to_string(), ident.span())
    } else {
        errors.error_spanned_by(
            expr,
            "the limiter name must be an identifier or a string, e.g. `openai` or \"openai\"",
        );
        return None;
    };
    if name.value().trim().is_empty() {
        errors.error_spanned_by(expr, "the limiter name must not be empty");
        return None;
    }
    Some(name)
}
