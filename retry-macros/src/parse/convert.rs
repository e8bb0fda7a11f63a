//! Conversion of one accepted `key = value` into its typed value, by the kind of value the
//! key table declares ([`Value`]), with the single-value rules the table gives (bounds,
//! "greater than zero", ranges). Also the small expression helpers the attribute modules
//! share.

use std::time::Duration;

use syn::spanned::Spanned;
use syn::{Expr, Ident, Lit, LitFloat, LitInt, LitStr, UnOp};

use super::duration::{parse_duration_lit, parse_number, NumberError};
use super::items::KeyValue;
use super::values::{Backoff, Jitter, PolicyValue, Setting, TimeoutValue};
use crate::errors::Errors;
use crate::keys::{Range, Value};
use crate::suggest;

impl KeyValue<'_> {
    /// The value with this key's spans and position.
    pub(super) fn wrap<T>(&self, value: T) -> Setting<T> {
        Setting {
            value,
            key_span: self.key_span,
            value_span: self.value.span(),
            index: self.index,
        }
    }

    fn error(&self, errors: &mut Errors, message: impl std::fmt::Display) {
        errors.error_spanned_by(self.value, message);
    }

    /// The table declares another kind of value for this key than the store asks for.
    fn wrong_kind(&self) -> ! {
        unreachable!("`{}` is declared as another kind of value", self.key.name())
    }

    /// An integer literal in the key's `min..=max`.
    pub(super) fn count(&self, errors: &mut Errors) -> Option<Setting<u32>> {
        let Value::Count { min, max } = self.key.value() else {
            self.wrong_kind()
        };
        let key = self.key.name();
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
                    _ => format!("expected an integer, e.g. {}", self.key.example_text()),
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

    /// A float or integer literal in the key's range.
    pub(super) fn number(&self, errors: &mut Errors) -> Option<Setting<f64>> {
        let Value::Number(range) = self.key.value() else {
            self.wrong_kind()
        };
        self.in_range(errors, range)
    }

    /// A float or integer literal in `range`; otherwise "`key` {rule}".
    fn in_range(&self, errors: &mut Errors, range: Range) -> Option<Setting<f64>> {
        let key = self.key.name();
        let value = match number_value(self.value) {
            Some(Ok(value)) => value,
            Some(Err(error)) => {
                self.error(errors, error);
                return None;
            }
            None => {
                let message = match string_lit(self.value) {
                    Some(s) if parse_number(&s.value()).is_ok() => format!(
                        "expected a number, not a string: `{key} = {}`",
                        s.value().trim()
                    ),
                    _ => format!("expected a number, e.g. {}", self.key.example_text()),
                };
                self.error(errors, message);
                return None;
            }
        };
        if !(range.contains)(value) {
            let mut message = format!("`{key}` {}", range.rule);
            // `failure_rate = 50` was meant as a percentage.
            if range.percent_hint && value > 1.0 && value <= 100.0 && value.fract() == 0.0 {
                message.push_str(&format!("; for {value}% write `{}`", value / 100.0));
            }
            self.error(errors, message);
            return None;
        }
        Some(self.wrap(value))
    }

    /// A duration string; `"0s"` is an error where the key says `nonzero`.
    pub(super) fn duration(&self, errors: &mut Errors) -> Option<Setting<Duration>> {
        let Value::Duration { nonzero } = self.key.value() else {
            self.wrong_kind()
        };
        self.duration_literal(errors, nonzero).map(|d| self.wrap(d))
    }

    /// A duration string; `"0s"` is an error with `nonzero`.
    fn duration_literal(&self, errors: &mut Errors, nonzero: bool) -> Option<Duration> {
        let key = self.key.name();
        if let Some(lit) = string_lit(self.value) {
            return match parse_duration_lit(lit) {
                Ok(d) if nonzero && d.is_zero() => {
                    self.error(errors, format_args!("`{key}` must be greater than zero"));
                    None
                }
                Ok(d) => Some(d),
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
            None => format!(
                "expected a duration string, e.g. {}",
                self.key.example_text()
            ),
        };
        self.error(errors, message);
        None
    }

    /// A closure, a path or any other expression but a literal.
    pub(super) fn callable(&self, errors: &mut Errors) -> Option<Setting<Expr>> {
        if let Expr::Lit(_) = strip(self.value) {
            self.error(
                errors,
                format_args!(
                    "`{}` expects a closure or a function, e.g. {}",
                    self.key.name(),
                    self.key.example_text()
                ),
            );
            return None;
        }
        Some(self.wrap(self.value.clone()))
    }

    /// Any expression (a breaker's `key`).
    pub(super) fn expression(&self) -> Setting<Expr> {
        self.wrap(self.value.clone())
    }

    /// A string literal, for `budget` and `env`.
    pub(super) fn string(&self, errors: &mut Errors) -> Option<&LitStr> {
        if let Some(lit) = string_lit(self.value) {
            return Some(lit);
        }
        let message = match single_ident(self.value) {
            Some(ident) => format!("write it as a string: `{} = \"{ident}\"`", self.key.name()),
            None => format!("expected a string, e.g. {}", self.key.example_text()),
        };
        self.error(errors, message);
        None
    }

    /// A non-empty string.
    pub(super) fn label(&self, errors: &mut Errors) -> Option<Setting<LitStr>> {
        let Value::Label { empty } = self.key.value() else {
            self.wrong_kind()
        };
        let lit = self.string(errors)?;
        if lit.value().trim().is_empty() {
            self.error(
                errors,
                format_args!("{empty}, e.g. {}", self.key.example_text()),
            );
            return None;
        }
        Some(self.wrap(lit.clone()))
    }

    /// `policy = PATH` (a constant), or any other expression (a policy read at run time).
    pub(super) fn policy(&self, errors: &mut Errors) -> Option<Setting<PolicyValue>> {
        let message = match strip(self.value) {
            Expr::Path(path) if path.qself.is_none() => {
                return Some(self.wrap(PolicyValue::Path(path.path.clone())))
            }
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => format!("write the path without quotes: `policy = {}`", s.value()),
            Expr::Lit(_) => "`policy` expects a `RetryPolicy`: a path to a const or static such as `policy = MY_POLICY`, or an expression such as `policy = self.retry_policy`".to_owned(),
            _ => return Some(self.wrap(PolicyValue::Runtime(self.value.clone()))),
        };
        self.error(errors, message);
        None
    }

    /// `timeout = "5s"`, or an expression of type `Duration` or `Option<Duration>`.
    pub(super) fn timeout(&self, errors: &mut Errors) -> Option<Setting<TimeoutValue>> {
        let Value::DurationOrExpr = self.key.value() else {
            self.wrong_kind()
        };
        if string_lit(self.value).is_some() || numeric(self.value).is_some() {
            let d = self.duration_literal(errors, true)?;
            return Some(self.wrap(TimeoutValue::Fixed(d)));
        }
        if let Expr::Lit(_) = strip(self.value) {
            self.error(
                errors,
                format_args!(
                    "expected a duration string or a `Duration` expression, e.g. {}",
                    self.key.example_text()
                ),
            );
            return None;
        }
        Some(self.wrap(TimeoutValue::Runtime(Box::new(self.value.clone()))))
    }

    /// `crate = "::path"`.
    pub(super) fn krate(&self, errors: &mut Errors) -> Option<Setting<syn::Path>> {
        let Some(lit) = string_lit(self.value) else {
            let message = match strip(self.value) {
                Expr::Path(path) => format!(
                    "write the path as a string: `crate = \"{}\"`",
                    path_text(&path.path)
                ),
                _ => format!("expected a string path, e.g. {}", self.key.example_text()),
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

    /// One of the backoff words.
    pub(super) fn backoff(&self, errors: &mut Errors) -> Option<Setting<Backoff>> {
        let expected = format!("expected one of {}", one_of_words(Backoff::WORDS));
        let backoff = self.word(errors, &expected, Backoff::WORDS, Backoff::ALIASES)?;
        Some(self.wrap(backoff))
    }

    /// One of the jitter words, or a fraction in the key's range.
    pub(super) fn jitter(&self, errors: &mut Errors) -> Option<Setting<Jitter>> {
        let Value::Jitter(range) = self.key.value() else {
            self.wrong_kind()
        };
        if numeric(self.value).is_some() {
            let fraction = self.in_range(errors, range)?;
            return Some(self.wrap(Jitter::Fraction(fraction.value)));
        }
        let expected = format!(
            "expected one of {}, or a fraction in 0.0..=1.0",
            one_of_words(Jitter::WORDS)
        );
        let jitter = self.word(errors, &expected, Jitter::WORDS, Jitter::ALIASES)?;
        Some(self.wrap(jitter))
    }

    /// One of `words`, written as an identifier; `expected` says what is allowed.
    fn word<T: Copy + PartialEq>(
        &self,
        errors: &mut Errors,
        expected: &str,
        words: &[(&'static str, T)],
        aliases: &[(&'static str, T)],
    ) -> Option<T> {
        let key = self.key.name();
        let names: Vec<&str> = words.iter().map(|&(name, _)| name).collect();
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
        if let Some(&(_, value)) = words.iter().find(|(name, _)| *name == written) {
            return Some(value);
        }
        // `Backoff::Linear`: judge the last segment.
        let last = written.rsplit("::").next().unwrap_or(&written);
        let near = suggest::alias(last, aliases.iter().copied())
            .and_then(|value| words.iter().find(|(_, w)| *w == value))
            .map(|&(name, _)| name)
            .or_else(|| suggest::closest(last, &names));
        // The key's name is also the word for what it sets: "unknown backoff".
        let message = match near {
            Some(name) => format!("unknown {key} `{written}`; did you mean `{name}`?"),
            None => format!("unknown {key} `{written}`; {expected}"),
        };
        self.error(errors, message);
        None
    }
}

/// "`a`, `b`" for the words of a value.
fn one_of_words<T>(words: &[(&str, T)]) -> String {
    let names: Vec<&str> = words.iter().map(|&(name, _)| name).collect();
    suggest::one_of(&names)
}

// ---- expression helpers ----

/// Looks through the invisible groups of `macro_rules!` fragments.
pub(super) fn strip(mut expr: &Expr) -> &Expr {
    while let Expr::Group(group) = expr {
        expr = &group.expr;
    }
    expr
}

pub(super) fn string_lit(expr: &Expr) -> Option<&LitStr> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit),
        _ => None,
    }
}

/// `openai` (a path of one identifier, no generics).
pub(super) fn single_ident(expr: &Expr) -> Option<&Ident> {
    match strip(expr) {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
        _ => None,
    }
}

/// `a::b::C` as written, without spaces.
pub(super) fn path_text(path: &syn::Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}

/// A numeric literal, possibly negated.
pub(super) enum Numeric<'a> {
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

pub(super) fn numeric(expr: &Expr) -> Option<Numeric<'_>> {
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

/// The value of a float or integer literal with no suffix or a numeric one, read by the
/// shared number rule (finite); `None` when the expression is no such literal.
fn number_value(expr: &Expr) -> Option<Result<f64, NumberError>> {
    let (digits, negative) = match numeric(expr)? {
        Numeric::Int { lit, negative } if is_integer_suffix(lit.suffix()) => {
            (lit.base10_digits(), negative)
        }
        Numeric::Float { lit, negative } if matches!(lit.suffix(), "" | "f32" | "f64") => {
            (lit.base10_digits(), negative)
        }
        _ => return None,
    };
    Some(parse_number(digits).map(|value| if negative { -value } else { value }))
}
