//! Attribute macros of `retry-runtime`. Use them through `retry_runtime`, which re-exports
//! them with their documentation: `use retry_runtime::{retry_on_failure, circuit_breaker, fallback};`.
//!
//! The crate is organised like the models of its kind: `attr` parses each attribute's
//! arguments keeping every value's span, `valid` checks the rules between keys, `ctxt` collects
//! every error of one attribute, `shape` understands the function an attribute sits on (shared
//! by all three attributes), `stack` is the one entry point, and `expand_*` generate thin calls
//! into the runtime's `__private` module. On any error the function is emitted unchanged beside
//! the errors, so the rest of the crate keeps type-checking.
//!
//! # Stacking: one fused wrapper
//!
//! Attributes apply outermost first. The outermost of ours is expanded first and takes the
//! ones below it off the function, so a stack becomes one expansion in which each attribute is
//! a layer: an expression producing the function's result that wraps the layer below (the
//! innermost wraps the user's body). `#[fallback] #[retry_on_failure] #[circuit_breaker]`
//! becomes, in outline,
//!
//! ```text
//! match <retry loop: each attempt is { breaker.try_acquire(); <body once>; verdict }> {
//!     Ok(v) => Ok(v),
//!     Err(e) => <the fallback targets in turn>,
//! }
//! ```
//!
//! One fused wrapper rather than one wrapper per attribute, for three reasons: each attribute
//! would otherwise wrap the body of the one above it in the wrong order (an attribute macro
//! sees the attributes below it, not the code they will generate); layers can cooperate (a
//! breaker that rejects a call raises a flag the retry above reads as "give up now", so no
//! sleep and no further attempt happen); and the
//! layers share one type marker and one `static Site` (the function's name and statistics).
//! The imports of the attributes taken over stay in use through a `use <path> as _;` in the
//! body, so a strict crate gets no "unused import" warning.

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
