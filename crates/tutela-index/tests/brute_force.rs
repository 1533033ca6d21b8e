//! The index against brute force: random, clustered and shared-block sets, planted neighbours
//! at every distance 0..=40, single and batched queries, every planner and several layouts,
//! mutations and a save/open round trip.

mod common;

use common::*;
use proptest::prelude::*;
use tutela_index::{Code, Index, IndexConfig, OpenOptions, Planner, best_per_entry};

const RADII: &[u32] = &[0, 1, 2, 7, 15, 16, 17, 23, 31, 32, 40, 47, 64];

fn config(tables: Option<u32>, planner: Planner) -> IndexConfig {
    IndexConfig {
        tables,
        planner,
        min_mih_len: 1,
        ..IndexConfig::default()
    }
}

/// Configurations every data set is checked under: the default planner, forced MIH with
/// several block counts (narrow and wide blocks, uneven widths), and forced scans.
fn configs() -> Vec<(String, IndexConfig)> {
    let mut v = vec![
        ("auto".to_string(), config(None, Planner::Auto)),
        ("scan".to_string(), config(None, Planner::AlwaysScan)),
    ];
    // 10 and 11 blocks (24-26 bits) are the large-set layouts; their offset arrays are big,
    // so they are covered by the vectors test and the benchmark instead.
    for m in [12, 13, 16, 21, 32, 64] {
        v.push((format!("mih{m}"), config(Some(m), Planner::AlwaysMih)));
    }
    v
}

fn data_set(kind: &str, seed: u64) -> (Vec<Code>, Vec<Code>) {
    let mut r = rng(seed);
    let mut codes = match kind {
        "uniform" => uniform(&mut r, 6000),
        "clustered" => clustered(&mut r, 150, 30, 20),
        "shared" => shared_blocks(&mut r, 3000, 16),
        _ => unreachable!(),
    };
    // Queries: half fresh, half near stored codes (inside clusters for the clustered set).
    let mut queries: Vec<Code> = (0..4).map(|_| random_code(&mut r)).collect();
    for i in 0..4 {
        let c = codes[(i * 997) % codes.len()];
        queries.push(flip(&mut r, &c, 3 + i as u32));
    }
    plant(&mut r, &mut codes, &queries);
    (codes, queries)
}

#[test]
fn random_clustered_and_shared_block_sets_match_brute_force() {
    for (kind, seed) in [("uniform", 1), ("clustered", 2), ("shared", 3)] {
        let (codes, queries) = data_set(kind, seed);
        for (name, cfg) in configs() {
            let index = Index::build_with(codes.clone(), cfg).unwrap();
            check(&index, &codes, &queries, RADII, &format!("{kind}/{name}"));
        }
    }
}

/// The planner scans when MIH candidates would cost more than a scan (codes sharing most
/// blocks), and uses MIH on uniform data; both give brute-force results.
#[test]
fn planner_falls_back_to_scan_on_shared_blocks() {
    let cfg = IndexConfig {
        tables: Some(16),
        ..IndexConfig::default()
    };
    let mut r = rng(9);
    let shared = shared_blocks(&mut r, 20_000, 16);
    let q = flip(&mut r, &shared[17], 5);
    let index = Index::build_with(shared.clone(), cfg.clone()).unwrap();
    let plan = index.explain(&q, 31);
    assert!(plan[0].scan && plan[0].tables == 16, "{plan:?}");
    assert!(plan[0].candidates.unwrap() > 20_000, "{plan:?}");
    check(&index, &shared, &[q], &[31], "shared/auto");

    let uniform_codes = uniform(&mut r, 20_000);
    let index = Index::build_with(uniform_codes.clone(), cfg).unwrap();
    let plan = index.explain(&q, 31);
    assert!(!plan[0].scan && plan[0].probes == 16 * 17, "{plan:?}");
    // Radius 64 with 16-bit blocks: 12972 probes, 16 x 12972 x 20000 / 65536 candidates.
    let plan = index.explain(&q, 64);
    assert!(plan[0].scan, "{plan:?}");
    check(&index, &uniform_codes, &[q], &[31, 64], "uniform/auto");
}

#[test]
fn default_config_large_enough_for_mih() {
    // Default thresholds: MIH is chosen by the planner, not forced.
    let mut r = rng(7);
    let mut codes = uniform(&mut r, 60_000);
    let queries: Vec<Code> = (0..16).map(|_| random_code(&mut r)).collect();
    plant(&mut r, &mut codes, &queries);
    let index = Index::build(codes.clone()).unwrap();
    assert!(
        index.main_tables() > 0,
        "planner chose no MIH for 60k codes"
    );
    check(
        &index,
        &codes,
        &queries,
        &[0, 10, 31, 32, 40, 64],
        "default",
    );
}

#[test]
fn best_variant_reduction_matches_min_over_variants() {
    let (codes, queries) = data_set("clustered", 4);
    let index = Index::build_with(codes.clone(), config(Some(12), Planner::AlwaysMih)).unwrap();
    let batch = index.query_many(&queries[..8], 31);
    let best = best_per_entry(&batch);
    for h in &best {
        let min = queries[..8]
            .iter()
            .map(|q| tutela_index::hamming(&codes[h.id as usize], q))
            .min()
            .unwrap();
        assert_eq!(h.distance, min);
    }
    let ids: std::collections::BTreeSet<u32> = batch.iter().map(|h| h.id).collect();
    assert_eq!(best.len(), ids.len());
}

/// Adds after the build (tail, delta segments, automatic compaction), disables and enables,
/// an explicit compaction and a save/open round trip, checked against brute force throughout.
#[test]
fn mutations_and_round_trip() {
    for (name, tables, planner) in [
        ("auto", None, Planner::Auto),
        ("mih16", Some(16), Planner::AlwaysMih),
        ("mih13", Some(13), Planner::AlwaysMih),
    ] {
        let what = |step: &str| format!("{name}: {step}");
        let mut r = rng(11);
        let cfg = IndexConfig {
            tail_max: 300,
            delta_fraction: 0.5,
            ..config(tables, planner)
        };
        let (mut codes, queries) = data_set("clustered", 5);
        let mut index = Index::build_with(codes.clone(), cfg.clone()).unwrap();
        check(&index, &codes, &queries, &[31], &what("built"));

        // Adds: enough for the tail to fold into a delta segment and for auto compaction.
        let main_before = index.main_len();
        let mut extra = Vec::new();
        for q in &queries {
            for d in [0, 5, 20, 31, 32] {
                extra.push(flip(&mut r, q, d));
            }
        }
        extra.extend(uniform(&mut r, 4000));
        for (k, c) in extra.iter().enumerate() {
            let id = index.add(*c).unwrap();
            assert_eq!(id as usize, codes.len());
            codes.push(*c);
            if k % 997 == 0 {
                check(&index, &codes, &queries, &[31], &what("adding"));
            }
        }
        assert!(
            index.main_len() > main_before,
            "{}",
            what("no auto compaction")
        );
        check(&index, &codes, &queries, RADII, &what("added"));

        // Disable every 7th entry, then enable every 3rd of those again.
        for id in (0..codes.len() as u32).step_by(7) {
            index.disable(id).unwrap();
        }
        for id in (0..codes.len() as u32).step_by(21) {
            index.enable(id).unwrap();
        }
        assert!(index.disable(codes.len() as u32).is_err());
        let dead = (0..codes.len() as u32)
            .filter(|&i| index.is_disabled(i))
            .count();
        assert_eq!(index.live_len(), codes.len() - dead);
        check(&index, &codes, &queries, &[0, 31, 40], &what("disabled"));

        // A few adds left in the tail and delta, then save and open: all three open paths.
        for _ in 0..350 {
            let c = flip(&mut r, &queries[0], 9);
            index.add(c).unwrap();
            codes.push(c);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx.tidx");
        index.save(&path).unwrap();
        for opts in [
            OpenOptions::default(),
            OpenOptions {
                verify_checksum: false,
            },
        ] {
            let mut opened = Index::open_with(&path, &opts).unwrap();
            opened.set_config(cfg.clone()).unwrap();
            check(&opened, &codes, &queries, &[0, 31, 32], &what("opened"));
            // The opened index keeps working: mutate it, compact, save again.
            let c = flip(&mut r, &queries[1], 4);
            opened.add(c).unwrap();
            opened.disable(3).unwrap();
            opened.compact();
            let mut codes2 = codes.clone();
            codes2.push(c);
            check(&opened, &codes2, &queries, &[31], &what("opened+mutated"));
        }
        let bytes = std::fs::read(&path).unwrap();
        let from = Index::from_bytes(&bytes, &OpenOptions::default()).unwrap();
        check(&from, &codes, &queries, &[31], &what("from_bytes"));

        index.compact();
        assert_eq!(index.main_len(), codes.len());
        check(&index, &codes, &queries, RADII, &what("compacted"));
        index.save(&path).unwrap();
        let opened = Index::open(&path).unwrap();
        check(&opened, &codes, &queries, &[31], &what("compacted+opened"));
        assert_eq!(opened.get(5), Some(codes[5]));
    }
}

/// A saved index whose delta is large enough to be re-indexed (not just scanned) on open.
#[test]
fn open_rebuilds_a_large_delta() {
    let mut r = rng(12);
    let (mut codes, queries) = data_set("uniform", 6);
    let mut index = Index::build_with(
        codes.clone(),
        IndexConfig {
            auto_compact: false,
            tail_max: 1000,
            ..IndexConfig::default()
        },
    )
    .unwrap();
    for i in 0..6000 {
        let c = if i % 3 == 0 {
            flip(&mut r, &queries[i % 8], (i % 41) as u32)
        } else {
            random_code(&mut r)
        };
        index.add(c).unwrap();
        codes.push(c);
    }
    assert_eq!(index.main_len(), codes.len() - 6000);
    check(&index, &codes, &queries, &[31, 40], "before save");
    let dir = tempfile::tempdir().unwrap();
    index.save(dir.path().join("d")).unwrap();
    let opened = Index::open(dir.path().join("d")).unwrap();
    check(&opened, &codes, &queries, &[0, 31, 40], "opened with delta");
}

#[test]
fn empty_and_tiny_indexes() {
    let mut r = rng(3);
    let q = random_code(&mut r);
    let index = Index::default();
    assert!(index.query(&q, 256).is_empty());
    assert!(index.query_many(&[q, q], 31).is_empty());
    assert!(Index::build_with(Vec::new(), config(Some(9), Planner::Auto)).is_err());
    assert!(Index::build_with(Vec::new(), config(Some(65), Planner::Auto)).is_err());
    let mut index = Index::build_with(Vec::new(), config(Some(16), Planner::AlwaysMih)).unwrap();
    let id = index.add(q).unwrap();
    assert_eq!(index.query(&q, 0).len(), 1);
    index.disable(id).unwrap();
    assert!(index.query(&q, 0).is_empty());
    assert_eq!(index.live_len(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Arbitrary small sets and radii, codes near each other so that results are non-trivial.
    #[test]
    fn prop_matches_brute_force(
        seed in any::<u64>(),
        n in 0usize..400,
        tables in 12u32..=40,
        radius in 0u32..=80,
        spread in 0u32..=48,
    ) {
        let mut r = rng(seed);
        let centre = random_code(&mut r);
        let codes: Vec<Code> = (0..n)
            .map(|_| {
                let k = r.random_range(0..=spread);
                flip(&mut r, &centre, k)
            })
            .collect();
        let queries: Vec<Code> = (0..9)
            .map(|i| if i % 2 == 0 { flip(&mut r, &centre, i) } else { random_code(&mut r) })
            .collect();
        let index = Index::build_with(codes.clone(), config(Some(tables), Planner::AlwaysMih)).unwrap();
        check(&index, &codes, &queries, &[radius], "prop");
    }
}

use rand::Rng;
