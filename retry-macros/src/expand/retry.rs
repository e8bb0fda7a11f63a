//! Code generation of `#[retry_on_failure]`: the plan read from the arguments, and a thin
//! call into the runtime's loop.
//!
//! A sync function becomes
//!
//! ```text
//! fn f(args) -> R {
//!     static SITE: Site = Site::new("f");       // name and statistics, shared by all layers
//!     let returned = Marker::new();
//!     if false { return returned.value(); }    // ties it to R: closures need no types
//!     let marker = check_result(&returned);    // "not a Result", placed at the return type;
//!                                              // R spelled Result<T, E> for the layers
//!     {
//!         let retry = retry_at_site(&const { <base>.<setters> }, &SITE,   // checked at compile time
//!                                   <Some(type_name::<Self>) for methods>);
//!         let retry = Retry::show_error(retry, <Display, else Debug, else nothing>);
//!         let retry = Retry::when(retry, marker.predicate(<when>));   // placed at <when>
//!         count_attempt(&SITE, ..);             // metrics: a first attempt (empty without)
//!         from_result(&returned, run_sync(retry, attempt_result(|| { <body> })))
//!     }                                        // `?` and `return` end one attempt
//! }
//! ```
//!
//! and an async one runs the runtime's one async loop (`retry_async_loop!`, the same as
//! `retry_async` and `Retry::run_async`) on a fresh `async { <body> }` per attempt, so the
//! arguments are borrowed anew each time and the future stays `Send` when the body's is. Only
//! the small call state lives in the future while an attempt runs (nothing but its tag before
//! the first failure); the `Retry` with its options is built after a failure:
//!
//! ```text
//!     let policy = &const { .. };
//!     let mut state = AsyncState::start(<hooks or max_elapsed need the clock>);
//!     count_attempt(&SITE, ..);                 // metrics: a first attempt (empty without)
//!     retry_async_loop!(async { <body> }.await, |error| {
//!         let retry = retry_at_site(policy, ..) <options>;
//!         async_decide(&retry, &mut state, &error)   // the sleep, or None: give up
//!     })                                       // zero sleep: no timer, no yield
//! ```
//!
//! With `budget = "name"` a `static BudgetSite` joins the `Retry`. A call deposits once, for
//! its first attempt, only once the layers below admitted it (a breaker below raises a flag when
//! it rejects): on that attempt's success (the async loop's `ok =>` arm), or in the decision
//! after its failure.
//!
//! In a stack (see `driver`), `<body>` is the expression of the layer below; the loop is an
//! expression (`break` with the result), so a layer above sees the result.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, LitStr};

use super::{at_user, duration_tokens, private_fn_at, respan, runtime_path, FnContext, Wrapped};
use crate::parse::values::{Backoff, Env, Jitter, PolicyValue, Setting, TimeoutValue};
use crate::parse::RetryArgs;
use crate::shape::Flavor;

/// One `RetryPolicy` setter: `RetryPolicy::method(policy, args)`, or `__private::method(policy,
/// args)` for a `private` one, placed at `span` (its key).
pub(crate) struct Setter {
    pub(crate) method: &'static str,
    pub(crate) private: bool,
    pub(crate) args: TokenStream,
    pub(crate) span: Span,
}

/// `initial_delay` and `max_delay` set together over a `policy = P`, checked against each
/// other only (`retry_runtime::__private::policy_with_delays`).
const PRIVATE_DELAYS: &str = "policy_with_delays";

/// Everything the expansion needs, already validated.
pub(crate) struct RetryPlan {
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
    pub(crate) env: Option<Env>,
    /// `budget = "name"`.
    pub(crate) budget: Option<LitStr>,
    /// The attribute's `timeout` key: where it is, and the per-call `Option<Duration>`.
    pub(crate) timeout: Option<(Span, TokenStream)>,
    /// `timeout_error = <expr>`.
    pub(crate) timeout_error: Option<Expr>,
    /// Whether `policy = P` (a constant) was given (then P must not carry a timeout the site
    /// cannot apply).
    pub(crate) from_policy: Option<Span>,
    /// `policy = <expr>`: a policy read at the start of every call (then `base` and `setters`
    /// are unused: the schedule keys beside it were refused).
    pub(crate) runtime_policy: Option<Expr>,
}

/// The retry layer: an expression giving the function's result after retrying `inner`.
/// `open` is the flag a breaker below raises when it rejects a call (then the retry gives up
/// at once). The loop's `break`s sit directly in its own body (a layer below is a complete
/// expression, the user's body a closure or an `async` block), so they need no label.
pub(crate) fn layer(
    ctx: &FnContext,
    krate: &TokenStream,
    plan: RetryPlan,
    inner: Wrapped,
    open: Option<&Ident>,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let flavor = ctx.flavor;
    let retry = format_ident!("__retry", span = Span::mixed_site());
    // The same hygienic names, placed at a user's token so errors point there.
    let retry_at = |span: Span| syn::Ident::new("__retry", Span::mixed_site().located_at(span));

    // The policy as one constant expression. Each setter is a path call placed at its key
    // (runtime path included), so a const-evaluation failure points at that key.
    let mut policy = plan.base.clone();
    for setter in &plan.setters {
        let span = setter.span;
        let krate_here = respan(krate, span);
        let method = syn::Ident::new(setter.method, span);
        let args = &setter.args;
        policy = if setter.private {
            quote_spanned!(span=> #krate_here::__private::#method(#policy, #args))
        } else {
            quote_spanned!(span=> #krate_here::RetryPolicy::#method(#policy, #args))
        };
    }

    // A policy's timeout is applied only where the attribute can see it is wanted: the
    // conversion `From<AttemptTimedOut>` is required only then.
    let timeout_message = match (plan.from_policy, &plan.timeout) {
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

    // An inline `const { }` block: it may name `Self` and generic parameters
    // (`policy = Self::POLICY`) and is promoted to `'static`. One block, evaluated once, so an
    // error in the policy is reported once.
    let const_ref = match timeout_message {
        Some((span, message)) => {
            let checked = format_ident!("__retry_checked", span = Span::mixed_site());
            let assert = quote_spanned! {span=>
                ::core::assert!(#checked.get_timeout().is_none(), #message);
            };
            quote!(&const {
                let #checked: #krate::RetryPolicy = #policy;
                #assert
                #checked
            })
        }
        None => quote!(&const { #policy }),
    };
    // With `env`, a `static` per site holds the overrides, applied to the constant on the
    // first call (the `static` itself cannot name `Self`, so the constant is passed in).
    let (policy_items, policy_ref) = match (&plan.runtime_policy, &plan.env) {
        (Some(expr), _) => {
            // Evaluated once per call; a temporary (`config.policy()`) lives as long as the
            // call. Placed at the expression: a value of the wrong type is reported there.
            // `&&RetryPolicy` (from `&POLICIES[i]`) coerces to `&RetryPolicy`.
            let span = expr.span();
            let value =
                syn::Ident::new("__retry_policy_value", Span::mixed_site().located_at(span));
            let krate_here = at_user(krate, span);
            (
                quote_spanned!(span=> let #value: &#krate_here::RetryPolicy = &(#expr);),
                quote!(#value),
            )
        }
        (None, Some(env)) => {
            let env_static = format_ident!("__RETRY_ENV", span = Span::mixed_site());
            let names = super::env_names(krate, env);
            (
                quote! {
                    static #env_static: #private::EnvSite = #private::EnvSite::new(#names);
                },
                quote!(#env_static.get(#const_ref)),
            )
        }
        (None, None) => (TokenStream::new(), const_ref),
    };
    // The per-attempt timeout, read once per call; `timeout_error` builds its error.
    let timeout_value = format_ident!("__retry_timeout", span = Span::mixed_site());
    let timeout_maker = format_ident!("__retry_timeout_error", span = Span::mixed_site());
    let timeout_items = plan.timeout.as_ref().map(|(_, value)| {
        let maker = plan.timeout_error.as_ref().map(|expr| {
            let value = ctx.typed(krate, Some(expr), "timeout_error");
            quote!(let #timeout_maker = #value;)
        });
        quote! {
            let #timeout_value: #private::Option<#private::Duration> = #value;
            #maker
        }
    });

    // The site names the function (a method's `Type::name` is built on the first failure,
    // never on the success path) and counts retries and give-ups; `show_error` lets events show
    // the error when its type can be shown.
    let (site, self_type) = (&ctx.site, ctx.self_type());
    let show_error = ctx.pick_show_error(krate);
    let budget = plan.budget.as_ref().map(|name| {
        let budget = format_ident!("__RETRY_BUDGET", span = Span::mixed_site());
        (
            budget.clone(),
            quote!(static #budget: #private::BudgetSite = #private::BudgetSite::new(#name);),
        )
    });
    let budget_item = budget.as_ref().map(|(_, item)| item);
    let with_budget = budget
        .as_ref()
        .map(|(b, _)| quote!(let #retry = #private::with_budget_site(#retry, &#b);));
    let new_retry = |policy: &TokenStream| {
        quote! {
            let #retry = #private::retry_at_site(#policy, &#site, #self_type);
            #with_budget
            let #retry = #krate::Retry::show_error(#retry, #show_error);
        }
    };

    // Each option is typed through the marker, placed at the user's expression so a closure of
    // the wrong type is reported there. A predicate's type is opaque (see `private_fn_at`): the
    // calls after the first predicate that take the `Retry` are placed at that predicate, so a
    // wrong one is reported once.
    let predicate = plan.when.as_ref().or(plan.unless.as_ref());
    let mut options = TokenStream::new();
    let mut typed_predicate = false;
    let mut option = |expr: &Option<Expr>, how: &str, method: &str| {
        let Some(expr) = expr else {
            return;
        };
        let span = if typed_predicate {
            predicate.map_or_else(|| expr.span(), |p| p.span())
        } else {
            expr.span()
        };
        typed_predicate |= how == "predicate";
        let method = syn::Ident::new(method, span);
        let (krate_here, retry_here) = (at_user(krate, span), retry_at(span));
        let value = ctx.typed(krate, Some(expr), how);
        options.extend(quote_spanned! {span=>
            let #retry_here = #krate_here::Retry::#method(#retry_here, #value);
        });
    };
    option(&plan.when, "predicate", "when");
    option(&plan.unless, "predicate", "unless");
    option(&plan.retry_after, "hint", "retry_after");
    option(&plan.on_retry, "event_hook", "on_retry");
    option(&plan.on_give_up, "event_hook", "on_give_up");
    // The calls that take the built `Retry` are placed at the first predicate, if any.
    let private_at = |name: &str| private_fn_at(krate, name, predicate);
    // A rejection by an open circuit below is a permanent error, checked first, and the
    // attempt it rejected deposits nothing in the budget.
    if let Some(flag) = open {
        let flag = if flavor.is_async() {
            quote!(#flag)
        } else {
            quote!(&#flag)
        };
        let stop_if = private_at("stop_if");
        let span = predicate.map_or_else(Span::call_site, |e| e.span());
        let retry_here = retry_at(span);
        options.extend(quote_spanned!(span=> let #retry_here = #stop_if(#retry_here, #flag);));
    }

    let build_retry = new_retry(&policy_ref);
    // `retry_attempts_total` counts a first attempt here (with the runtime's `metrics` feature;
    // an empty inline call without it).
    let count_attempt = quote!(#private::count_attempt(&#site, #self_type););

    let (run_sync, async_decide) = (private_at("run_sync"), private_at("async_decide"));
    match flavor {
        Flavor::Sync => {
            let flag = open.map(
                |flag| quote!(let #flag = ::core::cell::Cell::new(#private::Below::Admitted);),
            );
            // Placed at the body: a move out of an argument is reported at the user's move.
            let closure = match inner {
                Wrapped::Body(body) => {
                    let span = body.brace_token.span.join();
                    let returned = ctx.returned_at(span);
                    let krate_here = respan(krate, span);
                    // Typed by the return type as written before the body is checked
                    // (coercions as without the attribute; `?` and `return` end one attempt),
                    // the closure's result then spelled `Result<T, E>`.
                    let attempt = quote_spanned!(span=> #krate_here::__private::Marker::attempt(&#returned, || #body));
                    ctx.attempt_result(krate, attempt)
                }
                Wrapped::Layer(e) => quote!(|| #e),
            };
            quote! {{
                #policy_items
                #budget_item
                #flag
                #build_retry
                #options
                #count_attempt
                #run_sync(#retry, #closure)
            }}
        }
        Flavor::Async | Flavor::AsyncTrait => {
            // Only the small call state lives in the future while an attempt runs (nothing but
            // its tag before the first failure); the `Retry` with its options is built after a
            // failure.
            let policy = format_ident!("__retry_policy", span = Span::mixed_site());
            let state = format_ident!("__retry_state", span = Span::mixed_site());
            let error = format_ident!("__retry_error", span = Span::mixed_site());
            let hooks_need_clock = plan.on_retry.is_some() || plan.on_give_up.is_some();
            let attempt = match &plan.timeout {
                // Placed at the `timeout` key: a missing `From<AttemptTimedOut>` is
                // reported there.
                Some((span, _)) => {
                    let span = *span;
                    let state_here =
                        syn::Ident::new("__retry_state", Span::mixed_site().located_at(span));
                    // Without `timeout_error`, `AttemptTimedOut::into_error` (a public path)
                    // at the key: a missing `From<AttemptTimedOut>` is reported there.
                    let make = if plan.timeout_error.is_some() {
                        quote!(#timeout_maker)
                    } else {
                        let krate_here = respan(krate, span);
                        let into_error = syn::Ident::new("into_error", span);
                        let t = format_ident!("__retry_timed_out", span = Span::mixed_site());
                        quote_spanned!(span=> |#t| #krate_here::AttemptTimedOut::#into_error(#t))
                    };
                    match inner {
                        // The user's body resolves to the return type as written (typed inside
                        // the block, so its `Ok(&self.name)` coerces; the future holds the
                        // marker's address), turned into `Result<T, E>` at the return type
                        // (see `body_result`) when it did not time out.
                        Wrapped::Body(body) => {
                            let body_span = body.brace_token.span.join();
                            let returned = ctx.returned_at(body_span);
                            let krate_here = respan(krate, body_span);
                            let future = quote_spanned!(body_span=> async { #krate_here::__private::Marker::tie(#returned, #body) });
                            let method = syn::Ident::new("with_timeout_outcome", span);
                            let value = format_ident!("__retry_value", span = Span::mixed_site());
                            let timed_out =
                                format_ident!("__retry_timed_out", span = Span::mixed_site());
                            let converted = ctx.body_result(krate, quote!(#value));
                            quote! {
                                match #state_here.#method(#timeout_value, &#make, #future).await {
                                    #private::Result::Ok(#value) => #converted,
                                    #private::Result::Err(#timed_out) => #private::Result::Err(#timed_out),
                                }
                            }
                        }
                        Wrapped::Layer(e) => {
                            let method = syn::Ident::new("with_timeout_via", span);
                            quote!(#state_here.#method(#timeout_value, &#make, async { #e }).await)
                        }
                    }
                }
                None => match inner {
                    // The future holds only what the body uses (no marker); the loop's
                    // `break Ok(v)`, typed by the return type, gives `v` its coercions.
                    Wrapped::Body(body) => {
                        let span = body.brace_token.span.join();
                        ctx.body_result(krate, quote_spanned!(span=> async #body.await))
                    }
                    Wrapped::Layer(e) => e,
                },
            };
            let flag = open.map(|flag| quote!(let mut #flag = #private::Below::Admitted;));
            // A call deposits into its budget once, for its first attempt, once the layers
            // below admitted it: on its success here, on its failure in `async_decide`.
            let deposit = budget
                .as_ref()
                .map(|(b, _)| quote!(, ok => if #state.first_attempt() { #b.deposit(); }));
            let build_retry = new_retry(&quote!(#policy));
            quote! {{
                #policy_items
                #budget_item
                #timeout_items
                let #policy: &#krate::RetryPolicy = #policy_ref;
                let mut #state = #private::AsyncState::start(
                    #hooks_need_clock || #policy.get_max_elapsed().is_some(),
                );
                #flag
                #count_attempt
                #private::retry_async_loop!(#attempt, |#error| {
                    #build_retry
                    #options
                    #async_decide(&#retry, &mut #state, &#error)
                } #deposit)
            }}
        }
    }
}

/// What the expansion of `args` does: the policy expression and the options.
pub(crate) fn plan(args: &RetryArgs) -> RetryPlan {
    let krate = runtime_path(&args.krate);
    let mut setters = Vec::new();
    let mut set = |method: &'static str, args: TokenStream, span: Span| {
        setters.push(Setter {
            method,
            private: method == PRIVATE_DELAYS,
            args,
            span,
        });
    };
    let mut runtime_policy = None;
    let mut from_policy = None;
    let base = match (&args.policy, &args.backoff) {
        (Some(policy), backoff) => {
            if let Some(b) = backoff {
                let variant = syn::Ident::new(b.value.variant(), Span::call_site());
                set("backoff", quote!(#krate::Backoff::#variant), b.key_span);
            }
            match &policy.value {
                PolicyValue::Path(path) => {
                    from_policy = Some(policy.key_span);
                    quote_spanned!(policy.value_span=> #path)
                }
                PolicyValue::Runtime(expr) => {
                    runtime_policy = Some(expr.clone());
                    quote!(#krate::RetryPolicy::exponential())
                }
            }
        }
        (None, backoff) => {
            let ctor = syn::Ident::new(
                backoff
                    .as_ref()
                    .map_or(Backoff::Exponential, |b| b.value)
                    .name(),
                Span::call_site(),
            );
            quote!(#krate::RetryPolicy::#ctor())
        }
    };

    let count = |s: &Setting<u32>| {
        let n = Literal::u32_suffixed(s.value);
        quote!(#n)
    };
    if let Some(s) = &args.max_attempts {
        set("max_attempts", count(s), s.key_span);
    }
    if let Some(s) = &args.max_retries {
        set("max_retries", count(s), s.key_span);
    }
    if let Some(s) = &args.multiplier {
        let m = Literal::f64_suffixed(s.value);
        set("multiplier", quote!(#m), s.key_span);
    }
    if let Some(s) = &args.jitter {
        let j = match s.value {
            Jitter::None => quote!(#krate::Jitter::None),
            Jitter::Full => quote!(#krate::Jitter::Full),
            Jitter::Equal => quote!(#krate::Jitter::Equal),
            Jitter::Fraction(f) => {
                let f = Literal::f64_suffixed(f);
                quote!(#krate::Jitter::Fraction(#f))
            }
        };
        set("jitter", j, s.key_span);
    }
    match (&args.initial_delay, &args.max_delay) {
        (Some(i), Some(m)) => {
            // Both together, checked against each other only: the order they override a
            // `policy` in must not matter.
            let (iv, mv) = (duration_tokens(i.value), duration_tokens(m.value));
            set(PRIVATE_DELAYS, quote!(#iv, #mv), i.later_key(m));
        }
        (Some(i), None) => set("initial_delay", duration_tokens(i.value), i.key_span),
        (None, Some(m)) => set("max_delay", duration_tokens(m.value), m.key_span),
        (None, None) => {}
    }
    if let Some(s) = &args.max_elapsed {
        set("max_elapsed", duration_tokens(s.value), s.key_span);
    }
    if let Some(s) = &args.max_retry_after {
        set("max_retry_after", duration_tokens(s.value), s.key_span);
    }
    let timeout = args.timeout.as_ref().map(|s| {
        let private = quote!(#krate::__private);
        let value = match &s.value {
            TimeoutValue::Fixed(d) => {
                let d = duration_tokens(*d);
                quote!(#private::Option::Some(#d))
            }
            TimeoutValue::Runtime(expr) => {
                // Placed at the expression: a value of the wrong type is reported there.
                let span = expr.span();
                let private_here = at_user(&private, span);
                quote_spanned!(span=> #private_here::timeout_of(#expr))
            }
        };
        (s.key_span, value)
    });

    let expr = |s: &Option<Setting<syn::Expr>>| s.as_ref().map(|s| s.value.clone());
    RetryPlan {
        base,
        setters,
        when: expr(&args.when),
        unless: expr(&args.unless),
        retry_after: expr(&args.retry_after),
        on_retry: expr(&args.on_retry),
        on_give_up: expr(&args.on_give_up),
        env: args.env.as_ref().map(|s| s.value.clone()),
        budget: args.budget.as_ref().map(|s| s.value.clone()),
        timeout,
        timeout_error: expr(&args.timeout_error),
        from_policy,
        runtime_policy,
    }
}
