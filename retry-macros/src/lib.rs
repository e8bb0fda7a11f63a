//! Attribute macros of `retry-runtime`. Use them through `retry_runtime`, which re-exports
//! them with their documentation: `use retry_runtime::{retry_on_failure, circuit_breaker, fallback};`
//! (and `rate_limit`, `concurrency_limit`).
//!
//! # Layers
//!
//! Dependencies point one way, from the entry points down to the ground floor:
//!
//! 1. `lib.rs`: the five entry points, each a call to `driver`.
//! 2. `driver`: parse -> validate -> expand for a stack of attributes, in one function.
//! 3. `expand`: `fused` puts a stack's layers together; `retry`, `breaker`, `fallback` and
//!    `limit` (the two limiters) each build one layer of thin calls into the runtime's `__private` module; `expand`'s
//!    own file holds the token helpers they share.
//! 4. `valid`: every rule between values (between keys, and between an attribute and its
//!    function).
//! 5. `parse`: `retry`, `breaker`, `fallback` and `limit` hold each attribute's arguments, read
//!    through `items` (the list split with recovery at the next comma, each key checked
//!    against the key table) and `convert` (typed values that keep their spans, with
//!    `duration` for literals); `shape`: the function an
//!    attribute sits on (receiver, arguments, asyncness, how fallback targets receive the
//!    arguments), shared by all three attributes.
//! 6. `suggest`: "did you mean" for unknown keys and words, fed by `keys`.
//! 7. Ground floor: `keys` (every key declared once: name, kind of value, example, other
//!    libraries' names), `errors` (every error of an attribute collected), `parse::values`
//!    (the value types), and `parse/duration_grammar.rs`, the runtime's own `duration.rs`
//!    (durations and numbers, `std` only) compiled here through a symlink.
//!
//! On any error the function is emitted unchanged beside the errors, so the rest of the crate
//! keeps type-checking.
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

mod driver;
mod errors;
mod expand;
mod keys;
mod parse;
mod shape;
mod suggest;
mod valid;

use keys::Kind;

/// Retries the function when it returns `Err`: see `retry_runtime::retry_on_failure`.
#[proc_macro_attribute]
pub fn retry_on_failure(args: TokenStream, item: TokenStream) -> TokenStream {
    driver::expand(Kind::Retry, args.into(), item.into()).into()
}

/// Guards the function with a named circuit breaker: see `retry_runtime::circuit_breaker`.
#[proc_macro_attribute]
pub fn circuit_breaker(args: TokenStream, item: TokenStream) -> TokenStream {
    driver::expand(Kind::Breaker, args.into(), item.into()).into()
}

/// Calls other functions when this one fails: see `retry_runtime::fallback`.
#[proc_macro_attribute]
pub fn fallback(args: TokenStream, item: TokenStream) -> TokenStream {
    driver::expand(Kind::Fallback, args.into(), item.into()).into()
}

/// Paces calls through a named rate limiter: see `retry_runtime::rate_limit`.
#[proc_macro_attribute]
pub fn rate_limit(args: TokenStream, item: TokenStream) -> TokenStream {
    driver::expand(Kind::RateLimit, args.into(), item.into()).into()
}

/// Bounds the calls in flight under a name: see `retry_runtime::concurrency_limit`.
#[proc_macro_attribute]
pub fn concurrency_limit(args: TokenStream, item: TokenStream) -> TokenStream {
    driver::expand(Kind::ConcurrencyLimit, args.into(), item.into()).into()
}
