//! The items of an argument list: split at top-level commas with syntax errors recovered at
//! the next one, and each `key = value` checked against the attribute's key table.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token};

use crate::errors::{Errors, Seen};
use crate::keys::{self, Attribute, Key};
use crate::suggest;

/// `key = value`, `key =` (no value), or a bare `key`.
pub(super) struct Arg {
    /// The key, keywords allowed (`crate`).
    pub(super) key: Ident,
    /// The `=`, if any.
    pub(super) eq: Option<Token![=]>,
    /// The value; `None` when nothing follows the `=` or there is no `=`.
    pub(super) value: Option<Expr>,
    /// Position in the list.
    pub(super) index: usize,
}

/// One comma-separated argument.
pub(super) enum Item {
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
pub(super) fn parse_items(tokens: TokenStream, errors: &mut Errors) -> Vec<Item> {
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
pub(super) struct KeyValue<'a> {
    pub(super) key: Key,
    pub(super) key_span: Span,
    pub(super) value: &'a Expr,
    pub(super) index: usize,
}

/// Checks `arg` against `attribute`'s key table: an unknown key, a duplicate, or a missing
/// value is reported and gives `None`.
pub(super) fn accept<'a>(
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
