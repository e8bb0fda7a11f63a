//! The attributes' side of the shared duration and number grammar: a thin `syn` wrapper.
//!
//! The grammar itself is `duration_grammar.rs`, the runtime's own `duration.rs` compiled here
//! through a symlink, so a literal in an attribute and a value in a `RETRY_*` environment
//! variable are read by the same code. This module puts the grammar's duration errors at the
//! literal's span, and passes on the number rule, which reads a literal's
//! `base10_digits()`.

use std::time::Duration;

use syn::LitStr;

use super::duration_grammar::parse_duration;
pub(crate) use super::duration_grammar::{format_duration, parse_number, NumberError};

/// Parses a duration literal, with the error spanning the literal.
pub(crate) fn parse_duration_lit(lit: &LitStr) -> syn::Result<Duration> {
    parse_duration(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lit_errors_span_the_literal() {
        let lit: LitStr = syn::parse_str("\"5sec\"").unwrap();
        let error = parse_duration_lit(&lit).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown duration unit `sec`; did you mean `s`?"
        );
        assert_eq!(error.span().source_text().as_deref(), Some("\"5sec\""));
        let lit: LitStr = syn::parse_str("\"1m30s\"").unwrap();
        assert_eq!(parse_duration_lit(&lit).unwrap(), Duration::from_secs(90));
    }

    #[test]
    fn literal_digits_follow_the_shared_number_rule() {
        let lit: syn::LitFloat = syn::parse_str("1e400").unwrap();
        assert_eq!(
            parse_number(lit.base10_digits()),
            Err(NumberError::NotFinite)
        );
        let lit: syn::LitFloat = syn::parse_str("1_000.5f64").unwrap();
        assert_eq!(parse_number(lit.base10_digits()), Ok(1000.5));
    }
}
