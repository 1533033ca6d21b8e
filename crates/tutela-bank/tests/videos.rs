//! Video banks against the vPDQ vectors: the index-backed matcher must give pytx's
//! brute-force percentages and decisions (`expected-vpdq-matches.csv`) exactly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tutela_bank::{
    BankKind, BankSettings, EntryRef, HashKind, ImportOptions, Matcher, NewBank, Store, VideoQuery,
    VideoRecord,
};
use tutela_video::{FrameHash, format};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/vpdq")
}

/// Every full-resolution shipped hash file, by video name.
fn shipped() -> BTreeMap<String, Vec<FrameHash>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(vectors().join("vpdq-hashes")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name.ends_with("-128x128") {
            continue;
        }
        let frames = format::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        out.insert(name, frames);
    }
    assert!(out.len() >= 13, "{} hash files", out.len());
    out
}

fn video_bank(store: &mut Store, name: &str, kind: BankKind) {
    store
        .create_bank(&NewBank::new(name, kind, HashKind::Vpdq))
        .unwrap();
}

fn record(name: &str, frames: &[FrameHash]) -> VideoRecord {
    VideoRecord {
        external_id: Some(name.to_string()),
        ..VideoRecord::new(frames.to_vec())
    }
}

#[test]
fn index_matching_reproduces_the_expected_csv_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let videos = shipped();
    video_bank(&mut store, "known", BankKind::Block);
    let records: Vec<VideoRecord> = videos.iter().map(|(n, f)| record(n, f)).collect();
    let summary = store
        .import_videos("known", &records, &ImportOptions::default())
        .unwrap();
    assert_eq!(summary.added, videos.len() as u64);
    // Importing again changes nothing.
    let again = store
        .import_videos("known", &records, &ImportOptions::default())
        .unwrap();
    assert_eq!((again.added, again.unchanged), (0, videos.len() as u64));

    let check = |store: &Store, all_percentages: bool| {
        let matcher = Matcher::load(store).unwrap();
        let csv = std::fs::read_to_string(vectors().join("expected-vpdq-matches.csv")).unwrap();
        let mut results: BTreeMap<String, BTreeMap<String, (f64, f64)>> = BTreeMap::new();
        for (name, frames) in &videos {
            let outcome = matcher
                .query_video(&VideoQuery::new().with_frames(frames))
                .unwrap();
            let got = results.entry(name.clone()).or_default();
            for m in outcome.matches {
                let compared = m.external_id.clone().unwrap();
                got.insert(compared, (m.query_match_percent, m.compared_match_percent));
            }
        }
        let mut rows = 0;
        for line in csv.lines().skip(1).filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split(',').collect();
            let (query, compared, is_match) = (f[0], f[1], f[4] == "1");
            let got = results[query].get(compared);
            if all_percentages {
                let (q, c) = got.copied().unwrap_or((0.0, 0.0));
                assert_eq!(
                    (format!("{q:.2}"), format!("{c:.2}")),
                    (f[2].to_string(), f[3].to_string()),
                    "{query} vs {compared}"
                );
            } else {
                assert_eq!(got.is_some(), is_match, "{query} vs {compared}");
            }
            rows += 1;
        }
        assert!(rows >= 150);
    };
    // Default bank: matches exactly where pytx's default decision says so.
    check(&store, false);
    // Reporting every entry with any matching frame: the percentages themselves.
    store
        .update_settings(
            "known",
            &BankSettings {
                video_match_percent: Some(0),
                ..BankSettings::default()
            },
        )
        .unwrap();
    check(&store, true);
    // The frame floor of a video bank is fixed.
    let e = store
        .update_settings(
            "known",
            &BankSettings {
                min_quality: Some(60),
                ..BankSettings::default()
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("fixed"), "{e}");
}

#[test]
fn export_digests_allow_banks_and_disabling() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let videos = shipped();
    let chair = &videos["chair-19-sd-bar"];
    let pattern = &videos["pattern-sd-grey-bar"];
    video_bank(&mut store, "known", BankKind::Block);
    let md5 = "0123456789abcdef0123456789abcdef";
    let mut with_digest = record("chair-19", chair);
    with_digest.md5 = Some(md5.to_uppercase());
    with_digest.labels = vec!["test".into()];
    store
        .import_videos(
            "known",
            &[with_digest, record("pattern", pattern)],
            &ImportOptions::default(),
        )
        .unwrap();

    // vPDQ export gives back the frames exactly.
    let exported = store.export_videos("known", None, false).unwrap();
    assert_eq!(exported.len(), 2);
    assert_eq!(
        format::to_string(&exported[0].frames),
        format::to_string(chair)
    );
    assert_eq!(exported[0].md5.as_deref(), Some(md5));
    assert_eq!(exported[0].entry.record.labels, vec!["test"]);
    let one = store
        .export_videos("known", Some(&EntryRef::Id(1)), false)
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].entry.record.external_id.as_deref(), Some("pattern"));

    // A file with the same MD5 is an exact match even with no frames.
    let matcher = Matcher::load(&store).unwrap();
    let mut digest = [0u8; 16];
    hex::decode_to_slice(md5, &mut digest).unwrap();
    let exact = matcher
        .query_video(&VideoQuery::new().with_md5(digest))
        .unwrap();
    assert_eq!(exact.matches.len(), 1);
    assert_eq!(exact.matches[0].variant, "exact");
    // Frames: chair matches itself 100%, pattern does not match chair.
    let by_frames = matcher
        .query_video(&VideoQuery::new().with_frames(chair))
        .unwrap();
    assert_eq!(by_frames.matches.len(), 1);
    assert_eq!(by_frames.matches[0].query_match_percent, 100.0);
    assert!(by_frames.is_blocked());

    // An allow bank holding the same video suppresses the block match, visibly.
    video_bank(&mut store, "benign", BankKind::Allow);
    store
        .import_videos(
            "benign",
            &[record("chair", chair)],
            &ImportOptions::default(),
        )
        .unwrap();
    let matcher = Matcher::load(&store).unwrap();
    let outcome = matcher
        .query_video(&VideoQuery::new().with_frames(chair))
        .unwrap();
    assert_eq!(outcome.matches.len(), 2);
    assert!(outcome.matches[0].suppressed);
    assert_eq!(outcome.matches[0].suppressed_by[0].bank, "benign");
    assert!(!outcome.is_blocked());

    // A disabled entry no longer matches; image queries never see video banks.
    store
        .set_entry_enabled("known", &EntryRef::Id(0), false)
        .unwrap();
    store.set_bank_enabled("benign", false).unwrap();
    let matcher = Matcher::load(&store).unwrap();
    let outcome = matcher
        .query_video(&VideoQuery::new().with_frames(chair))
        .unwrap();
    assert!(outcome.matches.is_empty());
    let image = tutela_bank::Query::new()
        .with_pdq_hex(&[pattern[0].hash.to_hex()], Some(100))
        .unwrap();
    assert!(matcher.query(&image).unwrap().matches.is_empty());

    // Hash lists cannot be imported into a video bank, nor videos into an image bank.
    let parsed = tutela_bank::formats::parse(
        tutela_bank::Format::Plain,
        HashKind::Pdq,
        &format!("{}\n", pattern[0].hash.to_hex()),
    )
    .unwrap();
    assert!(
        store
            .import("known", &parsed, &ImportOptions::default())
            .is_err()
    );
    store
        .create_bank(&NewBank::new("images", BankKind::Block, HashKind::Pdq))
        .unwrap();
    assert!(
        store
            .import_videos("images", &[record("x", chair)], &ImportOptions::default())
            .is_err()
    );
    assert!(
        store
            .import_videos(
                "known",
                &[VideoRecord::default()],
                &ImportOptions::default()
            )
            .is_err()
    );
}
