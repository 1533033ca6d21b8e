//! The vPDQ vectors (`../shared/vectors/vpdq/`): frame hashes of each video re-hashed with
//! every frame against the shipped hash files, and `expected-vpdq-matches.csv` reproduced
//! from the shipped hashes (exactly) and from Tutela's own hashes (within 2 points).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tutela_video::{FrameHash, MatchOptions, VideoOptions, format, hash_video_file, match_brute};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/vpdq")
}

fn shipped(name: &str) -> Vec<FrameHash> {
    let path = root().join(format!("vpdq-hashes/{name}.txt"));
    format::parse(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

struct Expected {
    query: String,
    compared: String,
    query_pct: f64,
    compared_pct: f64,
    is_match: bool,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(root().join("expected-vpdq-matches.csv")).unwrap();
    let rows: Vec<Expected> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Expected {
                query: f[0].into(),
                compared: f[1].into(),
                query_pct: f[2].parse().unwrap(),
                compared_pct: f[3].parse().unwrap(),
                is_match: f[4] == "1",
            }
        })
        .collect();
    assert!(rows.len() >= 100, "only {} expected rows", rows.len());
    rows
}

#[test]
fn expected_matches_from_shipped_hashes_exactly() {
    let mut cache: BTreeMap<String, Vec<FrameHash>> = BTreeMap::new();
    let opts = MatchOptions::default();
    for row in expected() {
        for name in [&row.query, &row.compared] {
            cache.entry(name.clone()).or_insert_with(|| shipped(name));
        }
        let m = match_brute(&cache[&row.query], &cache[&row.compared], &opts);
        assert_eq!(
            (
                format!("{:.2}", m.query_pct),
                format!("{:.2}", m.compared_pct)
            ),
            (
                format!("{:.2}", row.query_pct),
                format!("{:.2}", row.compared_pct)
            ),
            "{} vs {}",
            row.query,
            row.compared
        );
        assert_eq!(
            m.is_match(80.0, 0.0),
            row.is_match,
            "{} vs {}",
            row.query,
            row.compared
        );
    }
}

#[test]
fn rehashed_videos_match_shipped_hashes_and_expected_decisions() {
    let options = VideoOptions {
        seconds_per_hash: 0.0,
        ..VideoOptions::default()
    };
    let mut ours: BTreeMap<String, Vec<FrameHash>> = BTreeMap::new();
    let mut histogram: BTreeMap<u32, usize> = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("videos")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let hashes = hash_video_file(&path, &options).unwrap();
        let reference = shipped(&name);
        assert_eq!(hashes.frames.len(), reference.len(), "{name}");
        for (a, b) in hashes.frames.iter().zip(&reference) {
            assert_eq!(a.frame_number, b.frame_number, "{name}");
            assert_eq!(
                format!("{:.3}", a.seconds),
                format!("{:.3}", b.seconds),
                "{name}"
            );
            *histogram.entry(a.hash.distance(&b.hash)).or_default() += 1;
        }
        ours.insert(name, hashes.frames);
    }
    assert!(ours.len() >= 6, "only {} videos", ours.len());
    let total: usize = histogram.values().sum();
    let within: usize = histogram.range(..=10).map(|(_, n)| n).sum();
    println!("distance to shipped hashes over {total} frames: {histogram:?}");
    assert!(
        within * 100 >= total * 95,
        "{within} of {total} frames within 10"
    );

    // Every expected row with at least one re-hashed side, that side replaced by ours.
    let opts = MatchOptions::default();
    let mut worst: f64 = 0.0;
    let mut rows = 0;
    for row in expected() {
        if !ours.contains_key(&row.query) && !ours.contains_key(&row.compared) {
            continue;
        }
        let side = |name: &str| ours.get(name).cloned().unwrap_or_else(|| shipped(name));
        let m = match_brute(&side(&row.query), &side(&row.compared), &opts);
        let diff = (m.query_pct - row.query_pct)
            .abs()
            .max((m.compared_pct - row.compared_pct).abs());
        worst = worst.max(diff);
        assert!(diff <= 2.0, "{} vs {}: {m:?}", row.query, row.compared);
        // A decision may only flip if the expected percentage is within 2 points of 80.
        if m.is_match(80.0, 0.0) != row.is_match {
            assert!(
                (row.query_pct - 80.0).abs() <= 2.0,
                "{} vs {}",
                row.query,
                row.compared
            );
        }
        rows += 1;
    }
    println!("{rows} expected rows from own hashes, largest difference {worst:.2} points");
    assert!(rows >= 60);
}
