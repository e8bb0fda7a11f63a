//! `CachePadded<T>`: a value alone on its cache lines, so that writes to it never slow down
//! reads or writes of its neighbours (false sharing). The breaker's hot and cold halves, the
//! rate window's per-thread stripes and a retry budget's deposit counter use it.

use std::ops::Deref;

/// `T` aligned (and so padded) to 128 bytes: two 64-byte lines, because modern x86 cores
/// prefetch lines in adjacent pairs, and some ARM cores have 128-byte lines.
#[repr(align(128))]
#[derive(Debug)]
pub(crate) struct CachePadded<T>(T);

impl<T> CachePadded<T> {
    /// Pads `value`. `const`, so padded values can sit in `static`s.
    #[inline]
    pub(crate) const fn new(value: T) -> Self {
        CachePadded(value)
    }
}

impl<T> Deref for CachePadded<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::CachePadded;

    #[test]
    fn neighbours_never_share_a_line_pair() {
        let pair = [CachePadded::new(1u8), CachePadded::new(2u8)];
        assert_eq!(std::mem::align_of_val(&pair[0]), 128);
        let gap = std::ptr::from_ref(&pair[1]) as usize - std::ptr::from_ref(&pair[0]) as usize;
        assert_eq!(gap, 128);
        assert_eq!((*pair[0], *pair[1]), (1, 2));
    }
}
