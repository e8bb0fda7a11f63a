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
use syn::{ExprPath, FnArg, Ident, Pat, Type};

use crate::attr::FallbackArgs;
use crate::ctxt::Errors;
use crate::shape::{Flavor, Function};
use crate::stack::{name_expr, Cx, Inner};

/// How an argument is handed to a target.
#[derive(Clone, Copy)]
enum Pass {
    /// `&T`: copied.
    Shared,
    /// `&mut T`: reborrowed.
    Unique,
    /// `T`: moved into the last target, cloned for earlier ones.
    Owned,
}

/// The function's arguments as the targets receive them.
pub(crate) struct Args {
    args: Vec<(TokenStream, Pass, Span)>,
}

impl Args {
    pub(crate) fn of(function: &Function) -> Args {
        let mut args = Vec::new();
        for input in &function.sig().inputs {
            match input {
                FnArg::Receiver(r) => {
                    // `#[async_trait]` has moved `self` into `__self`.
                    let name = if function.flavor == Flavor::AsyncTrait {
                        Ident::new("__self", Span::call_site())
                    } else {
                        Ident::new("self", r.self_token.span)
                    };
                    // `ty` is `Self`, `&Self`, `&mut Self` or as written (`self: Box<Self>`).
                    let pass = pass_of(&r.ty);
                    args.push((quote!(#name), pass, r.span()));
                }
                FnArg::Typed(t) => {
                    if let Some(ident) = plain_name(&t.pat) {
                        args.push((quote!(#ident), pass_of(&t.ty), t.pat.span()));
                    }
                }
            }
        }
        Args { args }
    }

    /// The argument list for one target; `clone_owned` when the target may not take them.
    fn for_target(&self, krate: &TokenStream, clone_owned: bool) -> TokenStream {
        let args = self.args.iter().map(|(name, pass, span)| match pass {
            Pass::Shared => quote!(#name),
            Pass::Unique => quote!(&mut *#name),
            Pass::Owned if clone_owned => {
                let krate = crate::expand_retry::respan(krate, *span);
                quote_spanned!(*span=> #krate::__private::clone_arg(&#name))
            }
            Pass::Owned => quote!(#name),
        });
        quote!(#(#args),*)
    }
}

fn pass_of(ty: &Type) -> Pass {
    match ty {
        Type::Reference(r) if r.mutability.is_some() => Pass::Unique,
        Type::Reference(_) => Pass::Shared,
        Type::Paren(p) => pass_of(&p.elem),
        Type::Group(g) => pass_of(&g.elem),
        _ => Pass::Owned,
    }
}

/// `x` or `mut x`: a name the targets can be given.
fn plain_name(pat: &Pat) -> Option<&Ident> {
    match pat {
        Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => Some(&p.ident),
        _ => None,
    }
}

/// The rules between `#[fallback]` and the function: every argument needs a name to be passed on.
pub(crate) fn check(_args: &FallbackArgs, function: &Function, errors: &mut Errors) {
    for input in &function.sig().inputs {
        if let FnArg::Typed(t) = input {
            if plain_name(&t.pat).is_none() {
                errors.error_spanned_by(
                    &t.pat,
                    "`#[fallback]` passes every argument on to its targets, so each needs a plain name: bind it to a name here and destructure it in the body",
                );
            }
        }
    }
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
    cx: &Cx,
    krate: &TokenStream,
    args: &FallbackArgs,
    params: &Args,
    inner: Inner,
    reused: bool,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let targets = &args.to.as_ref().expect("a missing `to` was reported").value;
    let error = format_ident!("__fallback_error", span = Span::mixed_site());
    let value = format_ident!("__fallback_value", span = Span::mixed_site());
    let result = format_ident!("__fallback_result", span = Span::mixed_site());

    let when = cx.typed(krate, &args.when, "predicate");
    let hook = cx.typed(krate, &args.on_fallback, "fallback_hook");

    let (site, self_type, shower) = (&cx.site, cx.self_type(), cx.shower(krate));
    // Built from the last target back to the first.
    let mut names: Vec<TokenStream> = vec![cx.name_expr()];
    names.extend(targets.iter().map(|t| target_name(krate, t)));
    let mut chain = quote!(#private::Result::Err(#error));
    for (k, target) in targets.iter().enumerate().rev() {
        let last = k + 1 == targets.len();
        let call_args = params.for_target(krate, reused || !last);
        let span = target.span();
        let marker_here = cx.marker_at(span);
        let call = if cx.flavor.is_async() {
            quote_spanned!(span=> #marker_here.fallback_result(#target(#call_args).await))
        } else {
            quote_spanned!(span=> #marker_here.fallback_result(#target(#call_args)))
        };
        let (from, to) = (&names[k], &names[k + 1]);
        chain = quote! {
            if !#private::switches(&#when, &#error) {
                #private::Result::Err(#error)
            } else {
                #private::fell_back(&#hook, &#error, #from, #to, &#site, #self_type, &#shower);
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

    let primary = inner.once(cx, krate);
    quote! {
        match #primary {
            #private::Result::Ok(#value) => #private::Result::Ok(#value),
            #private::Result::Err(#error) => #chain,
        }
    }
}
