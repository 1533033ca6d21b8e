//! Shared test helpers: seeded code generators and the brute-force oracle comparison.
#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tutela_index::{BatchHit, Code, Hit, Index, hamming};

pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

pub fn random_code(rng: &mut StdRng) -> Code {
    [rng.random(), rng.random(), rng.random(), rng.random()]
}

/// `c` with exactly `k` distinct random bits flipped.
pub fn flip(rng: &mut StdRng, c: &Code, k: u32) -> Code {
    let mut out = *c;
    let mut flipped = 0;
    while flipped < k {
        let b = rng.random_range(0..256u32);
        let (limb, bit) = ((b / 64) as usize, b % 64);
        if (out[limb] ^ c[limb]) & (1 << bit) == 0 {
            out[limb] ^= 1 << bit;
            flipped += 1;
        }
    }
    out
}

/// Uniform random codes.
pub fn uniform(rng: &mut StdRng, n: usize) -> Vec<Code> {
    (0..n).map(|_| random_code(rng)).collect()
}

/// `centres` random centres, each with `members` codes 1..=max_flip bits away.
pub fn clustered(rng: &mut StdRng, centres: usize, members: usize, max_flip: u32) -> Vec<Code> {
    let mut out = Vec::with_capacity(centres * (members + 1));
    for _ in 0..centres {
        let c = random_code(rng);
        out.push(c);
        for _ in 0..members {
            let k = rng.random_range(1..=max_flip);
            out.push(flip(rng, &c, k));
        }
    }
    out
}

/// Codes that all share the same bits outside the low `free_bits` of every 64-bit limb: with
/// 16-bit blocks, 12 of the 16 blocks are identical across the whole set (the MIH worst case).
pub fn shared_blocks(rng: &mut StdRng, n: usize, free_bits: u32) -> Vec<Code> {
    let base = random_code(rng);
    let mask = (1u64 << free_bits) - 1;
    (0..n)
        .map(|_| {
            let mut c = base;
            for l in &mut c {
                *l = (*l & !mask) | (rng.random::<u64>() & mask);
            }
            c
        })
        .collect()
}

/// For each query, one planted neighbour at every distance 0..=40, appended to `codes`.
pub fn plant(rng: &mut StdRng, codes: &mut Vec<Code>, queries: &[Code]) {
    for q in queries {
        for d in 0..=40 {
            codes.push(flip(rng, q, d));
        }
    }
}

/// Brute force over `codes`, skipping ids the index reports disabled.
pub fn oracle(index: &Index, codes: &[Code], q: &Code, r: u32) -> Vec<Hit> {
    codes
        .iter()
        .enumerate()
        .filter(|(i, _)| !index.is_disabled(*i as u32))
        .filter_map(|(i, c)| {
            let d = hamming(c, q);
            (d <= r).then_some(Hit {
                id: i as u32,
                distance: d,
            })
        })
        .collect()
}

/// Asserts that single and batched queries equal brute force, for every radius.
pub fn check(index: &Index, codes: &[Code], queries: &[Code], radii: &[u32], what: &str) {
    assert_eq!(index.len(), codes.len(), "{what}: len");
    for &r in radii {
        let mut batch_want = Vec::new();
        for (qi, q) in queries.iter().enumerate() {
            let want = oracle(index, codes, q, r);
            let got = index.query(q, r);
            assert_eq!(got, want, "{what}: query {qi} radius {r}");
            batch_want.extend(want.iter().map(|h| BatchHit {
                query: qi as u32,
                id: h.id,
                distance: h.distance,
            }));
        }
        for (ci, chunk) in queries.chunks(8).enumerate() {
            let got = index.query_many(chunk, r);
            let want: Vec<BatchHit> = batch_want
                .iter()
                .filter(|h| h.query as usize / 8 == ci)
                .map(|h| BatchHit {
                    query: h.query % 8,
                    ..*h
                })
                .collect();
            assert_eq!(got, want, "{what}: batch {ci} radius {r}");
        }
    }
}
