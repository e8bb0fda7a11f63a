//! The items of an argument list: split at top-level commas with syntax errors recovered at
//! the next one, and each `key = value` (or `key(...)`, for a key whose value is a list)
//! checked against the attribute's key table.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token};

use crate::errors::{Errors, Seen};
use crate::keys::{self, Attribute, Key, Value};
use crate::suggest;

/// `key = value`, `key =` (no value), a bare `key`, or `key(...)`.
pub(super) struct Arg {
    /// The key, keywords allowed (`crate`).
    pub(super) key: Ident,
    /// The `=`, if any.
    pub(super) eq: Option<Token![=]>,
    /// The value; `None` when nothing follows the `=` or there is no `=`. For `key(...)`,
    /// the parenthesized list as it is written (see [`list`]).
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
        // `env(...)`: the list is kept whole, for the key's own parser (see `list`).
        let after = fork.fork();
        if let Ok(group) = after.parse::<Group>() {
            if group.delimiter() == Delimiter::Parenthesis
                && (after.is_empty() || after.peek(Token![,]))
            {
                input.advance_to(&after);
                return Some(Item::Arg(Arg {
                    key,
                    eq: None,
                    value: Some(Expr::Verbatim(TokenTree::Group(group).into())),
                    index,
                }));
            }
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

/// The parenthesized list of `key(...)`: an [`Arg`]'s value kept as `Expr::Verbatim` of one
/// group, a form no `key = value` produces (`key = (..)` parses as a parenthesized expression
/// or a tuple).
pub(super) fn list(value: &Expr) -> Option<Group> {
    let Expr::Verbatim(tokens) = value else {
        return None;
    };
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::Parenthesis => {
            Some(group)
        }
        _ => None,
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
    /// The attribute it was given to.
    pub(super) attribute: &'static Attribute,
    pub(super) key: Key,
    pub(super) key_span: Span,
    pub(super) value: &'a Expr,
    pub(super) index: usize,
}

/// Checks `arg` against `attribute`'s key table: an unknown key, a duplicate, a missing
/// value, or a list given to a key that takes none is reported and gives `None`.
pub(super) fn accept<'a>(
    arg: &'a Arg,
    attribute: &'static Attribute,
    errors: &mut Errors,
    seen: &mut Seen,
) -> Option<KeyValue<'a>> {
    let name = arg.key.unraw().to_string();
    let listed = arg.eq.is_none() && arg.value.as_ref().and_then(list).is_some();
    let takes_list = attribute
        .key(&name)
        .is_some_and(|key| matches!(key.value(), Value::Env));
    if listed && !takes_list {
        errors.error(
            arg.key.span(),
            format_args!(
                "expected `=` after `{name}`, e.g. `{name} = {}`",
                keys::example_of(&name)
            ),
        );
        return None;
    }
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
        attribute,
        key,
        key_span: arg.key.span(),
        value,
        index: arg.index,
    })
}
