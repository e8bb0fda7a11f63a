//! The providers' phrases (`"maximum context length"`) as constants with their
//! Knuth–Morris–Pratt tables built at compile time, and the one-pass search of many of them at
//! once over a stream of bytes, ignoring ASCII case.

/// The longest phrase.
const MAX_LEN: usize = 40;
/// Phrases followed in one pass; a longer list takes more passes.
const LANES: usize = 16;

/// A lowercase ASCII phrase and its failure table: `fail[i]` is the length of the longest
/// proper prefix of `text[..=i]` that is also a suffix of it.
#[derive(Debug)]
pub(super) struct Phrase {
    text: &'static [u8],
    fail: [u8; MAX_LEN],
}

impl Phrase {
    /// A phrase; not lowercase ASCII, empty, or longer than [`MAX_LEN`] fails the build.
    pub(super) const fn new(text: &'static str) -> Phrase {
        let bytes = text.as_bytes();
        assert!(
            !bytes.is_empty() && bytes.len() <= MAX_LEN,
            "a phrase is 1 to 40 bytes"
        );
        let mut i = 0;
        while i < bytes.len() {
            assert!(
                bytes[i].is_ascii() && !bytes[i].is_ascii_uppercase(),
                "a phrase is lowercase ASCII"
            );
            i += 1;
        }
        let mut fail = [0u8; MAX_LEN];
        let mut k = 0;
        let mut i = 1;
        while i < bytes.len() {
            while k > 0 && bytes[i] != bytes[k] {
                k = fail[k - 1] as usize;
            }
            if bytes[i] == bytes[k] {
                k += 1;
            }
            fail[i] = k as u8;
            i += 1;
        }
        Phrase { text: bytes, fail }
    }

    /// Follows one more byte of the text from `state` (the length of the phrase's prefix the
    /// text ends with); `None` once the whole phrase has been seen.
    fn step(&self, state: usize, byte: u8) -> Option<usize> {
        let at = |i: usize| self.text.get(i).copied();
        let mut state = state;
        while state > 0 && at(state) != Some(byte) {
            state = usize::from(self.fail.get(state - 1).copied().unwrap_or(0));
        }
        if at(state) == Some(byte) {
            state += 1;
        }
        (state < self.text.len()).then_some(state)
    }
}

/// True when any of `phrases` occurs in `text`: bytes where ASCII letters may be of either
/// case and anything that is not ASCII is a byte of `0x80` or above (which no phrase holds).
/// Linear in the text for each group of [`LANES`] phrases.
pub(super) fn find_any<I>(text: I, phrases: &[Phrase]) -> bool
where
    I: Iterator<Item = u8> + Clone,
{
    phrases.chunks(LANES).any(|group| {
        let mut states = [0usize; LANES];
        text.clone().any(|byte| {
            let byte = byte.to_ascii_lowercase();
            group.iter().zip(states.iter_mut()).any(|(phrase, state)| {
                match phrase.step(*state, byte) {
                    Some(next) => {
                        *state = next;
                        false
                    }
                    None => true,
                }
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(text: &str, phrases: &[&str]) -> bool {
        let text = text.to_ascii_lowercase();
        phrases.iter().any(|p| text.contains(p))
    }

    #[test]
    fn finds_what_contains_finds() {
        const LIST: &[Phrase] = &[
            Phrase::new("aab"),
            Phrase::new("abab"),
            Phrase::new("maximum context length"),
            Phrase::new("(tpm)"),
        ];
        let words = ["aab", "abab", "maximum context length", "(tpm)"];
        for text in [
            "",
            "a",
            "aaab",
            "aabab",
            "abaab",
            "ababab",
            "abbab",
            "This model's MAXIMUM Context Length is 8192",
            "maximum context lengt",
            "on tokens per min (TPM): Limit",
            "(tp m)",
            "ÄAB",
            "é(tpm)é",
        ] {
            assert_eq!(
                find_any(text.bytes(), LIST),
                naive(text, &words),
                "{text:?}"
            );
        }
    }

    #[test]
    fn exhaustive_over_two_letters() {
        // Every text of up to 10 letters over {a, b} against phrases with overlaps.
        const LIST: &[Phrase] = &[
            Phrase::new("abaab"),
            Phrase::new("bbab"),
            Phrase::new("aaa"),
        ];
        let words = ["abaab", "bbab", "aaa"];
        for len in 0..=10 {
            for bits in 0u32..(1 << len) {
                let text: String = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { 'b' } else { 'A' })
                    .collect();
                assert_eq!(find_any(text.bytes(), LIST), naive(&text, &words), "{text}");
            }
        }
    }

    #[test]
    fn many_phrases_take_more_passes() {
        let phrases: Vec<Phrase> = (0..40)
            .map(|i| Phrase::new(Box::leak(format!("p{i:02}").into_boxed_str())))
            .collect();
        assert!(find_any("xx p37 yy".bytes(), &phrases));
        assert!(find_any("xx p03 yy".bytes(), &phrases));
        assert!(!find_any("xx p40 yy".bytes(), &phrases));
    }
}
