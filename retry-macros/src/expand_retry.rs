//! Code generation of `#[retry_on_failure]`: a thin call into the runtime's loop.
//!
//! A sync function becomes
//!
//! ```text
//! fn f(args) -> R {
//!     let marker = Marker::new();
//!     if false { return marker.value(); }      // ties the marker to R: closures need no types
//!     check_result(&marker);                   // "not a Result", placed at the return type
//!     let retry = Retry::new(&const { <base>.<setters> })   // checked at compile time
//!         .function("f");
//!     let retry = Retry::when(retry, marker.predicate(<when>));   // placed at <when>
//!     retry.run_owned(|| { <body> })           // `?` and `return` end one attempt
//! }
//! ```
//!
//! and an async one loops on a fresh `async { <body> }` per attempt, so the arguments are
//! borrowed anew each time and the future stays `Send` when the body's is. Only the policy
//! pointer and the small call state live in the future while an attempt runs; the `Retry` with
//! its options is built after a failure:
//!
//! ```text
//!     let policy = &const { .. };
//!     let mut state = async_state(<hooks or max_elapsed need the clock>);
//!     loop {
//!         let error = match async { <body> }.await { Ok(v) => return Ok(v), Err(e) => e };
//!         let retry = Retry::new(policy).function("f") <options>;
//!         let delay = match async_decide(&retry, &mut state, &error) {
//!             Some(d) => d,
//!             None => return Err(error),
//!         };
//!         pause(delay).await;                  // zero: no timer, no yield
//!     }
//! ```
//!
//! One wrapper per attribute: stacking (with `#[circuit_breaker]`, `#[fallback]`) comes with
//! those attributes.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Block, Expr, LitStr};

use crate::shape::{Flavor, Function};

/// One `RetryPolicy` setter: `RetryPolicy::method(policy, args)`, placed at `span` (its key).
pub(crate) struct Setter {
    pub(crate) method: &'static str,
    pub(crate) args: TokenStream,
    pub(crate) span: Span,
}

/// Everything the expansion needs, already validated.
pub(crate) struct RetryPlan {
    /// Path of the runtime crate (`::retry_runtime` unless `crate = "..."`).
    pub(crate) krate: TokenStream,
    /// The starting policy: `RetryPolicy::exponential()` (or the `backoff` key's constructor),
    /// or the user's `policy = P` path.
    pub(crate) base: TokenStream,
    /// Setter calls applied to `base` in order, each at its key.
    pub(crate) setters: Vec<Setter>,
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
    // The same hygienic names, placed at a user's token so errors point there.
    let marker_at =
        |span: Span| syn::Ident::new("__retry_marker", Span::mixed_site().located_at(span));
    let retry_at = |span: Span| syn::Ident::new("__retry", Span::mixed_site().located_at(span));

    // The policy as one constant expression. Each setter is a path call placed at its key
    // (runtime path included), so a const-evaluation failure points at that key.
    let mut policy = plan.base.clone();
    for setter in &plan.setters {
        let span = setter.span;
        let krate_here = respan(krate, span);
        let method = syn::Ident::new(setter.method, span);
        let args = &setter.args;
        policy = quote_spanned!(span=> #krate_here::RetryPolicy::#method(#policy, #args));
    }

    // A policy's timeout is applied only where the attribute can see it is wanted: the
    // conversion `From<AttemptTimedOut>` is required only then.
    let timeout_message = match (plan.from_policy, plan.timeout) {
        (Some(span), None) => Some((
            span,
            if flavor.is_async() {
                "`policy` sets a per-attempt timeout: repeat it as a `timeout = \"...\"` key on the attribute, so the error type's `From<AttemptTimedOut>` is required and the timeout applied"
            } else {
                "`policy` sets a per-attempt timeout, which a sync function cannot apply"
            },
        )),
        _ => None,
    };

    // Without `env`, an inline `const { }` block: it may name `Self` and generic parameters
    // (`policy = Self::POLICY`) and is promoted to `'static`. With `env`, a `static` holds the
    // overrides, and a `static` cannot name them.
    let (policy_items, policy_ref) = match &plan.env {
        Some(prefix) => {
            let policy_const = format_ident!("__RETRY_POLICY", span = Span::mixed_site());
            let env_static = format_ident!("__RETRY_ENV", span = Span::mixed_site());
            let assert = timeout_message.map(|(span, message)| {
                quote_spanned! {span=>
                    const _: () = ::core::assert!(#policy_const.get_timeout().is_none(), #message);
                }
            });
            (
                quote! {
                    const #policy_const: #krate::RetryPolicy = #policy;
                    #assert
                    static #env_static: #private::EnvPolicy = #private::EnvPolicy::new(#policy_const, #prefix);
                },
                quote!(#env_static.get()),
            )
        }
        None => match timeout_message {
            // One constant block, evaluated once: an error in the policy is reported once.
            Some((span, message)) => {
                let checked = format_ident!("__retry_checked", span = Span::mixed_site());
                let assert = quote_spanned! {span=>
                    ::core::assert!(#checked.get_timeout().is_none(), #message);
                };
                (
                    TokenStream::new(),
                    quote!(&const {
                        let #checked: #krate::RetryPolicy = #policy;
                        #assert
                        #checked
                    }),
                )
            }
            None => (TokenStream::new(), quote!(&const { #policy })),
        },
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

    // Each option is typed through the marker, placed at the user's expression so a closure of
    // the wrong type is reported there.
    let mut options = TokenStream::new();
    let mut typed = |expr: &Option<Expr>, how: &str, method: &str| {
        if let Some(expr) = expr {
            let span = expr.span();
            let how = syn::Ident::new(how, span);
            let method = syn::Ident::new(method, span);
            let (marker_here, retry_here) = (marker_at(span), retry_at(span));
            let krate_here = respan(krate, span);
            options.extend(quote_spanned! {span=>
                let #retry_here = #krate_here::Retry::#method(#retry_here, #marker_here.#how(#expr));
            });
        }
    };
    typed(&plan.when, "predicate", "when");
    typed(&plan.unless, "predicate", "unless");
    typed(&plan.retry_after, "hint", "retry_after");
    typed(&plan.on_retry, "event_hook", "on_retry");
    typed(&plan.on_give_up, "event_hook", "on_give_up");

    let prologue = quote! {
        let #marker = #private::Marker::new();
        #[allow(unreachable_code, clippy::diverging_sub_expression)]
        if false {
            return #marker.value();
        }
        #policy_items
    };
    // Placed at the return type: "not a `Result`" is reported there.
    let marker_here = marker_at(return_span);
    let private_here = respan(&private, return_span);
    let result_check = quote_spanned!(return_span=> #private_here::check_result(&#marker_here););
    let build_retry = quote! {
        let #retry = #krate::Retry::new(#policy_ref) #naming;
        #options
    };

    let item = function.wrap_body(|body| {
        let body_span = body.brace_token.span.join();
        let driver = match flavor {
            Flavor::Sync => {
                // Placed at the body: a move out of an argument is reported at the user's move.
                let closure = quote_spanned!(body_span=> || #body);
                quote! {
                    #build_retry
                    #retry.run_owned(#closure)
                }
            }
            Flavor::Async | Flavor::AsyncTrait => {
                // Only the policy pointer and the small call state live in the future while an
                // attempt runs; the `Retry` with its options is built after a failure.
                let policy = format_ident!("__retry_policy", span = Span::mixed_site());
                let state = format_ident!("__retry_state", span = Span::mixed_site());
                let result = format_ident!("__retry_result", span = Span::mixed_site());
                let error = format_ident!("__retry_error", span = Span::mixed_site());
                let delay = format_ident!("__retry_delay", span = Span::mixed_site());
                let value = format_ident!("__retry_value", span = Span::mixed_site());
                let hooks_need_clock = plan.on_retry.is_some() || plan.on_give_up.is_some();
                let attempt = match plan.timeout {
                    // Placed at the `timeout` key: a missing `From<AttemptTimedOut>` is
                    // reported there.
                    Some(span) => {
                        let state_here =
                            syn::Ident::new("__retry_state", Span::mixed_site().located_at(span));
                        let method = syn::Ident::new("with_timeout", span);
                        let block = quote_spanned!(body_span=> async #body);
                        quote!(#state_here.#method(#policy, #block).await)
                    }
                    None => quote_spanned!(body_span=> async #body.await),
                };
                quote! {
                    let #policy: &#krate::RetryPolicy = #policy_ref;
                    let mut #state = #private::async_state(
                        #hooks_need_clock || #policy.get_max_elapsed().is_some(),
                    );
                    loop {
                        let #result = #attempt;
                        let #delay = match #result {
                            #private::Result::Ok(#value) => return #private::Result::Ok(#value),
                            #private::Result::Err(#error) => {
                                let #retry = #krate::Retry::new(#policy) #naming;
                                #options
                                match #private::async_decide(&#retry, &mut #state, &#error) {
                                    ::core::option::Option::Some(#delay) => #delay,
                                    ::core::option::Option::None => {
                                        return #private::Result::Err(#error)
                                    }
                                }
                            }
                        };
                        #private::pause(#delay).await;
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

/// The same tokens, located at `span` (keeping their hygiene).
fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut t| {
            t.set_span(t.span().located_at(span));
            t
        })
        .collect()
}

fn block(tokens: TokenStream) -> Block {
    syn::parse2(quote!({ #tokens })).expect("generated block parses")
}
