//! Exact-hash sets against a `HashSet` model under random operations, and on-disk round trips.

mod common;

use std::collections::HashSet;

use common::rng;
use rand::Rng;
use tutela_index::{ExactSet, Md5Set, OpenOptions, Sha256Set};

fn random_ops<const N: usize>(seed: u64) {
    let mut r = rng(seed);
    // Hashes from a small pool so inserts, disables and lookups collide often; the first two
    // bytes from an even smaller range so prefix buckets hold many entries.
    let pool: Vec<[u8; N]> = (0..3000)
        .map(|_| {
            let mut h = [0u8; N];
            r.fill(&mut h[..]);
            h[0] = r.random_range(0..4);
            h
        })
        .collect();
    let initial: Vec<[u8; N]> = pool[..1000].to_vec();
    let mut model: HashSet<[u8; N]> = initial.iter().copied().collect();
    let mut set = ExactSet::<N>::from_hashes([initial.clone(), initial].concat());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set");
    for step in 0..20_000 {
        let h = pool[r.random_range(0..pool.len())];
        match r.random_range(0..10) {
            0..=3 => assert_eq!(set.insert(h), model.insert(h), "insert at {step}"),
            4..=5 => assert_eq!(set.disable(&h), model.remove(&h), "disable at {step}"),
            _ => assert_eq!(set.contains(&h), model.contains(&h), "contains at {step}"),
        }
        if step % 2500 == 0 {
            set.compact();
        }
        if step % 5000 == 4999 {
            set.save(&path).unwrap();
            set = ExactSet::<N>::open(&path).unwrap();
        }
        assert_eq!(set.len(), model.len(), "len at {step}");
    }
    for h in &pool {
        assert_eq!(set.contains(h), model.contains(h));
    }
    set.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let copy = ExactSet::<N>::from_bytes(&bytes, &OpenOptions::default()).unwrap();
    let mapped = ExactSet::<N>::open_with(
        &path,
        &OpenOptions {
            verify_checksum: false,
        },
    )
    .unwrap();
    for h in &pool {
        assert_eq!(copy.contains(h), model.contains(h));
        assert_eq!(mapped.contains(h), model.contains(h));
    }
}

#[test]
fn sha256_set_matches_model() {
    random_ops::<32>(1);
}

#[test]
fn md5_set_matches_model() {
    random_ops::<16>(2);
}

#[test]
fn empty_sets() {
    let s = Sha256Set::new();
    assert!(s.is_empty() && !s.contains(&[0; 32]));
    let dir = tempfile::tempdir().unwrap();
    s.save(dir.path().join("e")).unwrap();
    let o = Sha256Set::open(dir.path().join("e")).unwrap();
    assert!(o.is_empty());
    let mut m = Md5Set::default();
    assert!(m.insert([9; 16]) && !m.insert([9; 16]) && m.contains(&[9; 16]));
    assert!(m.disable(&[9; 16]) && !m.contains(&[9; 16]) && m.is_empty());
}
