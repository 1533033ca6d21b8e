//! The upstream PDQ MIH regression vectors (facebook/ThreatExchange `pdq/data`, see
//! `shared/vectors/pdq/README.md`): 1350 haystack and 100 needle hashes, and every
//! (needle, haystack) pair within distance 32 computed by brute force.

use std::collections::BTreeSet;

use tutela_index::{Code, Index, IndexConfig, Planner, code_from_hex};

fn dir() -> String {
    format!(
        "{}/../../../shared/vectors/pdq/hash-lists",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn read_hashes(name: &str) -> Vec<Code> {
    let path = format!("{}/{name}", dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| code_from_hex(l).unwrap_or_else(|| panic!("{path}: bad hash {l}")))
        .collect()
}

/// (needle, haystack, distance) triples.
fn expected() -> BTreeSet<(u32, u32, u32)> {
    let path = format!("{}/expected-needles-in-haystack.txt", dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<u32> = l.split(',').map(|x| x.trim().parse().unwrap()).collect();
            (f[0], f[1], f[2])
        })
        .collect()
}

#[test]
fn upstream_needles_in_haystack() {
    let haystack = read_hashes("haystack.txt");
    let needles = read_hashes("needles.txt");
    assert_eq!((haystack.len(), needles.len()), (1350, 100));
    let all = expected();
    assert!(all.iter().all(|&(_, _, d)| d <= 32));

    let configs = [
        IndexConfig::default(),
        IndexConfig {
            tables: Some(16),
            planner: Planner::AlwaysMih,
            min_mih_len: 1,
            ..IndexConfig::default()
        },
        IndexConfig {
            tables: Some(11),
            planner: Planner::AlwaysMih,
            min_mih_len: 1,
            ..IndexConfig::default()
        },
    ];
    for cfg in configs {
        let index = Index::build_with(haystack.clone(), cfg.clone()).unwrap();
        for radius in [31, 32] {
            let want: BTreeSet<_> = all.iter().copied().filter(|t| t.2 <= radius).collect();
            assert!(!want.is_empty());
            let single: BTreeSet<_> = needles
                .iter()
                .enumerate()
                .flat_map(|(ni, n)| {
                    index
                        .query(n, radius)
                        .into_iter()
                        .map(move |h| (ni as u32, h.id, h.distance))
                })
                .collect();
            assert_eq!(single, want, "{cfg:?} radius {radius}: single");
            let batched: BTreeSet<_> = needles
                .chunks(8)
                .enumerate()
                .flat_map(|(ci, chunk)| {
                    index
                        .query_many(chunk, radius)
                        .into_iter()
                        .map(move |h| (ci as u32 * 8 + h.query, h.id, h.distance))
                })
                .collect();
            assert_eq!(batched, want, "{cfg:?} radius {radius}: batched");
        }
    }
}
