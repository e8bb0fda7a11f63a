//! A stack of layers fused into the function's one new body (see the crate docs): each
//! attribute's layer wraps the one below it, the innermost wraps the user's body.

use proc_macro2::Span;
use quote::{format_ident, quote};
use syn::{Block, Ident};

use super::{breaker, crate_import, fallback, limit, retry, runtime_path, FnContext, Wrapped};
use crate::parse::Layer;
use crate::shape::PassedArg;

/// The function's new body: the layers fused around the user's `body`, innermost last in
/// `layers` (see the crate docs), after the prologue every layer shares (the site, the type
/// marker tied to the return type, the check that it is a `Result`).
pub(crate) fn fused_body(
    ctx: &FnContext,
    layers: &[Layer],
    passed: &[PassedArg],
    body: Block,
    return_span: Span,
) -> Block {
    // The flag a rejecting breaker or refusing limiter raises for the nearest retry above it
    // (a fallback in between takes the rejection over instead).
    let mut flags: Vec<Option<Ident>> = Vec::with_capacity(layers.len());
    let mut current: Option<Ident> = None;
    for (i, layer) in layers.iter().enumerate() {
        match layer {
            Layer::Retry(_) => {
                current = Some(format_ident!(
                    "__retry_open_{}",
                    i,
                    span = Span::mixed_site()
                ))
            }
            Layer::Fallback(_) => current = None,
            Layer::Breaker(_) | Layer::RateLimit(_) | Layer::ConcurrencyLimit(_) => {}
        }
        flags.push(current.clone());
    }
    let breaker_below = |i: usize| {
        layers[i + 1..]
            .iter()
            .take_while(|l| !matches!(l, Layer::Retry(_) | Layer::Fallback(_)))
            .any(|l| matches!(l, Layer::Breaker(_)) || l.is_limiter())
    };
    // A limiter's refusal is no verdict on the backend: the breakers above it (up to the next
    // retry or fallback) drop their permit instead of settling it.
    let breaker_limited =
        |i: usize| format_ident!("__breaker_limited_{}", i, span = Span::mixed_site());
    let limiter_below = |i: usize| {
        layers[i + 1..]
            .iter()
            .take_while(|l| !matches!(l, Layer::Retry(_) | Layer::Fallback(_)))
            .any(Layer::is_limiter)
    };
    let breakers_above = |i: usize| -> Vec<Ident> {
        (0..i)
            .rev()
            .take_while(|&j| !matches!(layers[j], Layer::Retry(_) | Layer::Fallback(_)))
            .filter(|&j| matches!(layers[j], Layer::Breaker(_)))
            .map(breaker_limited)
            .collect()
    };
    let retry_above = |i: usize| layers[..i].iter().any(|l| matches!(l, Layer::Retry(_)));

    // `validate` of a retry judges each attempt's `Ok` value where the attempt's result is
    // made: below the breakers directly under the retry, so they count a refused value as a
    // failure. `validators[j]`: the validators that wrap what layer `j - 1` wraps.
    let mut validator_items = proc_macro2::TokenStream::new();
    let mut validators: Vec<Vec<Ident>> = vec![Vec::new(); layers.len() + 1];
    for (r, layer) in layers.iter().enumerate() {
        let Layer::Retry(args) = layer else { continue };
        let Some(validate) = &args.validate else {
            continue;
        };
        let below = layers[r + 1..]
            .iter()
            .take_while(|l| matches!(l, Layer::Breaker(_)) || l.is_limiter())
            .count();
        let name = format_ident!("__retry_validate_{}", r, span = Span::mixed_site());
        let krate = runtime_path(layer.krate());
        let typed = ctx.typed(&krate, Some(&validate.value), "validator");
        validator_items.extend(quote!(let #name = #typed;));
        validators[r + 1 + below].push(name);
    }

    let mut inner = Wrapped::Body(body);
    for (i, layer) in layers.iter().enumerate().rev() {
        let krate = runtime_path(layer.krate());
        for validator in &validators[i + 1] {
            let result = inner.run_once(ctx, &krate);
            inner = Wrapped::Layer(quote!(#krate::__private::validated(#result, &#validator)));
        }
        let expr = match layer {
            Layer::Retry(args) => {
                let flag = if breaker_below(i) {
                    flags[i].as_ref()
                } else {
                    None
                };
                retry::layer(ctx, &krate, retry::plan(args), inner, flag)
            }
            Layer::Breaker(b) => {
                let limited = limiter_below(i).then(|| breaker_limited(i));
                breaker::layer(ctx, &krate, b, inner, flags[i].as_ref(), limited.as_ref())
            }
            Layer::Fallback(f) => fallback::layer(ctx, &krate, f, passed, inner, retry_above(i)),
            Layer::RateLimit(r) => {
                limit::rate_layer(ctx, &krate, r, inner, flags[i].as_ref(), &breakers_above(i))
            }
            Layer::ConcurrencyLimit(c) => {
                let breakers = breakers_above(i);
                limit::concurrency_layer(ctx, &krate, c, inner, flags[i].as_ref(), &breakers)
            }
        };
        inner = Wrapped::Layer(expr);
    }
    let Wrapped::Layer(expr) = inner else {
        unreachable!("at least one layer")
    };

    let krate = runtime_path(layers[0].krate());
    let site = &ctx.site;
    let name = &ctx.name;
    let private = quote!(#krate::__private);
    // `check_result` at the return type: "not a `Result`" is reported there, and only there
    // (see `FnContext::at_return`): the marker it gives the layers is `Result<T, E>` with
    // unknown parts when the return type is not a result, which silences the layers' own
    // mismatches.
    let at = ctx.at_return();
    let private_here = ctx.private_at_return(&krate);
    let marker_here = ctx.marker_at(return_span);
    let returned = ctx.returned();
    let check = quote::quote_spanned!(at=>
        let #marker_here = #private_here::check_result(&#returned);
    );
    // The layers' `Result<T, E>` back as the return type as written.
    let value = Ident::new("__retry_value", at);
    // (`tie` gives the stack the return type as its expected type, so a loop's `break Ok(v)`
    // coerces `v` as the function's own tail would.)
    let marker = &ctx.marker;
    let tied = quote!(#private::Marker::tie(#marker, #expr));
    let from_result = quote::quote_spanned!(at=> { let #value = #tied; #private_here::from_result(&#returned, #value) });
    // One `use` per distinct `crate = "..."` path.
    let mut imports: Vec<(Ident, proc_macro2::TokenStream)> = Vec::new();
    for (alias, import) in layers.iter().filter_map(|l| crate_import(l.krate())) {
        if !imports.iter().any(|(a, _)| *a == alias) {
            imports.push((alias, import));
        }
    }
    let imports = imports.into_iter().map(|(_, import)| import);
    syn::parse2(quote! {{
        #(#imports)*
        static #site: #private::Site = #private::Site::new(#name);
        let #returned = #private::Marker::new();
        #[allow(unreachable_code, clippy::diverging_sub_expression)]
        if false {
            return #returned.value();
        }
        #check
        #validator_items
        #from_result
    }})
    .expect("generated block parses")
}
