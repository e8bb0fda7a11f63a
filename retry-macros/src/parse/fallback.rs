//! The arguments of `#[fallback(...)]`: the targets `to` fall back to, and options.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::{Expr, ExprPath, Lit};

use super::convert::{path_text, strip};
use super::items::{accept, parse_items, Arg, Item, KeyValue};
use super::values::Setting;
use crate::errors::{Errors, Seen};
use crate::keys::{self, Key};
use crate::suggest;

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

impl FallbackArgs {
    /// Parses the tokens inside `#[fallback(...)]`. A missing `to` is reported
    /// at `attr_span` (the attribute, e.g. `Span::call_site()`).
    pub(crate) fn parse(tokens: TokenStream, attr_span: Span) -> (Self, Errors) {
        let mut errors = Errors::new();
        let mut seen = Seen::default();
        let mut args = Self::default();
        let mut to_suggested = false;
        for item in parse_items(tokens, &mut errors) {
            match item {
                // `#[fallback(backup)]`
                Item::Arg(Arg {
                    key,
                    eq: None,
                    value: None,
                    ..
                }) if keys::FALLBACK.key(&key.unraw().to_string()).is_none() => {
                    errors.error(key.span(), format_args!("expected `to = {key}`"));
                    seen.mark(Key::To);
                }
                Item::Arg(arg) => {
                    // `fallbacks = [..]`: reported as "did you mean `to`?", not also as missing.
                    let key = arg.key.unraw().to_string();
                    if suggest::key_alias(&key, &keys::FALLBACK) == Some(Key::To) {
                        to_suggested = true;
                    }
                    if let Some(given) = accept(&arg, &keys::FALLBACK, &mut errors, &mut seen) {
                        args.store(&given, &mut errors);
                    }
                }
                Item::Positional { expr, .. } => {
                    let message = match strip(&expr) {
                        Expr::Path(path) => format!("expected `to = {}`", path_text(&path.path)),
                        _ => "expected `key = value`, e.g. `to = backup`".to_owned(),
                    };
                    errors.error_spanned_by(&expr, message);
                    seen.mark(Key::To);
                }
            }
        }
        if !seen.contains(Key::To) && !to_suggested {
            errors.error(
                attr_span,
                "missing `to`: the function(s) to fall back to, e.g. `#[fallback(to = backup)]`",
            );
        }
        (args, errors)
    }

    /// Converts `given` by its key's kind and keeps it in its field.
    fn store(&mut self, given: &KeyValue<'_>, errors: &mut Errors) {
        match given.key {
            Key::To => self.to = Some(given.wrap(fallback_targets(given.value, errors))),
            Key::When => self.when = given.callable(errors),
            Key::OnFallback => self.on_fallback = given.callable(errors),
            Key::Crate => self.krate = given.krate(errors),
            other => unreachable!("`{}` is not a key of #[fallback]", other.name()),
        }
    }
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
