//! Parsing of the attributes' arguments into typed values that keep their spans.
//!
//! Each attribute's argument list is first split into items (`key = value`, a bare `key`,
//! or a positional expression such as a breaker's name) with syntax errors recovered at the
//! next top-level comma (this module); then every item is checked against the attribute's
//! key table ([`crate::keys`]), once, and its value converted by the kind of value the table
//! declares ([`convert`]) and stored by the attribute's own module ([`retry`], [`breaker`],
//! [`fallback`]). Single-value rules come from the key table; rules between keys are
//! [`crate::valid`]'s, run by the driver after parsing. Nothing stops at the first problem:
//! all of them end up in the returned [`Errors`].

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token};

use crate::errors::{Errors, Seen};
use crate::keys::{self, Attribute, Key, Kind};
use crate::suggest;

mod breaker;
mod convert;
pub(crate) mod duration;
mod duration_grammar;
mod fallback;
mod retry;
pub(crate) mod values;

pub(crate) use breaker::BreakerArgs;
pub(crate) use fallback::FallbackArgs;
pub(crate) use retry::RetryArgs;

/// One parsed attribute of a stack.
pub(crate) enum Layer {
    Retry(Box<RetryArgs>),
    Breaker(Box<BreakerArgs>),
    Fallback(Box<FallbackArgs>),
}

impl Layer {
    /// Parses the tokens inside the attribute `kind`. Every problem is in the returned
    /// errors; a missing required key is reported at `attr_span` (the attribute).
    pub(crate) fn parse(kind: Kind, tokens: TokenStream, attr_span: Span) -> (Layer, Errors) {
        match kind {
            Kind::Retry => {
                let (args, errors) = RetryArgs::parse(tokens, attr_span);
                (Layer::Retry(Box::new(args)), errors)
            }
            Kind::Breaker => {
                let (args, errors) = BreakerArgs::parse(tokens, attr_span);
                (Layer::Breaker(Box::new(args)), errors)
            }
            Kind::Fallback => {
                let (args, errors) = FallbackArgs::parse(tokens, attr_span);
                (Layer::Fallback(Box::new(args)), errors)
            }
        }
    }

    /// Its `crate = "..."`, if given.
    pub(crate) fn krate(&self) -> &Option<values::Setting<syn::Path>> {
        match self {
            Layer::Retry(a) => &a.krate,
            Layer::Breaker(a) => &a.krate,
            Layer::Fallback(a) => &a.krate,
        }
    }
}

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
            let arg = |value| {
                Some(Item::Arg(Arg {
                    key,
                    eq: Some(eq),
                    value,
                    index,
                }))
            };
            if input.is_empty() || input.peek(Token![,]) {
                return arg(None);
            }
            let value = input.fork();
            return match value.parse::<Expr>() {
                Ok(expr) => {
                    input.advance_to(&value);
                    arg(Some(expr))
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
                    keys::example_of(&name.to_string())
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

/// A key of the attribute given once, with its value: ready to convert.
struct KeyValue<'a> {
    key: Key,
    key_span: Span,
    value: &'a Expr,
    index: usize,
}

/// Checks `arg` against `attribute`'s key table: an unknown key, a duplicate, or a missing
/// value is reported and gives `None`.
fn accept<'a>(
    arg: &'a Arg,
    attribute: &Attribute,
    errors: &mut Errors,
    seen: &mut Seen,
) -> Option<KeyValue<'a>> {
    let name = arg.key.unraw().to_string();
    let Some(key) = attribute.key(&name) else {
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
            format_args!(
                "missing value for `{}`, e.g. {}",
                key.name(),
                key.example_text()
            ),
        );
        return None;
    };
    Some(KeyValue {
        key,
        key_span: arg.key.span(),
        value,
        index: arg.index,
    })
}

#[cfg(test)]
pub(crate) mod tests;
