//! Code generation of `#[circuit_breaker]`: the site's breaker, resolved once (or, keyed,
//! found by the call's key), guards a call.
//!
//! ```text
//! {
//!     static SITE: BreakerSite = BreakerSite::new("openai", BreakerConfig::new(), env);
//!     let breaker = SITE.get_with(&const { BreakerConfig::new().<setters> });
//!     // keyed (`key = <expr>`): a `KeyedSite`, the site's last breaker on each thread, and
//!     // the key read without a copy when a string
//!     //     static SITE: KeyedSite = KeyedSite::new("openai", max_keys, env);
//!     //     thread_local! { static LAST: LastKey = const { LastKey::new() }; }
//!     //     let breaker = match BreakerKey::as_key(&(<expr>)) {
//!     //         key => (&&&KeyArg(key)).keyed_breaker(&SITE, &LAST, &const { .. }) };
//!     match breaker.try_acquire() {
//!         Err(open) => tie(Err(FromCircuitOpen::from_open(open))),  // at the name
//!                   // or tie(Err((marker.open_error(<open_error>))(open)))
//!         Ok(permit) => {
//!             let result = <body once, or the layer below>;
//!             settle(permit, &result, &<when>);            // success, failure, or neither
//!             // (a limiter below that refused the call: no verdict, the permit is dropped)
//!             // with a retry above: its flag says whether the circuit is now open, how long
//!             if result.is_err() { flag = below_after(breaker, flag); }
//!             result
//!         }
//!     }
//! }
//! ```
//!
//! The permit is held across the call: a panic while it is held counts as a failure, a future
//! dropped while it is held counts as nothing and frees a half-open slot. A keyed call holds
//! its breaker (an `Arc`) as long, so a breaker evicted meanwhile still takes its verdict.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use syn::spanned::Spanned;

use super::{at_user, duration_tokens, respan, FnContext, Wrapped};
use crate::parse::BreakerArgs;

/// `max_keys` when not given.
const DEFAULT_MAX_KEYS: u32 = 1024;

/// The breaker layer: an expression giving the function's result through the breaker.
/// `open` is the flag of a retry above, raised when the circuit rejects the call.
pub(crate) fn layer(
    ctx: &FnContext,
    krate: &TokenStream,
    args: &BreakerArgs,
    inner: Wrapped,
    open: Option<&Ident>,
    limited: Option<&Ident>,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let name = args
        .name
        .as_ref()
        .expect("a breaker without a name was reported");
    let name_span = name.key_span;
    let name_lit = &name.value;

    // The configuration, each setter placed at its key.
    let mut config = quote!(#krate::BreakerConfig::new());
    let mut set = |method: &str, span: Span, value: TokenStream| {
        let method = Ident::new(method, span);
        let krate_here = respan(krate, span);
        config = quote_spanned!(span=> #krate_here::BreakerConfig::#method(#config, #value));
    };
    let int = |v: u32| {
        let lit = proc_macro2::Literal::u32_suffixed(v);
        quote!(#lit)
    };
    if let Some(s) = &args.failure_threshold {
        set("failure_threshold", s.key_span, int(s.value));
    }
    if let Some(s) = &args.failure_rate {
        let lit = proc_macro2::Literal::f64_suffixed(s.value);
        set("failure_rate", s.key_span, quote!(#lit));
    }
    if let Some(s) = &args.window {
        set("window", s.key_span, duration_tokens(s.value));
    }
    if let Some(s) = &args.min_calls {
        set("min_calls", s.key_span, int(s.value));
    }
    if let Some(s) = &args.reset_timeout {
        set("reset_timeout", s.key_span, duration_tokens(s.value));
    }
    if let Some(s) = &args.success_threshold {
        set("success_threshold", s.key_span, int(s.value));
    }
    if let Some(s) = &args.half_open_max_calls {
        set("half_open_max_calls", s.key_span, int(s.value));
    }
    // The hook belongs to the breaker, which every site naming it shares for the life of the
    // process: it is a `fn` (a path, `Self::log` too, or a closure that captures nothing).
    if let Some(s) = &args.on_state_change {
        let expr = &s.value;
        set("on_state_change", s.key_span, quote!(#expr));
    }
    let env = match &args.env {
        Some(env) => {
            let names = super::env_names(krate, &env.value);
            quote!(::core::option::Option::Some(#names))
        }
        None => quote!(::core::option::Option::None),
    };

    let site = format_ident!("__BREAKER", span = Span::mixed_site());
    let breaker = format_ident!("__breaker", span = Span::mixed_site());
    let permit = format_ident!("__breaker_permit", span = Span::mixed_site());
    let result = format_ident!("__breaker_result", span = Span::mixed_site());
    let open_error = format_ident!("__breaker_open", span = Span::mixed_site());

    // The site and its breaker: resolved once, or for a keyed breaker looked up by the call's
    // key (evaluated here, before the body, on every attempt under a retry).
    let (site_item, find_breaker) = match &args.key {
        None => (
            quote! {
                static #site: #private::BreakerSite =
                    #private::BreakerSite::new(#name_lit, #krate::BreakerConfig::new(), #env);
            },
            quote!(#site.get_with(&const { #config })),
        ),
        Some(key) => {
            let max_keys = proc_macro2::Literal::u32_suffixed(
                args.max_keys.as_ref().map_or(DEFAULT_MAX_KEYS, |m| m.value),
            );
            let key_ref = format_ident!("__breaker_key", span = Span::mixed_site());
            let key_expr = ctx.in_body(&key.value);
            // Borrowed through `BreakerKey::as_key`, placed at the key: a key that is not
            // `Display` is reported there, once.
            let key_span = key.value.span();
            let private_at_key = at_user(&private, key_span);
            let as_key = Ident::new("as_key", key_span);
            let borrow_key =
                quote_spanned!(key_span=> #private_at_key::BreakerKey::#as_key(&(#key_expr)));
            // The site's last breaker on each thread, taken back by its next call with the
            // same key without hashing it.
            let last = format_ident!("__BREAKER_LAST", span = Span::mixed_site());
            (
                quote! {
                    static #site: #private::KeyedSite =
                        #private::KeyedSite::new(#name_lit, #max_keys, #env);
                    #private::thread_local! {
                        static #last: #private::LastKey = const { #private::LastKey::new() };
                    }
                },
                // A `match`, so the key's temporaries (`self.base_url()`) live through the
                // lookup, which returns an owned handle.
                quote!({
                    #[allow(unused_imports)]
                    use #private::keyed::*;
                    match #borrow_key {
                        #key_ref => (&&&#private::KeyArg(#key_ref))
                            .keyed_breaker(&#site, &#last, &const { #config }),
                    }
                }),
            )
        }
    };

    let when = ctx.typed(krate, args.when.as_ref().map(|s| &s.value), "predicate");
    let settle = super::private_fn_at(krate, "settle", args.when.as_ref().map(|s| &s.value));
    // The flag of a retry above: a rejection, or how long a failure left the circuit open.
    let set_flag = |value: TokenStream| {
        open.map(|flag| {
            if ctx.flavor.is_async() {
                quote!(#flag = #value;)
            } else {
                quote!(#flag.set(#value);)
            }
        })
    };
    let raise = set_flag(quote!(#private::Below::Rejected));
    // A limiter below that refused the attempt keeps its word (`below_after` keeps it).
    let before = open.map(|flag| {
        if ctx.flavor.is_async() {
            quote!(#flag)
        } else {
            quote!(#flag.get())
        }
    });
    let note = set_flag(quote!(#private::below_after(&*#breaker, #before)))
        .map(|set| quote!(if #private::Result::is_err(&#result) { #set }));
    // The error of a rejected call: `open_error(open)`, typed at the user's expression; or
    // `E::from(open)`, called at the breaker's name, so a missing `From<CircuitOpen>` is
    // reported at the attribute's name (in a stack too) with the runtime's message.
    let marker = &ctx.marker;
    let rejected = match &args.open_error {
        Some(given) => {
            let expr = ctx.in_body(&given.value);
            let span = given.value.span();
            let marker_here = ctx.marker_at(span);
            let method = Ident::new("open_error", span);
            quote_spanned!(span=> (#marker_here.#method(#expr))(#open_error))
        }
        None => {
            let private_here = at_user(&private, name_span);
            let from_open = Ident::new("from_open", name_span);
            quote_spanned!(name_span=> #private_here::FromCircuitOpen::#from_open(#open_error))
        }
    };
    let reject = quote!(#private::Marker::tie(#marker, #private::Result::Err(#rejected)));

    // A limiter below that refused the call: the call did not reach the backend, so the
    // permit is dropped without a verdict (it counts as nothing).
    let settle_call = quote!(#settle(#permit, &#result, &#when););
    let (declare_limited, settle_or_not) = match limited {
        Some(flag) => (
            quote!(let mut #flag = false;),
            quote!(if #flag { ::core::mem::drop(#permit); } else { #settle_call }),
        ),
        None => (TokenStream::new(), settle_call),
    };
    let (site_stats, self_type) = (&ctx.site, ctx.self_type());
    let call = inner.run_once(ctx, krate);
    // The configuration is an inline `const` (it may name `Self`), given on each call and read
    // on the first: a `static` cannot name `Self`.
    // The outcome is bound before the block ends: the permit borrows `breaker`, a local for a
    // keyed breaker.
    let outcome = format_ident!("__breaker_outcome", span = Span::mixed_site());
    quote! {{
        #site_item
        let #breaker = #find_breaker;
        let #outcome = match #breaker.try_acquire() {
            #private::Result::Err(#open_error) => {
                #site_stats.rejection(#self_type);
                #raise
                #reject
            }
            #private::Result::Ok(#permit) => {
                #declare_limited
                let #result = #call;
                #settle_or_not
                #note
                #result
            }
        };
        #outcome
    }}
}
