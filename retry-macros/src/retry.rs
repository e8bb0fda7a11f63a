//! `#[retry_on_failure]`: the checks against the function, and the plan its expansion follows.

use std::time::Duration;

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::ctxt::Errors;

use crate::attr::{Backoff, Jitter, RetryArgs, Setting};
use crate::expand_retry::{RetryPlan, Setter};
use crate::shape::Function;

/// The rules between the attribute and the function it sits on.
pub(crate) fn check(args: &RetryArgs, function: &Function, errors: &mut Errors) {
    if let Some(timeout) = &args.timeout {
        if !function.flavor.is_async() {
            errors.error(
                timeout.key_span,
                "`timeout` applies only to async functions: a running sync attempt cannot be interrupted",
            );
        }
    }
}

/// The runtime crate's path: `crate = "..."`, or `::retry_runtime`.
pub(crate) fn runtime_path(krate: &Option<Setting<syn::Path>>) -> TokenStream {
    match krate {
        Some(k) => {
            let path = &k.value;
            quote!(#path)
        }
        None => quote!(::retry_runtime),
    }
}

/// `Duration` as a `const` expression.
pub(crate) fn duration_tokens(d: Duration) -> TokenStream {
    let secs = Literal::u64_suffixed(d.as_secs());
    let nanos = Literal::u32_suffixed(d.subsec_nanos());
    quote!(::core::time::Duration::new(#secs, #nanos))
}

pub(crate) fn plan(args: &RetryArgs) -> RetryPlan {
    let krate = runtime_path(&args.krate);
    let backoff_path = |b: Backoff| {
        let variant = syn::Ident::new(
            match b {
                Backoff::Exponential => "Exponential",
                Backoff::Linear => "Linear",
                Backoff::Fixed => "Fixed",
                Backoff::Decorrelated => "Decorrelated",
            },
            Span::call_site(),
        );
        quote!(#krate::Backoff::#variant)
    };

    let mut setters = Vec::new();
    let base = match (&args.policy, &args.backoff) {
        (Some(policy), backoff) => {
            if let Some(b) = backoff {
                let kind = backoff_path(b.value);
                setters.push(Setter {
                    method: "backoff",
                    args: quote!(#kind),
                    span: b.key_span,
                });
            }
            let path = &policy.value;
            quote_spanned!(policy.value_span=> #path)
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

    if let Some(s) = &args.max_attempts {
        let n = Literal::u32_suffixed(s.value);
        setters.push(Setter {
            method: "max_attempts",
            args: quote!(#n),
            span: s.key_span,
        });
    }
    if let Some(s) = &args.max_retries {
        let n = Literal::u32_suffixed(s.value);
        setters.push(Setter {
            method: "max_retries",
            args: quote!(#n),
            span: s.key_span,
        });
    }
    if let Some(s) = &args.multiplier {
        let m = Literal::f64_suffixed(s.value);
        setters.push(Setter {
            method: "multiplier",
            args: quote!(#m),
            span: s.key_span,
        });
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
        setters.push(Setter {
            method: "jitter",
            args: quote!(#j),
            span: s.key_span,
        });
    }
    match (&args.initial_delay, &args.max_delay) {
        (Some(i), Some(m)) => {
            // Both together, checked against each other only: the order they override a
            // `policy` in must not matter.
            let (iv, mv) = (duration_tokens(i.value), duration_tokens(m.value));
            setters.push(Setter {
                method: "__delays",
                args: quote!(#iv, #mv),
                span: i.later_key(m),
            });
        }
        (Some(i), None) => {
            let v = duration_tokens(i.value);
            setters.push(Setter {
                method: "initial_delay",
                args: quote!(#v),
                span: i.key_span,
            });
        }
        (None, Some(m)) => {
            let v = duration_tokens(m.value);
            setters.push(Setter {
                method: "max_delay",
                args: quote!(#v),
                span: m.key_span,
            });
        }
        (None, None) => {}
    }
    if let Some(s) = &args.max_elapsed {
        let v = duration_tokens(s.value);
        setters.push(Setter {
            method: "max_elapsed",
            args: quote!(#v),
            span: s.key_span,
        });
    }
    if let Some(s) = &args.timeout {
        let v = duration_tokens(s.value);
        setters.push(Setter {
            method: "timeout",
            args: quote!(#v),
            span: s.key_span,
        });
    }

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
        timeout: args.timeout.as_ref().map(|s| s.key_span),
        from_policy: args.policy.as_ref().map(|s| s.key_span),
    }
}
