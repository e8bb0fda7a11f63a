//! The arguments of `#[circuit_breaker(...)]`: a name first, then keys.

use std::time::Duration;

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr};

use super::convert::{single_ident, string_lit, strip};
use super::items::{accept, parse_items, Arg, Item, KeyValue};
use super::values::{Env, Setting};
use crate::errors::{Errors, Seen};
use crate::keys::{self, Key};

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
    /// `key = <expr>`: any expression, evaluated per call; its value names the call's breaker.
    pub(crate) key: Option<Setting<Expr>>,
    /// `max_keys = 1024`: `>= 1`; only with `key`.
    pub(crate) max_keys: Option<Setting<u32>>,
    /// `open_error = <expr>`: any expression but a literal.
    pub(crate) open_error: Option<Setting<Expr>>,
    /// `env = "OPENAI"`, as in [`RetryArgs::env`].
    pub(crate) env: Option<Setting<Env>>,
    /// `crate = "..."`, as in [`RetryArgs::krate`].
    pub(crate) krate: Option<Setting<syn::Path>>,
}

impl BreakerArgs {
    /// Parses the tokens inside `#[circuit_breaker(...)]`. A missing name is
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
                    value: None,
                    index: 0,
                }) => {
                    let _ = errors.set_once(&mut seen, Key::Name, key.span());
                    let name = LitStr::new(&key.unraw().to_string(), key.span());
                    args.name = Some(Setting {
                        value: name,
                        key_span: key.span(),
                        value_span: key.span(),
                        index: 0,
                    });
                }
                Item::Arg(arg) => {
                    if arg.key == "name" && seen.contains(Key::Name) {
                        errors.error(arg.key.span(), "the breaker name is given twice");
                        continue;
                    }
                    if let Some(given) = accept(&arg, &keys::BREAKER, &mut errors, &mut seen) {
                        args.store(&given, &mut errors);
                    }
                }
                // `#[circuit_breaker("openai", ...)]`
                Item::Positional { expr, index: 0 } => {
                    let _ = errors.set_once(&mut seen, Key::Name, expr.span());
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
                        if seen.mark(Key::Name) {
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
        if !seen.contains(Key::Name) {
            errors.error(
                attr_span,
                "missing the breaker name, e.g. `#[circuit_breaker(openai)]` or `#[circuit_breaker(\"openai\")]`",
            );
        }
        (args, errors)
    }

    /// Converts `given` by its key's kind and keeps it in its field.
    fn store(&mut self, given: &KeyValue<'_>, errors: &mut Errors) {
        match given.key {
            Key::Name => {
                self.name = breaker_name(given.value, errors).map(|name| given.wrap(name));
            }
            Key::FailureThreshold => self.failure_threshold = given.count(errors),
            Key::FailureRate => self.failure_rate = given.number(errors),
            Key::Window => self.window = given.duration(errors),
            Key::MinCalls => self.min_calls = given.count(errors),
            Key::ResetTimeout => self.reset_timeout = given.duration(errors),
            Key::SuccessThreshold => self.success_threshold = given.count(errors),
            Key::HalfOpenMaxCalls => self.half_open_max_calls = given.count(errors),
            Key::When => self.when = given.callable(errors),
            Key::OnStateChange => self.on_state_change = given.callable(errors),
            Key::Partition => self.key = Some(given.expression()),
            Key::MaxKeys => self.max_keys = given.count(errors),
            Key::OpenError => self.open_error = given.callable(errors),
            Key::Env => self.env = given.env(errors),
            Key::Crate => self.krate = given.krate(errors),
            other => unreachable!("`{}` is not a key of #[circuit_breaker]", other.name()),
        }
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
