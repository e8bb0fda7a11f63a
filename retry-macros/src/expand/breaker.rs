//! Code generation of `#[circuit_breaker]`: the site's breaker, resolved once, guards a call.
//!
//! ```text
//! {
//!     static SITE: BreakerSite = BreakerSite::new("openai", BreakerConfig::new(), env);
//!     let breaker = SITE.get_with(&const { BreakerConfig::new().<setters> });
//!     match breaker.try_acquire() {
//!         Err(open) => marker.circuit_open(open),          // Err(E::from(open)), at the name
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
//! dropped while it is held counts as nothing and frees a half-open slot.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::{duration_tokens, respan, FnContext, Wrapped};
use crate::parse::BreakerArgs;

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
    let permit = format_ident!("__breaker_permit", span = Span::mixed_site());
    let result = format_ident!("__breaker_result", span = Span::mixed_site());
    let open_error = format_ident!("__breaker_open", span = Span::mixed_site());

    let when = ctx.typed(krate, args.when.as_ref().map(|s| &s.value), "predicate");
    let settle = super::private_fn_at(krate, "settle", args.when.as_ref().map(|s| &s.value));
    let breaker = format_ident!("__breaker", span = Span::mixed_site());
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
    let note = set_flag(quote!(#private::below_after(#breaker, #before)))
        .map(|set| quote!(if #private::Result::is_err(&#result) { #set }));
    // Placed at the name: a missing `From<CircuitOpen>` is reported at the attribute.
    let marker_here = ctx.marker_at(name_span);
    let method = Ident::new("circuit_open", name_span);
    let reject = quote_spanned!(name_span=> #marker_here.#method(#open_error));

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
    quote! {{
        static #site: #private::BreakerSite =
            #private::BreakerSite::new(#name_lit, #krate::BreakerConfig::new(), #env);
        let #breaker = #site.get_with(&const { #config });
        match #breaker.try_acquire() {
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
        }
    }}
}
