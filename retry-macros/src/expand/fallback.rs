//! Code generation of `#[fallback]`: the primary, then each target in turn.
//!
//! ```text
//! match <body once, or the layer below> {
//!     Ok(v) => Ok(v),
//!     Err(e) if !switches(&<when>, &e) => Err(e),
//!     Err(e) => {
//!         fell_back(&<on_fallback>, &e, "f", "backup");     // event, statistics
//!         match fallback_result(&marker, backup(<args>)) {   // `.await`ed when async
//!             Ok(v) => Ok(v),
//!             Err(e) => <the next target the same way, or Err(e)>,
//!         }
//!     }
//! }
//! ```
//!
//! The primary borrows the arguments; each target gets them by value: references are passed
//! on (a `&mut` reborrowed), and an owned argument is moved into the last target to run and
//! cloned for the ones before it (inside a retry, every target may run again, so each gets a
//! clone). Nothing is cloned on the success path.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::ExprPath;

use super::{name_expr, respan, FnContext, Wrapped};
use crate::parse::FallbackArgs;
use crate::shape::{Pass, PassedArg};

/// The argument list for one target; `clone_owned` when the target may not take them.
fn target_args(args: &[PassedArg], krate: &TokenStream, clone_owned: bool) -> TokenStream {
    let args = args.iter().map(
        |PassedArg {
             name,
             pass,
             span,
             ty,
             ..
         }| match pass {
            Pass::Shared => quote!(#name),
            Pass::Unique => quote!(&mut *#name),
            Pass::Owned if clone_owned => {
                let krate = respan(krate, *span);
                // The type named (when it can be), so a type that is not `Clone` is one error
                // at the argument, and rustc does not suggest borrowing the pattern.
                match ty {
                    Some(ty) => {
                        quote_spanned!(*span=> #krate::__private::clone_arg::<#ty>(&#name))
                    }
                    None => quote_spanned!(*span=> #krate::__private::clone_arg(&#name)),
                }
            }
            Pass::Owned => quote!(#name),
        },
    );
    quote!(#(#args),*)
}

/// `tokens` located at `span`, groups included.
fn respan_deep(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|t| match t {
            proc_macro2::TokenTree::Group(g) => {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), respan_deep(g.stream(), span));
                group.set_span(g.span().located_at(span));
                proc_macro2::TokenTree::Group(group)
            }
            mut t => {
                t.set_span(t.span().located_at(span));
                t
            }
        })
        .collect()
}

/// A call of one target with the function's arguments (`clone_owned`: owned ones cloned).
/// Through `FallbackTarget` with the argument types as declared, so a target taking other
/// arguments is one error at the target naming both signatures (a direct call when a type
/// cannot be written, an `impl Trait`).
fn target_call(
    krate: &TokenStream,
    target: &ExprPath,
    params: &[PassedArg],
    clone_owned: bool,
) -> TokenStream {
    let call_args = target_args(params, krate, clone_owned);
    let span = target.span();
    let types: Option<Vec<&TokenStream>> = params.iter().map(|p| p.ty.as_ref()).collect();
    let Some(types) = types else {
        return quote_spanned!(span=> #target(#call_args));
    };
    let private_here = respan(&quote!(#krate::__private), span);
    let tuple = if params.is_empty() {
        quote_spanned!(span=> ())
    } else {
        quote_spanned!(span=> (#call_args,))
    };
    // The types keep the target's span: the call's span must not join the signature's.
    let types = respan_deep(quote!((#(#types,)*)), span);
    quote_spanned!(span=> #private_here::call_target::<#types, _, _>(#target, #tuple))
}

/// The name a target is reported by: `Type::backup` for `Self::backup`, else the path as written.
fn target_name(krate: &TokenStream, target: &ExprPath) -> TokenStream {
    let segments = &target.path.segments;
    if target.qself.is_none() && segments.len() == 2 && segments[0].ident == "Self" {
        let name = syn::ext::IdentExt::unraw(&segments[1].ident).to_string();
        return name_expr(krate, &name, true);
    }
    // Identifiers cannot contain `#`: `r#` is only ever a raw identifier's prefix.
    let text = quote!(#target)
        .to_string()
        .replace(' ', "")
        .replace("r#", "");
    quote!(#text)
}

/// The fallback layer. `reused`: a retry above may run this layer again, so no target may
/// take an owned argument.
pub(crate) fn layer(
    ctx: &FnContext,
    krate: &TokenStream,
    args: &FallbackArgs,
    params: &[PassedArg],
    inner: Wrapped,
    reused: bool,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let targets = &args.to.as_ref().expect("a missing `to` was reported").value;
    let error = format_ident!("__fallback_error", span = Span::mixed_site());
    let value = format_ident!("__fallback_value", span = Span::mixed_site());
    let result = format_ident!("__fallback_result", span = Span::mixed_site());

    let when = ctx.typed(krate, args.when.as_ref().map(|s| &s.value), "predicate");
    let switches = super::private_fn_at(krate, "switches", args.when.as_ref().map(|s| &s.value));
    let hook = ctx.typed(
        krate,
        args.on_fallback.as_ref().map(|s| &s.value),
        "fallback_hook",
    );

    let (site, self_type) = (&ctx.site, ctx.self_type());
    let show_error = ctx.pick_show_error(krate);
    // Built from the last target back to the first.
    let mut names: Vec<TokenStream> = vec![ctx.name_expr()];
    names.extend(targets.iter().map(|t| target_name(krate, t)));
    let mut chain = quote!(#private::Result::Err(#error));
    for (k, target) in targets.iter().enumerate().rev() {
        let last = k + 1 == targets.len();
        let span = target.span();
        let returned_here = ctx.returned_at(span);
        let invoke = target_call(krate, target, params, reused || !last);
        // The result is named at the target, so a wrong return type is reported there.
        // (At the user's own span: a hygienic name would be reported at the attribute.)
        let out = syn::Ident::new("__fallback_out", span);
        let awaited = if ctx.flavor.is_async() {
            quote_spanned!(span=> #invoke.await)
        } else {
            invoke
        };
        // Checked against the return type as written, then spelled `Result<T, E>`.
        let same =
            quote_spanned!(span=> { let #out = #awaited; #returned_here.fallback_result(#out) });
        let call = ctx.body_result(krate, same);
        let (from, to) = (&names[k], &names[k + 1]);
        chain = quote! {
            if !#switches(&#when, &#error) {
                #private::Result::Err(#error)
            } else {
                #private::fell_back(&#hook, &#error, #from, #to, &#site, #self_type, &#show_error);
                // The arguments are passed on as written, `_unused` ones included.
                #[allow(clippy::used_underscore_binding)]
                let #result = #call;
                match #result {
                    #private::Result::Ok(#value) => #private::Result::Ok(#value),
                    #private::Result::Err(#error) => #chain,
                }
            }
        };
    }

    if let (Some(after), true) = (&args.hedge_after, ctx.flavor.is_async()) {
        return hedged(ctx, krate, args, params, inner, after.value, &names);
    }
    let primary = inner.run_once(ctx, krate);
    quote! {
        match #primary {
            #private::Result::Ok(#value) => #private::Result::Ok(#value),
            #private::Result::Err(#error) => #chain,
        }
    }
}

/// The fallback layer with `hedge_after` (async only): the primary and every target as pinned
/// futures, raced by the runtime's `hedge`, which starts each when the one before it has run
/// `after` or failed. Every target may run beside another, so each gets its own clone of an
/// owned argument (made only when it starts).
fn hedged(
    ctx: &FnContext,
    krate: &TokenStream,
    args: &FallbackArgs,
    params: &[PassedArg],
    inner: Wrapped,
    after: std::time::Duration,
    names: &[TokenStream],
) -> TokenStream {
    let private = quote!(#krate::__private);
    let targets = &args.to.as_ref().expect("a missing `to` was reported").value;
    let when = ctx.typed(krate, args.when.as_ref().map(|s| &s.value), "predicate");
    let switches = super::private_fn_at(krate, "switches", args.when.as_ref().map(|s| &s.value));
    let hook = ctx.typed(
        krate,
        args.on_fallback.as_ref().map(|s| &s.value),
        "fallback_hook",
    );
    let (site, self_type) = (&ctx.site, ctx.self_type());
    let show_error = ctx.pick_show_error(krate);
    let (when_value, hook_value) = (
        format_ident!("__hedge_when", span = Span::mixed_site()),
        format_ident!("__hedge_hook", span = Span::mixed_site()),
    );
    let (error, from, to) = (
        format_ident!("__hedge_error", span = Span::mixed_site()),
        format_ident!("__hedge_from", span = Span::mixed_site()),
        format_ident!("__hedge_to", span = Span::mixed_site()),
    );
    let names_value = format_ident!("__hedge_names", span = Span::mixed_site());

    let mut futures = Vec::new();
    let mut lets = TokenStream::new();
    let primary = inner.run_once(ctx, krate);
    let first = format_ident!("__hedge_0", span = Span::mixed_site());
    lets.extend(quote!(let #first = ::core::pin::pin!(async { #primary });));
    futures.push(first);
    for (k, target) in targets.iter().enumerate() {
        let span = target.span();
        let returned_here = ctx.returned_at(span);
        let invoke = target_call(krate, target, params, true);
        let out = syn::Ident::new("__fallback_out", span);
        let future = format_ident!("__hedge_{}", k + 1, span = Span::mixed_site());
        let same = quote_spanned!(span=> { let #out = #invoke.await; #returned_here.fallback_result(#out) });
        let result = ctx.body_result(krate, same);
        lets.extend(quote_spanned! {span=>
            #[allow(clippy::used_underscore_binding)]
            let #future = ::core::pin::pin!(async { #result });
        });
        futures.push(future);
    }
    let after = super::duration_tokens(after);
    let count = names.len();
    quote! {{
        let #when_value = #when;
        let #hook_value = #hook;
        #lets
        #private::hedge(
            #after,
            (#(#futures,)*),
            |#error| #switches(&#when_value, #error),
            |#error, #from: usize, #to: usize| {
                let #names_value: [&'static str; #count] = [#(#names),*];
                #private::fell_back(
                    &#hook_value, #error, #names_value[#from], #names_value[#to],
                    &#site, #self_type, &#show_error,
                );
            },
            |#from: usize, #to: usize| {
                let #names_value: [&'static str; #count] = [#(#names),*];
                #private::hedged(&#site, #self_type, #names_value[#from], #names_value[#to]);
            },
        )
        .await
    }}
}
