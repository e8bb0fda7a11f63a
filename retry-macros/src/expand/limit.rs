//! Code generation of `#[rate_limit]` and `#[concurrency_limit]`: the site's limiter, resolved
//! once, admits a call (waiting on the thread, or on tokio's clock when async) or refuses it.
//!
//! ```text
//! {
//!     static LIMIT: RateLimitSite = RateLimitSite::new("openai", LimiterConfig::new(..).<setters>);
//!     let cost: u32 = <cost, or 1>;                   // evaluated per call
//!     match LIMIT.acquire(cost) {                     // `LIMIT.get().acquire_async(cost).await`
//!         Ok(()) => {
//!             let result = <body once, or the layer below>;
//!             pause_after(LIMIT.get(), &result, &<pause_on>); // only with `pause_on`
//!             result
//!         }
//!         Err(limited) => {
//!             limited(&SITE, ..);                     // SiteStats::limited
//!             flag = Below::Limited;                  // with a retry above: give up at once
//!             breaker_limited = true;                 // a breaker above gives no verdict
//!             Err(RateLimited::into_error(limited))   // or `limited_error`; at the name
//!         }
//!     }
//! }
//! ```
//!
//! `#[concurrency_limit]` is the same with `ConcurrencyLimitSite::acquire()` (or
//! `acquire_async()`) giving a permit held across the call: dropped when the call returns,
//! when it panics (unwinding) and when its future is dropped.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, LitStr};

use super::{duration_tokens, respan, FnContext, Wrapped};
use crate::parse::values::Setting;
use crate::parse::{ConcurrencyLimitArgs, RateLimitArgs};

/// What both limiter layers share: the refusal's arm.
struct Refusal<'a> {
    name: &'a Setting<LitStr>,
    limited_error: Option<&'a Expr>,
}

impl Refusal<'_> {
    /// The `Err(limited)` arm's body: counted, the retry above told, the error built (a
    /// missing `From<RateLimited>` is reported at the limiter's name).
    fn arm(
        &self,
        ctx: &FnContext,
        krate: &TokenStream,
        limited: &Ident,
        flag: Option<&Ident>,
        breakers: &[Ident],
    ) -> TokenStream {
        let private = quote!(#krate::__private);
        let (site, self_type) = (&ctx.site, ctx.self_type());
        let raise = flag.map(|flag| {
            if ctx.flavor.is_async() {
                quote!(#flag = #private::Below::Limited;)
            } else {
                quote!(#flag.set(#private::Below::Limited);)
            }
        });
        let error = match self.limited_error {
            Some(expr) => {
                let make = ctx.typed(krate, Some(expr), "limited_error");
                quote!((#make)(#limited))
            }
            None => {
                let span = self.name.key_span;
                let krate_here = respan(krate, span);
                let into_error = Ident::new("into_error", span);
                quote_spanned!(span=> #krate_here::RateLimited::#into_error(#limited))
            }
        };
        quote! {
            #private::limited(&#site, #self_type);
            #(#breakers = true;)*
            #raise
            #private::Result::Err(#error)
        }
    }
}

/// The `#[rate_limit]` layer. `flag`: the retry above's, raised on a refusal; `breakers`: the
/// flags of the breakers above, set on a refusal so they give no verdict.
pub(crate) fn rate_layer(
    ctx: &FnContext,
    krate: &TokenStream,
    args: &RateLimitArgs,
    inner: Wrapped,
    flag: Option<&Ident>,
    breakers: &[Ident],
) -> TokenStream {
    let private = quote!(#krate::__private);
    let name = args
        .name
        .as_ref()
        .expect("a limiter without a name was reported");
    let name_lit = &name.value;
    let rate = args.rate.as_ref().expect("a missing `rate` was reported");

    // The configuration, each setter placed at its key.
    let rate_lit = proc_macro2::Literal::u32_suffixed(rate.value);
    let per = args.per.as_ref().map_or_else(
        || duration_tokens(std::time::Duration::from_secs(1)),
        |p| duration_tokens(p.value),
    );
    let krate_rate = respan(krate, rate.key_span);
    let mut config =
        quote_spanned!(rate.key_span=> #krate_rate::LimiterConfig::new(#rate_lit, #per));
    if let Some(burst) = &args.burst {
        let lit = proc_macro2::Literal::u32_suffixed(burst.value);
        let krate_here = respan(krate, burst.key_span);
        config = quote_spanned!(burst.key_span=> #krate_here::LimiterConfig::burst(#config, #lit));
    }
    if let Some(wait) = &args.max_wait {
        let d = duration_tokens(wait.value);
        let krate_here = respan(krate, wait.key_span);
        config = quote_spanned!(wait.key_span=> #krate_here::LimiterConfig::max_wait(#config, #d));
    }

    let site = format_ident!("__RATE_LIMIT", span = Span::mixed_site());
    let cost = format_ident!("__rate_cost", span = Span::mixed_site());
    let result = format_ident!("__rate_result", span = Span::mixed_site());
    let limited = format_ident!("__rate_limited", span = Span::mixed_site());
    let cost_value = match &args.cost {
        // The type at the expression: a cost of another type is one error there.
        Some(c) => {
            let expr = &c.value;
            let span = expr.span();
            quote_spanned!(span=> let #cost: u32 = #expr;)
        }
        None => quote!(let #cost: u32 = 1;),
    };
    // A sync call that conforms is admitted inline by the site.
    let acquire = if ctx.flavor.is_async() {
        quote!(#site.get().acquire_async(#cost).await)
    } else {
        quote!(#site.acquire(#cost))
    };
    let pause = args.pause_on.as_ref().map(|p| {
        let typed = ctx.typed(krate, Some(&p.value), "pause_on");
        quote!(#private::pause_after(#site.get(), &#result, &#typed);)
    });
    let refusal = Refusal {
        name,
        limited_error: args.limited_error.as_ref().map(|s| &s.value),
    }
    .arm(ctx, krate, &limited, flag, breakers);
    let call = inner.run_once(ctx, krate);
    quote! {{
        static #site: #private::RateLimitSite = #private::RateLimitSite::new(#name_lit, #config);
        #cost_value
        match #acquire {
            #private::Result::Ok(()) => {
                let #result = #call;
                #pause
                #result
            }
            #private::Result::Err(#limited) => { #refusal }
        }
    }}
}

/// The `#[concurrency_limit]` layer. `flag`, `breakers`: as for [`rate_layer`].
pub(crate) fn concurrency_layer(
    ctx: &FnContext,
    krate: &TokenStream,
    args: &ConcurrencyLimitArgs,
    inner: Wrapped,
    flag: Option<&Ident>,
    breakers: &[Ident],
) -> TokenStream {
    let private = quote!(#krate::__private);
    let name = args
        .name
        .as_ref()
        .expect("a limit without a name was reported");
    let name_lit = &name.value;
    let max = args.max.as_ref().expect("a missing `max` was reported");
    let max_lit = proc_macro2::Literal::u32_suffixed(max.value);
    let max_wait = duration_tokens(
        args.max_wait
            .as_ref()
            .map_or(std::time::Duration::from_secs(30), |w| w.value),
    );

    let site = format_ident!("__CONCURRENCY_LIMIT", span = Span::mixed_site());
    let permit = format_ident!("__concurrency_permit", span = Span::mixed_site());
    let result = format_ident!("__concurrency_result", span = Span::mixed_site());
    let limited = format_ident!("__concurrency_limited", span = Span::mixed_site());
    let acquire = if ctx.flavor.is_async() {
        quote!(#site.acquire_async().await)
    } else {
        quote!(#site.acquire())
    };
    let refusal = Refusal {
        name,
        limited_error: args.limited_error.as_ref().map(|s| &s.value),
    }
    .arm(ctx, krate, &limited, flag, breakers);
    let call = inner.run_once(ctx, krate);
    quote! {{
        static #site: #private::ConcurrencyLimitSite =
            #private::ConcurrencyLimitSite::new(#name_lit, #max_lit, #max_wait);
        match #acquire {
            // Held across the call: released on return, on a panic, and when the future is
            // dropped.
            #private::Result::Ok(#permit) => {
                let #result = #call;
                ::core::mem::drop(#permit);
                #result
            }
            #private::Result::Err(#limited) => { #refusal }
        }
    }}
}
