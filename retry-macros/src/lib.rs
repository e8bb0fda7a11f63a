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

mod attr;
mod ctxt;
mod duration;
mod expand_breaker;
mod expand_fallback;
mod expand_retry;
mod retry;
mod shape;
mod stack;
mod suggest;
mod valid;

/// Retries the function when it returns `Err`: see `retry_runtime::retry_on_failure`.
#[proc_macro_attribute]
pub fn retry_on_failure(args: TokenStream, item: TokenStream) -> TokenStream {
    stack::expand(stack::Kind::Retry, args.into(), item.into()).into()
}

/// Guards the function with a named circuit breaker: see `retry_runtime::circuit_breaker`.
#[proc_macro_attribute]
pub fn circuit_breaker(args: TokenStream, item: TokenStream) -> TokenStream {
    stack::expand(stack::Kind::Breaker, args.into(), item.into()).into()
}

/// Calls other functions when this one fails: see `retry_runtime::fallback`.
#[proc_macro_attribute]
pub fn fallback(args: TokenStream, item: TokenStream) -> TokenStream {
    stack::expand(stack::Kind::Fallback, args.into(), item.into()).into()
}
