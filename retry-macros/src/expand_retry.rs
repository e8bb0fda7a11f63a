//! Code generation of `#[retry_on_failure]`: a thin call into the runtime's loop.
//!
//! A sync function becomes
//!
//! ```text
//! fn f(args) -> R {
//!     let marker = Marker::new();
//!     if false { return marker.value(); }          // ties the marker to R
//!     const POLICY: RetryPolicy = <base>.<setters>; // checked at compile time
//!     let retry = Retry::new(&POLICY).function("f").when(marker.predicate(<when>))...;
//!     retry.run(|| { <body> })                      // `?` and `return` end one attempt
//! }
//! ```
//!
//! and an async one loops on a fresh `async { <body> }` per attempt, so the arguments are
//! borrowed anew each time and the future stays `Send` when the body's is:
//!
//! ```text
//!     let mut call = marker.async_call(&retry);
//!     loop {
//!         let result = async { <body> }.await;
//!         match call.judge(result) { Done(r) => return r, Again(d) => pause(d).await }
//!     }
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Block, Expr, LitStr};

use crate::shape::{Flavor, Function};

/// Everything the expansion needs, already validated.
pub(crate) struct RetryPlan {
    /// Path of the runtime crate (`::retry_runtime` unless `crate = "..."`).
    pub(crate) krate: TokenStream,
    /// The starting policy: `RetryPolicy::exponential()` (or the `backoff` key's constructor),
    /// or the user's `policy = P` path.
    pub(crate) base: TokenStream,
    /// Setter calls applied to `base`, each spanned at its key (`.max_attempts(5)`).
    pub(crate) setters: Vec<TokenStream>,
    pub(crate) when: Option<Expr>,
    pub(crate) unless: Option<Expr>,
    pub(crate) retry_after: Option<Expr>,
    pub(crate) on_retry: Option<Expr>,
    pub(crate) on_give_up: Option<Expr>,
    pub(crate) env: Option<LitStr>,
    /// Whether the attribute itself has a `timeout` key.
    pub(crate) timeout: Option<Span>,
    /// Whether `policy = P` was given (then P must not carry a timeout the site cannot apply).
    pub(crate) from_policy: Option<Span>,
}

pub(crate) fn expand(function: Function, plan: RetryPlan) -> TokenStream {
    let krate = &plan.krate;
    let private = quote!(#krate::__private);
    let flavor = function.flavor;
    let name = function.sig().ident.to_string();
    let has_receiver = function.has_receiver();
    let return_span = function.return_span();

    let marker = format_ident!("__retry_marker", span = Span::mixed_site());
    let retry = format_ident!("__retry", span = Span::mixed_site());
    let policy_const = format_ident!("__RETRY_POLICY", span = Span::mixed_site());

    let base = &plan.base;
    let setters = &plan.setters;
    let policy_item = quote! {
        const #policy_const: #krate::RetryPolicy = #base #(#setters)*;
    };

    // A policy's timeout is applied only where the attribute can see it is wanted: the
    // conversion `From<AttemptTimedOut>` is required only then.
    let policy_timeout_check = match (plan.from_policy, plan.timeout) {
        (Some(span), None) => {
            let message = if flavor.is_async() {
                "`policy` sets a per-attempt timeout: repeat it as a `timeout = \"...\"` key on the attribute, so the error type's `From<AttemptTimedOut>` is required and the timeout applied"
            } else {
                "`policy` sets a per-attempt timeout, which a sync function cannot apply"
            };
            quote_spanned! {span=>
                const _: () = ::core::assert!(#policy_const.get_timeout().is_none(), #message);
            }
        }
        _ => TokenStream::new(),
    };

    let policy_ref = match &plan.env {
        Some(prefix) => {
            let env_static = format_ident!("__RETRY_ENV", span = Span::mixed_site());
            quote! {{
                static #env_static: #private::EnvPolicy = #private::EnvPolicy::new(#policy_const, #prefix);
                #env_static.get()
            }}
        }
        None => quote!(&#policy_const),
    };

    let naming = if has_receiver {
        let cache = format_ident!("__RETRY_NAME", span = Span::mixed_site());
        quote! {
            .method({
                static #cache: #private::MethodName = #private::MethodName::new(#name);
                &#cache
            }, ::core::any::type_name::<Self>)
        }
    } else {
        quote!(.function(#name))
    };

    let mut options = TokenStream::new();
    let typed = |expr: &Expr, how: &str, method: &str| {
        let how = format_ident!("{}", how);
        let method = format_ident!("{}", method);
        quote!(.#method(#marker.#how(#expr)))
    };
    if let Some(e) = &plan.when {
        options.extend(typed(e, "predicate", "when"));
    }
    if let Some(e) = &plan.unless {
        options.extend(typed(e, "predicate", "unless"));
    }
    if let Some(e) = &plan.retry_after {
        options.extend(typed(e, "hint", "retry_after"));
    }
    if let Some(e) = &plan.on_retry {
        options.extend(typed(e, "event_hook", "on_retry"));
    }
    if let Some(e) = &plan.on_give_up {
        options.extend(typed(e, "event_hook", "on_give_up"));
    }

    let timeout_check = match plan.timeout {
        Some(span) => quote_spanned!(span=> #marker.check_timeout();),
        None => TokenStream::new(),
    };

    let prologue = quote! {
        let #marker = #private::Marker::new();
        #[allow(unreachable_code, clippy::diverging_sub_expression)]
        if false {
            return #marker.value();
        }
        #policy_item
        #policy_timeout_check
        let #retry = #krate::Retry::new(#policy_ref) #naming #options;
        #timeout_check
    };
    let result_check = quote_spanned!(return_span=> #marker.check_result(););

    let item = function.wrap_body(|body| {
        let driver = match flavor {
            Flavor::Sync => quote! {
                #retry.run_owned(|| #body)
            },
            Flavor::Async | Flavor::AsyncTrait => {
                let call = format_ident!("__retry_call", span = Span::mixed_site());
                let result = format_ident!("__retry_result", span = Span::mixed_site());
                let delay = format_ident!("__retry_delay", span = Span::mixed_site());
                let attempt = if plan.timeout.is_some() {
                    quote!(#call.attempt_with_timeout(async #body).await)
                } else {
                    quote!(async #body.await)
                };
                quote! {
                    let mut #call = #marker.async_call(&#retry);
                    loop {
                        let #result = #attempt;
                        match #call.judge(#result) {
                            #private::Step::Done(#result) => return #result,
                            #private::Step::Again(#delay) => #private::pause(#delay).await,
                        }
                    }
                }
            }
        };
        block(quote! {
            #prologue
            #result_check
            #driver
        })
    });
    quote!(#item)
}

fn block(tokens: TokenStream) -> Block {
    syn::parse2(quote!({ #tokens })).expect("generated block parses")
}
