//! Exact Hamming range search over 256-bit PDQ codes, and exact-hash sets.
//!
//! * [`Index`]: every live stored code within a radius of a query, 100% recall (tested against
//!   brute force). Multi-index hashing (MIH) over `m` disjoint bit blocks whose width follows
//!   the segment size (about `log2(n)` bits, so a bucket holds about one code: 11 blocks of
//!   23-24 bits at 10M, 14 of 18-19 at 1M, 16 of 16 at 100k), CSR bucket arrays, a linear
//!   scan for small segments and as the fallback when a query's counted candidates would cost
//!   more than a scan (codes sharing most blocks). Adds go to a linearly scanned tail, then a
//!   delta MIH segment; [`Index::compact`] (or automatic compaction) merges them into the main
//!   segment. Disabled ids are a bitset applied to results.
//! * [`ExactSet`]: SHA-256 / MD5 membership, a sorted array with a prefix directory plus a
//!   small delta.
//! * On-disk format (`disk.rs`): header with magic, version and its own checksum, a section
//!   table, 64-byte aligned sections, an xxh3-64 checksum of the payload. Files are written
//!   atomically (temp file, fsync, rename) and memory-mapped on open.
//!
//! Why 11-14 blocks and not the classic 16 x 16 bits: at 10M codes a 16-bit bucket holds 153
//! codes, so radius 31 (17 probes a table) verifies about 41,600 candidates a query, each a
//! random read. Blocks of about `log2(n)` bits trade that for more probes and far fewer
//! candidates. Measured at 10M uniform codes, radius 31, one core, per 8-variant image
//! (`examples/index_bench.rs --tables M`): 16 blocks 9.1 ms (272 probes, 41,558 candidates a
//! query), 13 blocks 3.6 ms, 12 blocks 2.1 ms, 11 blocks 1.3 ms (2,866 probes, 2,914
//! candidates, 123 bytes a hash), 10 blocks 2.3 ms and 287 bytes a hash. The cost model in
//! `mih.rs` picks the block count within a memory budget (`IndexConfig::max_bytes_per_hash`,
//! default 124: 32 for the code, 4 per table for ids, plus the offsets arrays).
//!
//! The only I/O is in [`Index::save`], [`Index::open`], [`ExactSet::save`] and [`ExactSet::open`].

mod buf;
mod disk;
mod error;
mod exact;
mod index;
mod index_file;
mod mih;
mod scan;

pub use disk::OpenOptions;
pub use error::IndexError;
pub use exact::{ExactSet, Md5Set, Sha256Set};
pub use index::{Index, IndexConfig, MAX_ENTRIES, Planner, SegmentPlan};
pub use scan::linear_scan;

/// A 256-bit PDQ code. Limb 0 holds the most significant 64 bits of the wire form (hex chars
/// 0..16 read big-endian), limb 3 the least significant.
pub type Code = [u64; 4];

/// Hamming distance between two codes.
#[inline(always)]
pub fn hamming(a: &Code, b: &Code) -> u32 {
    (a[0] ^ b[0]).count_ones()
        + (a[1] ^ b[1]).count_ones()
        + (a[2] ^ b[2]).count_ones()
        + (a[3] ^ b[3]).count_ones()
}

/// One match of a single query: the stored entry's id and its distance to the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hit {
    pub id: u32,
    pub distance: u32,
}

/// One match of a batched query: which query (index into the batch, e.g. dihedral variant
/// 0..8), the stored entry's id and the distance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BatchHit {
    pub query: u32,
    pub id: u32,
    pub distance: u32,
}

/// Reduces per-variant hits to one hit per entry: the smallest distance, ties going to the
/// lowest query index. Output sorted by id.
pub fn best_per_entry(hits: &[BatchHit]) -> Vec<BatchHit> {
    let mut v = hits.to_vec();
    v.sort_unstable_by_key(|h| (h.id, h.distance, h.query));
    v.dedup_by_key(|h| h.id);
    v
}

/// Parses the 64-hex-char wire form (most significant bit first; upper or lower case).
/// `tutela-pdq` owns the user-facing hash parsing; this is the minimal form the index needs.
pub fn code_from_hex(s: &str) -> Option<Code> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let mut code = [0u64; 4];
    for (i, limb) in code.iter_mut().enumerate() {
        for &c in &s[i * 16..i * 16 + 16] {
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return None,
            };
            *limb = (*limb << 4) | u64::from(v);
        }
    }
    Some(code)
}

/// The 64-lowercase-hex-char wire form.
pub fn code_to_hex(code: &Code) -> String {
    code.iter().map(|l| format!("{l:016x}")).collect()
}

/// A code from its 32 wire bytes (the hex form decoded, most significant byte first).
pub fn code_from_bytes(b: &[u8; 32]) -> Code {
    let mut code = [0u64; 4];
    for (i, limb) in code.iter_mut().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i * 8..i * 8 + 8]);
        *limb = u64::from_be_bytes(w);
    }
    code
}

/// The 32 wire bytes of a code.
pub fn code_to_bytes(code: &Code) -> [u8; 32] {
    let mut b = [0u8; 32];
    for (i, limb) in code.iter().enumerate() {
        b[i * 8..i * 8 + 8].copy_from_slice(&limb.to_be_bytes());
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_limb_order() {
        let h = "f162eb9daab170c0567fe3632d9a5548c5612982dd5e374a7424ebbc8a835c95";
        let c = code_from_hex(h).unwrap();
        assert_eq!(c[0], 0xf162eb9daab170c0);
        assert_eq!(c[3], 0x7424ebbc8a835c95);
        assert_eq!(code_to_hex(&c), h);
        assert_eq!(code_from_bytes(&code_to_bytes(&c)), c);
        assert_eq!(code_to_bytes(&c)[0], 0xf1);
        assert!(code_from_hex(&h[1..]).is_none());
        assert!(code_from_hex(&h.replace('f', "g")).is_none());
    }

    #[test]
    fn hamming_counts_bits() {
        let a = [0u64; 4];
        let b = [1u64, 3, 0, u64::MAX];
        assert_eq!(hamming(&a, &b), 1 + 2 + 64);
        assert_eq!(hamming(&b, &b), 0);
    }

    #[test]
    fn shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Index>();
        assert_send_sync::<Sha256Set>();
    }

    #[test]
    fn best_variant_per_entry() {
        let hits = [
            BatchHit {
                query: 0,
                id: 5,
                distance: 9,
            },
            BatchHit {
                query: 3,
                id: 5,
                distance: 2,
            },
            BatchHit {
                query: 1,
                id: 5,
                distance: 2,
            },
            BatchHit {
                query: 2,
                id: 1,
                distance: 30,
            },
        ];
        let best = best_per_entry(&hits);
        assert_eq!(
            best,
            vec![
                BatchHit {
                    query: 2,
                    id: 1,
                    distance: 30
                },
                BatchHit {
                    query: 1,
                    id: 5,
                    distance: 2
                },
            ]
        );
    }
}
