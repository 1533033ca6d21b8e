//! Banks end to end through the public API: the upstream MIH vectors, allow banks, quality,
//! and every format's export round trip.

use std::path::PathBuf;

use tutela_bank::formats::{self, Format};
use tutela_bank::{
    BankKind, EntryRef, HashKind, ImportOptions, Matcher, NewBank, Query, Record, Store,
};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/pdq/hash-lists")
}

fn read(name: &str) -> String {
    let path = vectors().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bank(store: &mut Store, name: &str, kind: BankKind, hash_kind: HashKind) {
    store
        .create_bank(&NewBank::new(name, kind, hash_kind))
        .unwrap();
}

fn import(store: &mut Store, name: &str, format: Format, text: &str) {
    let kind = store.bank(name).unwrap().hash_kind;
    let parsed = formats::parse(format, kind, text).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    store
        .import(name, &parsed, &ImportOptions::default())
        .unwrap();
}

fn pdq_query(hash: &str, quality: Option<u8>) -> Query {
    Query::new().with_pdq_hex(&[hash], quality).unwrap()
}

#[test]
fn needles_in_haystack_match_the_upstream_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    bank(&mut store, "haystack", BankKind::Block, HashKind::Pdq);
    import(&mut store, "haystack", Format::Plain, &read("haystack.txt"));
    assert_eq!(store.bank("haystack").unwrap().entries_total, 1350);

    let matcher = Matcher::load(&store).unwrap();
    let mut got = Vec::new();
    for (needle, hash) in read("needles.txt").lines().enumerate() {
        for m in matcher.query(&pdq_query(hash, None)).unwrap().matches {
            assert_eq!(m.variant, "original");
            got.push((needle, m.entry_id as usize, m.distance));
        }
    }
    got.sort();
    let mut want: Vec<(usize, usize, u32)> = read("expected-needles-in-haystack.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
            )
        })
        .filter(|&(_, _, d)| d <= 31)
        .collect();
    want.sort();
    assert_eq!(want.len(), 250);
    assert_eq!(got, want);
}

const A: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
/// `A` a few bits away (the upstream `bridge-mods/blur-a-lot.jpg`).
const A_NEAR: &str = "f8f8f0cee0f4a84f0637022a038f67f0b36e26d596621e1d33e6b39c4e9c9b22";
const C: &str = "adad5a64b5a142e75b62a09857da895ae63b847fc23794b766b319361bc93188";

#[test]
fn allow_bank_suppresses_block_matches_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    bank(&mut store, "block", BankKind::Block, HashKind::Pdq);
    bank(&mut store, "known-good", BankKind::Allow, HashKind::Pdq);
    import(&mut store, "block", Format::Plain, &format!("{A}\n{C}\n"));
    import(
        &mut store,
        "known-good",
        Format::Plain,
        &format!("{A_NEAR}\n"),
    );
    let matcher = Matcher::load(&store).unwrap();

    let outcome = matcher.query(&pdq_query(A, Some(100))).unwrap();
    assert_eq!(outcome.matches.len(), 2);
    let block = &outcome.matches[0];
    assert_eq!((block.bank.as_str(), block.bank_kind), ("block", "block"));
    assert!(block.suppressed);
    assert_eq!(block.suppressed_by[0].bank, "known-good");
    assert_eq!(outcome.matches[1].bank_kind, "allow");
    assert!(!outcome.is_blocked());
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["matches"][0]["suppressed"], true);
    assert_eq!(json["matches"][0]["suppressed_by"][0]["bank"], "known-good");

    let other = matcher.query(&pdq_query(C, Some(100))).unwrap();
    assert_eq!(other.matches.len(), 1);
    assert!(!other.matches[0].suppressed);
    assert!(other.is_blocked());

    // The allow bank's own threshold decides: at 0 bits the near copy no longer allows.
    store
        .update_settings(
            "known-good",
            &tutela_bank::BankSettings {
                threshold: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
    let strict = Matcher::load(&store).unwrap();
    assert!(strict.query(&pdq_query(A, Some(100))).unwrap().is_blocked());
}

#[test]
fn minimum_quality_of_queries_and_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    bank(&mut store, "b", BankKind::Block, HashKind::Pdq);
    import(&mut store, "b", Format::Plain, &format!("{A},90\n{C},30\n"));
    let matcher = Matcher::load(&store).unwrap();

    let low = matcher.query(&pdq_query(A, Some(49))).unwrap();
    assert!(low.matches.is_empty());
    assert_eq!(low.skipped_banks.len(), 1);
    assert!(
        low.skipped_banks[0]
            .reason
            .contains("below the bank's minimum 50")
    );
    assert_eq!(
        matcher
            .query(&pdq_query(A, Some(50)))
            .unwrap()
            .matches
            .len(),
        1
    );
    assert_eq!(matcher.query(&pdq_query(A, None)).unwrap().matches.len(), 1);
    // The entry of quality 30 is stored but not matched.
    assert!(
        matcher
            .query(&pdq_query(C, Some(100)))
            .unwrap()
            .matches
            .is_empty()
    );
    assert_eq!(store.bank("b").unwrap().entries_live, 2);
}

#[test]
fn dihedral_queries_report_the_variant() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    bank(&mut store, "b", BankKind::Block, HashKind::Pdq);
    import(&mut store, "b", Format::Plain, &format!("{A}\n"));
    let matcher = Matcher::load(&store).unwrap();
    let mut variants = [C; 8];
    variants[3] = A;
    let outcome = matcher
        .query(&Query::new().with_pdq_hex(&variants, Some(100)).unwrap())
        .unwrap();
    assert_eq!(outcome.matches.len(), 1);
    assert_eq!(outcome.matches[0].variant, "rot270");
    assert_eq!(outcome.matches[0].distance, 0);
}

#[test]
fn disable_and_enable_through_the_matcher() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    bank(&mut store, "b", BankKind::Block, HashKind::Pdq);
    import(&mut store, "b", Format::Plain, &read("haystack.txt"));
    let needle = read("haystack.txt").lines().nth(1000).unwrap().to_string();
    let ids = |store: &Store| -> Vec<u32> {
        let m = Matcher::load(store).unwrap();
        let outcome = m.query(&pdq_query(&needle, None)).unwrap();
        outcome.matches.iter().map(|m| m.entry_id).collect()
    };
    assert!(ids(&store).contains(&1000));
    store
        .set_entry_enabled("b", &EntryRef::Id(1000), false)
        .unwrap();
    assert!(!ids(&store).contains(&1000));
    store
        .set_entry_enabled("b", &EntryRef::Hash(needle.clone()), true)
        .unwrap();
    assert!(ids(&store).contains(&1000));
}

fn sample(kind: HashKind) -> Vec<Record> {
    let hashes: Vec<String> = match kind {
        HashKind::Pdq | HashKind::Sha256 | HashKind::Vpdq => {
            vec![A.into(), C.into(), A_NEAR.into()]
        }
        HashKind::Md5 => vec![A[..32].into(), C[..32].into()],
    };
    hashes
        .into_iter()
        .enumerate()
        .map(|(i, hash)| Record {
            hash,
            quality: (i == 0).then_some(87),
            labels: if i == 0 {
                vec!["csam".into(), "priority-1".into()]
            } else {
                Vec::new()
            },
            external_id: Some(format!("ext-{i}")),
            note: (i == 1).then(|| "seen, \"twice\"\nsecond line".to_string()),
        })
        .collect()
}

/// What `format` carries of a record: the rest is not expected back.
fn carried(format: Format, r: &Record) -> Record {
    match format {
        Format::Plain => Record {
            hash: r.hash.clone(),
            quality: r.quality,
            ..Record::default()
        },
        Format::Md5 | Format::Sha256 => Record {
            hash: r.hash.clone(),
            ..Record::default()
        },
        Format::ThreatExchange => Record {
            quality: None,
            ..r.clone()
        },
        Format::Csv | Format::Tsv | Format::Hma => r.clone(),
    }
}

#[test]
fn export_round_trip_for_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for format in Format::ALL {
        let kind = format.only_kind().unwrap_or(HashKind::Pdq);
        let source = format!("src-{}", format.name());
        let copy = format!("copy-{}", format.name());
        bank(&mut store, &source, BankKind::Block, kind);
        bank(&mut store, &copy, BankKind::Block, kind);
        // Fill the source bank through CSV (it carries every field).
        let entries: Vec<_> = sample(kind)
            .into_iter()
            .map(|record| formats::ExportEntry {
                record,
                added_at: None,
            })
            .collect();
        let csv = formats::write_to_string(Format::Csv, kind, &entries).unwrap();
        import(&mut store, &source, Format::Csv, &csv);

        let exported = store.export_entries(&source, false).unwrap();
        let text = formats::write_to_string(format, kind, &exported).unwrap();
        assert_eq!(
            Format::detect(&text),
            Some(match format {
                Format::Md5 | Format::Sha256 => Format::Plain,
                f => f,
            }),
            "{}",
            format.name()
        );
        import(&mut store, &copy, format, &text);
        let back = store.export_entries(&copy, false).unwrap();
        let want: Vec<Record> = exported
            .iter()
            .map(|e| carried(format, &e.record))
            .collect();
        let got: Vec<Record> = back.iter().map(|e| e.record.clone()).collect();
        assert_eq!(got, want, "{}", format.name());
    }
}
