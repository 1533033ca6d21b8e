//! Arbitrary bytes through the index and exact-set file parsers (the code under `Index::open`
//! and `ExactSet::open`), then queries and mutations on whatever parses. Must never panic.
//!
//! Random bytes almost never carry a valid header checksum, so each input is also tried with
//! its header repaired (length field and header checksum recomputed) and the payload checksum
//! skipped: that lets the fuzzer reach the section table and the structural checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tutela_index::{Index, Md5Set, OpenOptions, Sha256Set};
use xxhash_rust::xxh3::xxh3_64;

fn repaired(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 128 {
        return None;
    }
    let mut v = data.to_vec();
    let len = v.len() as u64;
    v[16..24].copy_from_slice(&len.to_le_bytes());
    let sum = xxh3_64(&v[..120]);
    v[120..128].copy_from_slice(&sum.to_le_bytes());
    Some(v)
}

fn exercise(bytes: &[u8], opts: &OpenOptions) {
    let q = [0x0123_4567_89ab_cdef, !0, 0, 0x5555_5555_5555_5555];
    if let Ok(mut index) = Index::from_bytes(bytes, opts) {
        let _ = index.query(&q, 31);
        let _ = index.query_many(&[q, [0; 4]], 64);
        let _ = index.explain(&q, 31);
        let _ = index.get(0);
        let _ = index.disable(1);
        let _ = index.add(q);
        index.compact();
        let _ = index.query(&q, 256);
        let _ = index.live_len();
    }
    if let Ok(mut set) = Sha256Set::from_bytes(bytes, opts) {
        let _ = set.contains(&[0; 32]);
        set.insert([7; 32]);
        set.disable(&[7; 32]);
        set.compact();
        let _ = set.len();
    }
    if let Ok(mut set) = Md5Set::from_bytes(bytes, opts) {
        let _ = set.contains(&[0; 16]);
        set.insert([7; 16]);
        set.compact();
        let _ = set.len();
    }
}

fuzz_target!(|data: &[u8]| {
    exercise(data, &OpenOptions::default());
    if let Some(fixed) = repaired(data) {
        exercise(&fixed, &OpenOptions { verify_checksum: false });
    }
});
