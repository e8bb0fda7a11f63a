//! The `env` key's value: a prefix, `env = "LLM"`, or a list naming a variable per key,
//! `env(prefix = "LLM", initial_delay = "RETRY_BASE_DELAY")`. Each entry of a list is checked
//! here against the keys the attribute reads from the environment ([`Attribute::env`]): an
//! unknown key (with a suggestion), a key with no environment form, a key given twice, a
//! value that is no string, an empty list. The form of the names and the rules between them
//! are [`crate::valid`]'s.

use proc_macro2::{Group, Span};
use quote::quote;
use syn::ext::IdentExt;
use syn::{Ident, LitStr};

use super::convert::{single_ident, string_lit};
use super::items::{list, parse_items, Arg, Item, KeyValue};
use super::values::{Env, EnvVariable, Setting};
use crate::errors::{Errors, Seen};
use crate::keys::{Attribute, Key, ATTRIBUTES};
use crate::suggest;

impl KeyValue<'_> {
    /// `env = "LLM"` (a prefix; its form is [`crate::valid`]'s rule) or `env(...)`.
    pub(super) fn env(&self, errors: &mut Errors) -> Option<Setting<Env>> {
        let Some(group) = list(self.value) else {
            let prefix = self.string(errors)?.clone();
            return Some(self.wrap(Env {
                prefix: Some(prefix),
                named: Vec::new(),
            }));
        };
        let env = read_list(self.attribute, self.key_span, &group, errors)?;
        Some(self.wrap(env))
    }
}

/// What an entry of `env(...)` sets.
#[derive(Clone, Copy)]
enum Entry {
    Prefix,
    Variable(Key),
}

/// The entries of `env(...)` (`group` is the parenthesized list, `key_span` the `env`);
/// `None` when none was right.
fn read_list(
    attribute: &'static Attribute,
    key_span: Span,
    group: &Group,
    errors: &mut Errors,
) -> Option<Env> {
    let items = parse_items(group.stream(), errors);
    if items.is_empty() && group.stream().is_empty() {
        let env = Ident::new("env", key_span);
        let first = attribute.env.first().copied().unwrap_or(Key::MaxRetries);
        errors.error_spanned_by(
            quote!(#env #group),
            format_args!(
                "`env()` names no variable: name one per key, e.g. `env({})`, or give a prefix, `env = \"LLM\"`",
                example(Entry::Variable(first))
            ),
        );
        return None;
    }
    let mut env = Env::default();
    let mut seen = Seen::default();
    let mut prefix_seen = false;
    for item in items {
        let arg = match item {
            Item::Arg(arg) => arg,
            Item::Positional { expr, .. } => {
                let message = match string_lit(&expr) {
                    Some(lit) => format!(
                        "write a prefix as `env = {0}`, or as `prefix = {0}` in the list",
                        quote!(#lit)
                    ),
                    None => format!(
                        "expected `key = \"VARIABLE\"`, e.g. `{}`",
                        example(Entry::Variable(Key::MaxRetries))
                    ),
                };
                errors.error_spanned_by(&expr, message);
                continue;
            }
        };
        let name = arg.key.unraw().to_string();
        let entry = if name == "prefix" {
            Entry::Prefix
        } else {
            match attribute.key(&name) {
                Some(key) if attribute.env.contains(&key) => Entry::Variable(key),
                Some(_) => {
                    errors.error(
                        arg.key.span(),
                        format_args!(
                            "`{name}` has no environment form: `env(...)` names variables for {}, and takes a `prefix`",
                            env_key_list(attribute)
                        ),
                    );
                    continue;
                }
                None => {
                    errors.error(arg.key.span(), unknown_key(&name, attribute));
                    continue;
                }
            }
        };
        let first = match entry {
            Entry::Prefix => !std::mem::replace(&mut prefix_seen, true),
            Entry::Variable(key) => seen.mark(key),
        };
        if !first {
            errors.error(arg.key.span(), format_args!("duplicate key `{name}`"));
            continue;
        }
        let Some(lit) = variable(&arg, &entry, errors) else {
            continue;
        };
        match entry {
            Entry::Prefix => env.prefix = Some(lit),
            Entry::Variable(key) => env.named.push(EnvVariable { key, variable: lit }),
        }
    }
    (env.prefix.is_some() || !env.named.is_empty()).then_some(env)
}

/// The string an entry names, or its error.
fn variable(arg: &Arg, entry: &Entry, errors: &mut Errors) -> Option<LitStr> {
    let name = arg.key.unraw();
    let value = match &arg.value {
        Some(value) if arg.eq.is_some() => value,
        Some(_) => {
            let message = format!("expected `=` after `{name}`, e.g. `{}`", example(*entry));
            errors.error(arg.key.span(), message);
            return None;
        }
        None => {
            let span = arg.eq.map_or(arg.key.span(), |eq| eq.span);
            let message = format!("missing value for `{name}`, e.g. `{}`", example(*entry));
            errors.error(span, message);
            return None;
        }
    };
    if let Some(lit) = string_lit(value) {
        return Some(lit.clone());
    }
    let message = match single_ident(value) {
        Some(ident) => format!("write it as a string: `{name} = \"{ident}\"`"),
        None => format!(
            "expected a variable name as a string, e.g. `{}`",
            example(*entry)
        ),
    };
    errors.error_spanned_by(value, message);
    None
}

/// `prefix = "LLM"`, `max_retries = "LLM_MAX_RETRIES"`.
fn example(entry: Entry) -> String {
    match entry {
        Entry::Prefix => "prefix = \"LLM\"".to_owned(),
        Entry::Variable(key) => format!(
            "{} = \"LLM_{}\"",
            key.name(),
            key.name().to_ascii_uppercase()
        ),
    }
}

/// "`max_attempts`, `max_retries`, ...": the keys `attribute` reads from the environment.
fn env_key_list(attribute: &Attribute) -> String {
    let names: Vec<&str> = attribute.env.iter().map(|key| key.name()).collect();
    suggest::one_of(&names)
}

/// The message for an unknown key `word` inside `env(...)` of `attribute`: another library's
/// name for one of its keys (`base_delay`), a near spelling, or a key another attribute reads
/// from the environment.
fn unknown_key(word: &str, attribute: &Attribute) -> String {
    let mut names = vec!["prefix"];
    names.extend(attribute.env.iter().map(|key| key.name()));
    let near = match suggest::key_alias(word, attribute) {
        Some(Key::Env) => Some("prefix"),
        Some(key) if attribute.env.contains(&key) => Some(key.name()),
        _ => suggest::closest(word, &names),
    };
    if let Some(name) = near {
        return format!("unknown key `{word}` in `env(...)`; did you mean `{name}`?");
    }
    if let Some(other) = ATTRIBUTES
        .iter()
        .find(|other| other.env.iter().any(|key| key.name() == word))
    {
        return format!(
            "unknown key `{word}` in `env(...)` of `#[{}]`; it belongs to `#[{}]`",
            attribute.name, other.name
        );
    }
    format!(
        "unknown key `{word}` in `env(...)`; expected `prefix` or one of {}",
        env_key_list(attribute)
    )
}

#[cfg(test)]
mod tests;
