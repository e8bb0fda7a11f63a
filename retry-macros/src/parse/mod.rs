//! Parsing of the attributes' arguments into typed values that keep their spans.
//!
//! Each attribute's argument list is first split into items (`key = value`, a bare `key`,
//! or a positional expression such as a breaker's name) with syntax errors recovered at the
//! next top-level comma ([`items`]); then every item is checked against the attribute's
//! key table ([`crate::keys`]), once, and its value converted by the kind of value the table
//! declares ([`convert`]) and stored by the attribute's own module ([`retry`], [`breaker`],
//! [`fallback`]). Single-value rules come from the key table; rules between keys are
//! [`crate::valid`]'s, run by the driver after parsing. Nothing stops at the first problem:
//! all of them end up in the returned [`Errors`].

use proc_macro2::{Span, TokenStream};

use crate::errors::Errors;
use crate::keys::Kind;

mod breaker;
mod convert;
pub(crate) mod duration;
mod duration_grammar;
mod env;
mod fallback;
mod items;
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

#[cfg(test)]
pub(crate) mod tests;
