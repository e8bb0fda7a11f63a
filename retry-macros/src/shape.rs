//! What kind of function an attribute sits on, shared by all three attributes.
//!
//! The signature is always written back exactly as the user wrote it; only the body changes.
//! Three body shapes exist:
//!
//! - a plain `fn`: the body becomes a closure run once per attempt;
//! - an `async fn` (free, inherent, or native in a trait impl): the body becomes an `async`
//!   block created afresh for each attempt, borrowing the arguments;
//! - a method rewritten by `#[async_trait]` (which runs first, being on the impl): a plain `fn`
//!   whose body is `Box::pin(async move { <moves>; let __ret: R = { body }; __ret })`. The
//!   arguments are moved into that block once; only the inner `{ body }` is retried, so each
//!   attempt borrows them afresh.
//!
//! It also knows how the function's arguments reach a fallback target ([`Pass`]): references
//! are passed on, owned values moved or cloned. The checks that a function can be wrapped at
//! all (a body, not `const`, a `Result`) are made while reading it; the rules between an
//! attribute's keys and the function are [`crate::valid`]'s.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Block, Expr, FnArg, Ident, ItemFn, Pat, ReturnType, Signature, Stmt, Type};

/// How the body runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Sync,
    Async,
    AsyncTrait,
}

impl Flavor {
    pub(crate) fn is_async(self) -> bool {
        !matches!(self, Flavor::Sync)
    }
}

/// A function the attributes can wrap, with the facts the expansions need.
pub(crate) struct Function {
    pub(crate) item: ItemFn,
    pub(crate) flavor: Flavor,
}

impl Function {
    /// Parses the annotated item. On failure returns the error and the item's tokens to emit
    /// unchanged (an attribute never swallows the user's code).
    pub(crate) fn parse(item: TokenStream, attr_name: &str) -> Result<Function, syn::Error> {
        let parsed: ItemFn = match syn::parse2(item.clone()) {
            Ok(f) => f,
            Err(_) => {
                // A trait method without a body parses as a `TraitItemFn`.
                let message = match syn::parse2::<syn::TraitItemFn>(item.clone()) {
                    Ok(m) if m.default.is_none() => format!(
                        "`#[{attr_name}]` needs a function body: put it on the method in the `impl` block, not on the trait's declaration"
                    ),
                    _ => format!("`#[{attr_name}]` can only be used on a function"),
                };
                let span = first_span(&item);
                return Err(syn::Error::new(span, message));
            }
        };
        let sig = &parsed.sig;
        if let Some(c) = &sig.constness {
            return Err(syn::Error::new(
                c.span(),
                format!("`#[{attr_name}]` cannot be used on a `const fn`: retrying needs a run-time loop"),
            ));
        }
        if matches!(sig.output, ReturnType::Default) {
            return Err(syn::Error::new(
                sig.paren_token.span.close(),
                format!("`#[{attr_name}]` needs a function that returns `Result<T, E>`, and this one returns `()`"),
            ));
        }
        if let ReturnType::Type(_, ty) = &sig.output {
            if let Some(what) = not_a_result(ty) {
                return Err(syn::Error::new_spanned(
                    ty,
                    format!("`#[{attr_name}]` needs a function that returns `Result<T, E>` (or an alias such as `io::Result<T>`), and this one returns {what}"),
                ));
            }
        }
        let flavor = if sig.asyncness.is_some() {
            Flavor::Async
        } else if async_trait_body(&parsed.block).is_some() {
            Flavor::AsyncTrait
        } else {
            Flavor::Sync
        };
        Ok(Function {
            item: parsed,
            flavor,
        })
    }

    pub(crate) fn sig(&self) -> &Signature {
        &self.item.sig
    }

    /// Whether the function takes `self` in some form (then it is named `Type::name`).
    pub(crate) fn has_receiver(&self) -> bool {
        self.item
            .sig
            .inputs
            .iter()
            .any(|arg| matches!(arg, FnArg::Receiver(_)))
    }

    /// The arguments as a fallback target receives them, in order; an argument without a
    /// plain name (see [`Function::unnamed_args`]) is left out.
    pub(crate) fn passed_args(&self) -> Vec<PassedArg> {
        let mut args = Vec::new();
        for input in &self.sig().inputs {
            match input {
                FnArg::Receiver(r) => {
                    // `#[async_trait]` has moved `self` into `__self`.
                    let name = if self.flavor == Flavor::AsyncTrait {
                        Ident::new("__self", Span::call_site())
                    } else {
                        Ident::new("self", r.self_token.span)
                    };
                    // `ty` is `Self`, `&Self`, `&mut Self` or as written (`self: Box<Self>`).
                    args.push(PassedArg {
                        name: quote!(#name),
                        pass: pass_of(&r.ty),
                        span: r.span(),
                        ty: nameable(&r.ty),
                    });
                }
                FnArg::Typed(t) => {
                    if let Some(ident) = plain_name(&t.pat) {
                        args.push(PassedArg {
                            name: quote!(#ident),
                            pass: pass_of(&t.ty),
                            span: t.pat.span(),
                            ty: nameable(&t.ty),
                        });
                    }
                }
            }
        }
        args
    }

    /// The patterns of arguments that are not a plain name (`(a, b): (u8, u8)`), which
    /// cannot be passed on.
    pub(crate) fn unnamed_args(&self) -> impl Iterator<Item = &Pat> {
        self.sig().inputs.iter().filter_map(|input| match input {
            FnArg::Typed(t) if plain_name(&t.pat).is_none() => Some(&*t.pat),
            _ => None,
        })
    }

    /// The span of the return type, for messages about it.
    pub(crate) fn return_span(&self) -> Span {
        match &self.item.sig.output {
            ReturnType::Type(_, ty) => ty.span(),
            ReturnType::Default => self.item.sig.ident.span(),
        }
    }

    /// Replaces the part of the body that runs once per call with `wrap(user_body)`.
    /// For `#[async_trait]` methods that is the inner `{ body }` of `let __ret: R = { body };`.
    pub(crate) fn wrap_body(mut self, wrap: impl FnOnce(Block) -> Block) -> ItemFn {
        match self.flavor {
            Flavor::Sync | Flavor::Async => {
                let body = std::mem::replace(&mut *self.item.block, empty_block());
                *self.item.block = wrap(body);
            }
            Flavor::AsyncTrait => {
                let slot = async_trait_body_mut(&mut self.item.block)
                    .expect("flavor was detected from this body");
                let body = std::mem::replace(slot, empty_block());
                *slot = wrap(body);
            }
        }
        self.item
    }
}

/// How an argument is handed to a fallback target.
#[derive(Clone, Copy)]
pub(crate) enum Pass {
    /// `&T`: copied.
    Shared,
    /// `&mut T`: reborrowed.
    Unique,
    /// `T`: moved into the last target, cloned for earlier ones.
    Owned,
}

/// One argument as the targets receive it.
pub(crate) struct PassedArg {
    /// `x`, `self`, or `__self` in an `#[async_trait]` body.
    pub(crate) name: TokenStream,
    pub(crate) pass: Pass,
    /// The argument as written, for messages about cloning it.
    pub(crate) span: Span,
    /// Its type as declared, when it can be written in the body (not an `impl Trait`).
    pub(crate) ty: Option<TokenStream>,
}

/// `ty` as tokens, unless it holds an `impl Trait`, which cannot be named in the body.
fn nameable(ty: &Type) -> Option<TokenStream> {
    fn has_impl(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) => i == "impl",
            proc_macro2::TokenTree::Group(g) => has_impl(g.stream()),
            _ => false,
        })
    }
    let tokens = quote!(#ty);
    (!has_impl(tokens.clone())).then_some(tokens)
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

fn empty_block() -> Block {
    Block {
        brace_token: Default::default(),
        stmts: Vec::new(),
    }
}

fn first_span(tokens: &TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

/// The `{ body }` inside `Box::pin(async move { ..; let __ret: R = { body }; __ret })`.
fn async_trait_body(block: &Block) -> Option<&Block> {
    let async_block = boxed_async_block(block)?;
    async_block.block.stmts.iter().find_map(|stmt| match stmt {
        Stmt::Local(local) if is_ret_binding(local) => match &*local.init.as_ref()?.expr {
            Expr::Block(b) => Some(&b.block),
            _ => None,
        },
        _ => None,
    })
}

fn async_trait_body_mut(block: &mut Block) -> Option<&mut Block> {
    let async_block = boxed_async_block_mut(block)?;
    async_block
        .block
        .stmts
        .iter_mut()
        .find_map(|stmt| match stmt {
            Stmt::Local(local) if is_ret_binding(local) => match &mut *local.init.as_mut()?.expr {
                Expr::Block(b) => Some(&mut b.block),
                _ => None,
            },
            _ => None,
        })
}

fn is_ret_binding(local: &syn::Local) -> bool {
    let pat = match &local.pat {
        syn::Pat::Type(t) => &*t.pat,
        other => other,
    };
    matches!(pat, syn::Pat::Ident(p) if p.ident == "__ret")
}

/// `Box::pin(async move { .. })` as the body's only statement.
fn boxed_async_block(block: &Block) -> Option<&syn::ExprAsync> {
    let [Stmt::Expr(Expr::Call(call), None)] = block.stmts.as_slice() else {
        return None;
    };
    if !is_box_pin(&call.func) || call.args.len() != 1 {
        return None;
    }
    match call.args.first()? {
        Expr::Async(a) if a.capture.is_some() => Some(a),
        _ => None,
    }
}

fn boxed_async_block_mut(block: &mut Block) -> Option<&mut syn::ExprAsync> {
    let [Stmt::Expr(Expr::Call(call), None)] = block.stmts.as_mut_slice() else {
        return None;
    };
    if !is_box_pin(&call.func) || call.args.len() != 1 {
        return None;
    }
    match call.args.first_mut()? {
        Expr::Async(a) if a.capture.is_some() => Some(a),
        _ => None,
    }
}

fn is_box_pin(func: &Expr) -> bool {
    let Expr::Path(p) = func else { return false };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments.ends_with(&["Box".to_string(), "pin".to_string()])
}

/// What a return type is when it is visibly not a `Result` (a primitive, `String`, `Option`,
/// `Vec`, a tuple, a reference, `impl Trait`...); `None` when it may be one or an alias of one
/// (the compiler then checks it, with this library's message).
fn not_a_result(ty: &syn::Type) -> Option<String> {
    const NOT_RESULTS: &[&str] = &[
        "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64", "String", "Option", "Vec", "Box", "Rc", "Arc",
    ];
    let text = || {
        let written = quote::ToTokens::to_token_stream(ty).to_string();
        format!("`{}`", written.replace(' ', ""))
    };
    match ty {
        syn::Type::Paren(p) => not_a_result(&p.elem),
        syn::Type::Group(g) => not_a_result(&g.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            NOT_RESULTS
                .contains(&last.ident.to_string().as_str())
                .then(text)
        }
        syn::Type::Path(_) | syn::Type::Macro(_) | syn::Type::Infer(_) | syn::Type::Verbatim(_) => {
            None
        }
        _ => Some(text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flavor(tokens: TokenStream) -> Result<Flavor, String> {
        Function::parse(tokens, "retry_on_failure")
            .map(|f| f.flavor)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn flavors() {
        assert_eq!(
            flavor(quote!(
                fn f() -> Result<(), E> {
                    Ok(())
                }
            )),
            Ok(Flavor::Sync)
        );
        assert_eq!(
            flavor(quote!(
                async fn f(&mut self) -> io::Result<u8> {
                    Ok(1)
                }
            )),
            Ok(Flavor::Async)
        );
        let async_trait = quote! {
            fn f<'life0, 'async_trait>(&'life0 self) -> Pin<Box<dyn Future<Output = Result<u8, E>> + Send + 'async_trait>> {
                Box::pin(async move {
                    if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<Result<u8, E>> {
                        #[allow(unreachable_code)]
                        return __ret;
                    }
                    let __self = self;
                    let __ret: Result<u8, E> = { __self.go().await };
                    #[allow(unreachable_code)]
                    __ret
                })
            }
        };
        assert_eq!(flavor(async_trait), Ok(Flavor::AsyncTrait));
    }

    #[test]
    fn rejected_items() {
        let e = flavor(quote!(
            struct S;
        ))
        .unwrap_err();
        assert!(e.contains("only be used on a function"), "{e}");
        let e = flavor(quote!(
            fn f(&self) -> Result<(), E>;
        ))
        .unwrap_err();
        assert!(e.contains("needs a function body"), "{e}");
        let e = flavor(quote!(
            const fn f() -> Result<(), E> {
                Ok(())
            }
        ))
        .unwrap_err();
        assert!(e.contains("const fn"), "{e}");
        let e = flavor(quote!(
            fn f() {}
        ))
        .unwrap_err();
        assert!(e.contains("returns `()`"), "{e}");
    }
}
