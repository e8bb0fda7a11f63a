//! Error collection: every problem in an attribute is reported in one build.
//!
//! Parsing and validation push into an [`Errors`] instead of returning at the first
//! mistake; the expansion folds them into one [`syn::Error`] with
//! [`combine`](syn::Error::combine) and emits them beside the user's function
//! (serde_derive's `internals/ctxt.rs` does the same). It sits at the ground floor with
//! [`crate::keys`]: every other stage reports through it.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

use crate::keys::Key;

/// The errors found so far in one attribute, in source order of discovery.
#[derive(Default)]
#[must_use = "collected errors must be emitted"]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// No errors yet.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Records an error. A combined error is split into its parts.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.extend(error);
    }

    /// Records `message` at `span`.
    pub(crate) fn error(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records `message` spanning all of `tokens` (from their first to their last token).
    pub(crate) fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Takes over every error of `other`.
    pub(crate) fn append(&mut self, other: Errors) {
        self.errors.extend(other.errors);
    }

    /// Whether nothing went wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many errors were recorded.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    /// The recorded errors, in order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &syn::Error> {
        self.errors.iter()
    }

    /// All errors folded into one with [`syn::Error::combine`], or `None` if there are none.
    #[cfg(test)]
    pub(crate) fn combine(self) -> Option<syn::Error> {
        self.errors.into_iter().reduce(|mut all, next| {
            all.combine(next);
            all
        })
    }

    /// `Ok(())` when there are no errors, otherwise all of them as one error.
    #[cfg(test)]
    pub(crate) fn into_result(self) -> syn::Result<()> {
        match self.combine() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Marks `key` (written at `span`) as given in this attribute. The first time it returns
    /// `true`; a repeat is reported as "duplicate key" at the repeat and returns `false`, so
    /// the caller ignores that occurrence. This is the only duplicate check: every key goes
    /// through it.
    pub(crate) fn set_once(&mut self, seen: &mut Seen, key: Key, span: Span) -> bool {
        let first = seen.mark(key);
        if !first {
            self.error(span, format_args!("duplicate key `{}`", key.name()));
        }
        first
    }

    /// One `compile_error! { "..." }` per error, each at its own span; empty when there are
    /// none. The braces make each valid in item and statement position without a `;`.
    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}

impl IntoIterator for Errors {
    type Item = syn::Error;
    type IntoIter = std::vec::IntoIter<syn::Error>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

/// The keys already given in one attribute (see [`Errors::set_once`]).
#[derive(Default)]
pub(crate) struct Seen {
    keys: Vec<Key>,
}

impl Seen {
    /// Whether `key` was given already.
    pub(crate) fn contains(&self, key: Key) -> bool {
        self.keys.contains(&key)
    }

    /// Records `key` as given without reporting anything; `true` if it was not yet. For a
    /// key given in another form (a breaker's positional name) that was reported otherwise.
    pub(crate) fn mark(&mut self, key: Key) -> bool {
        let first = !self.contains(key);
        if first {
            self.keys.push(key);
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errors: &Errors) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn collects_and_combines_in_order() {
        let mut errors = Errors::new();
        assert!(errors.is_empty());
        errors.error(Span::call_site(), "first");
        errors.error_spanned_by(quote::quote!(a + b), "second");
        let mut other = Errors::new();
        other.error(Span::call_site(), "third");
        errors.append(other);
        assert_eq!(errors.len(), 3);
        assert_eq!(messages(&errors), ["first", "second", "third"]);

        let combined = errors.combine().expect("three errors");
        let parts: Vec<String> = combined.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(parts, ["first", "second", "third"]);
    }

    #[test]
    fn a_combined_error_is_split_when_pushed() {
        let mut a = syn::Error::new(Span::call_site(), "a");
        a.combine(syn::Error::new(Span::call_site(), "b"));
        let mut errors = Errors::new();
        errors.push(a);
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn empty_means_ok_and_no_tokens() {
        assert!(Errors::new().to_compile_errors().is_empty());
        assert!(Errors::new().into_result().is_ok());
        assert!(Errors::new().combine().is_none());
    }

    #[test]
    fn compile_errors_are_statements() {
        let mut errors = Errors::new();
        errors.error(Span::call_site(), "one");
        errors.error(Span::call_site(), "two");
        let text = errors.to_compile_errors().to_string();
        assert_eq!(text.matches("compile_error").count(), 2);
        assert_eq!(text.matches('{').count(), 2, "{text}");
        assert!(errors.into_result().is_err());
    }

    #[test]
    fn set_once_reports_every_repeat() {
        let mut errors = Errors::new();
        let mut seen = Seen::default();
        assert!(errors.set_once(&mut seen, Key::MaxAttempts, Span::call_site()));
        assert!(errors.set_once(&mut seen, Key::MaxDelay, Span::call_site()));
        assert!(!errors.set_once(&mut seen, Key::MaxAttempts, Span::call_site()));
        assert!(!errors.set_once(&mut seen, Key::MaxAttempts, Span::call_site()));
        assert!(seen.contains(Key::MaxDelay));
        assert_eq!(
            messages(&errors),
            [
                "duplicate key `max_attempts`",
                "duplicate key `max_attempts`"
            ]
        );
    }
}
