//! Attribute macros of `retry-runtime`. Use them through `retry_runtime`, which re-exports
//! them with their documentation: `use retry_runtime::retry_on_failure;`.
//!
//! The crate is organised like the models of its kind: `attr` parses each attribute's
//! arguments keeping every value's span, `valid` checks the rules between keys, `ctxt` collects
//! every error of one attribute, `shape` understands the function an attribute sits on (shared
//! by all three attributes), and `expand_*` generate thin calls into the runtime's
//! `__private` module. On any error the function is emitted unchanged beside the errors, so the
//! rest of the crate keeps type-checking.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

// `BreakerArgs`, `FallbackArgs` and a few helpers serve `#[circuit_breaker]` and `#[fallback]`,
// whose expansions come next.
#[allow(dead_code)]
mod attr;
#[allow(dead_code)]
mod ctxt;
mod duration;
mod expand_retry;
mod retry;
mod shape;
mod suggest;
mod valid;

/// Retries the function when it returns `Err`: see `retry_runtime::retry_on_failure`.
#[proc_macro_attribute]
pub fn retry_on_failure(args: TokenStream, item: TokenStream) -> TokenStream {
    retry::retry_on_failure(args.into(), item.into()).into()
}
