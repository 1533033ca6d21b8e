use super::*;
use crate::formats::{Format, parse};
use crate::matcher::{Matcher, Query};

const A: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
const B: &str = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
const C: &str = "adad5a64b5a142e75b62a09857da895ae63b847fc23794b766b319361bc93188";
const MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn pdq_bank(store: &mut Store, name: &str, kind: BankKind) -> BankInfo {
    store
        .create_bank(&NewBank::new(name, kind, HashKind::Pdq))
        .unwrap()
}

fn import_text(store: &mut Store, bank: &str, format: Format, text: &str) -> ImportSummary {
    let kind = store.bank(bank).unwrap().hash_kind;
    let parsed = parse(format, kind, text).unwrap();
    store
        .import(bank, &parsed, &ImportOptions::default())
        .unwrap()
}

/// Every file in the bank's folder.
fn files(store: &Store, bank: &BankInfo) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(store.bank_dir(bank.id))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn hits(store: &Store, hash: &str) -> Vec<(String, u32)> {
    let matcher = Matcher::load(store).unwrap();
    let query = Query::new().with_pdq_hex(&[hash], None).unwrap();
    matcher
        .query(&query)
        .unwrap()
        .matches
        .into_iter()
        .map(|m| (m.bank, m.entry_id))
        .collect()
}

#[test]
fn create_list_and_refuse_duplicates() {
    let (_dir, mut store) = store();
    let mut spec = NewBank::new("ncmec-hashes", BankKind::Block, HashKind::Pdq);
    spec.labels = vec!["csam".into(), " csam ".into()];
    spec.source = Some("NCMEC".into());
    let bank = store.create_bank(&spec).unwrap();
    assert_eq!(bank.threshold, 31);
    assert_eq!(bank.min_quality, 50);
    assert_eq!(bank.labels, vec!["csam"]);
    assert_eq!(bank.generation, 1);
    assert_eq!(files(&store, &bank), vec!["pdq.1.tidx"]);
    assert!(matches!(
        store.create_bank(&spec),
        Err(StoreError::BankExists(_))
    ));
    for bad in ["", "has space", "a/b", &"x".repeat(65)] {
        let spec = NewBank::new(bad, BankKind::Block, HashKind::Pdq);
        assert!(matches!(
            store.create_bank(&spec),
            Err(StoreError::Invalid { .. })
        ));
    }
    let mut bad = NewBank::new("t", BankKind::Block, HashKind::Pdq);
    bad.threshold = Some(129);
    assert!(store.create_bank(&bad).is_err());
    assert_eq!(store.banks().unwrap().len(), 1);
    assert!(matches!(store.bank("nope"), Err(StoreError::NoSuchBank(_))));
}

#[test]
fn import_dedupes_and_merges_metadata() {
    let (_dir, mut store) = store();
    pdq_bank(&mut store, "b", BankKind::Block);
    let text = format!("hash,quality,label,id,note\n{A},90,x,1,\n{B},40,,,\n{A},,y,,n\n");
    let parsed = parse(Format::Csv, HashKind::Pdq, &text).unwrap();
    let options = ImportOptions {
        extra_labels: vec!["batch-1".into()],
        strict: false,
    };
    let summary = store.import("b", &parsed, &options).unwrap();
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged),
        (2, 1, 0)
    );
    assert_eq!(summary.below_min_quality, 1);
    assert_eq!(summary.entries_total, 2);
    let again = store.import("b", &parsed, &options).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));

    let entries = store.export_entries("b", false).unwrap();
    assert_eq!(entries.len(), 2);
    let a = &entries[0].record;
    assert_eq!(a.hash, A);
    assert_eq!(a.quality, Some(90));
    assert_eq!(a.labels, vec!["x", "batch-1", "y"]);
    assert_eq!(a.external_id.as_deref(), Some("1"));
    assert_eq!(a.note.as_deref(), Some("n"));
    let bank = store.bank("b").unwrap();
    assert_eq!((bank.entries_total, bank.entries_live), (2, 2));
    assert_eq!(bank.generation, 3, "each import is one new generation");
    assert_eq!(files(&store, &bank), vec!["pdq.3.tidx"]);
    assert_eq!(hits(&store, A), vec![("b".to_string(), 0)]);
}

#[test]
fn strict_import_changes_nothing() {
    let (_dir, mut store) = store();
    pdq_bank(&mut store, "b", BankKind::Block);
    import_text(&mut store, "b", Format::Plain, &format!("{A}\n"));
    let before = store.bank("b").unwrap();
    // A large file whose very last line is bad.
    let mut text: String = (0..20_000u32)
        .map(|i| format!("{:064x}\n", u128::from(i) * 0x9e37_79b9_7f4a_7c15))
        .collect();
    text.push_str("oops\n");
    let parsed = parse(Format::Plain, HashKind::Pdq, &text).unwrap();
    assert_eq!(parsed.errors[0].line, 20_001);
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    assert!(matches!(
        store.import("b", &parsed, &strict),
        Err(StoreError::StrictRejected { bad_lines: 1 })
    ));
    assert_eq!(store.bank("b").unwrap(), before);
    assert_eq!(files(&store, &before), vec!["pdq.2.tidx"]);
}

#[test]
fn crash_before_commit_leaves_the_bank_as_it_was() {
    let (dir, mut store) = store();
    let bank = pdq_bank(&mut store, "b", BankKind::Block);
    import_text(&mut store, "b", Format::Plain, &format!("{A}\n"));
    store.inject_failure(Some(FailPoint::AfterIndexWrite));
    let parsed = parse(Format::Plain, HashKind::Pdq, &format!("{B}\n")).unwrap();
    assert!(matches!(
        store.import("b", &parsed, &ImportOptions::default()),
        Err(StoreError::Injected(_))
    ));
    // The new file is there, but the database never named it.
    assert_eq!(files(&store, &bank), vec!["pdq.2.tidx", "pdq.3.tidx"]);
    let after = store.bank("b").unwrap();
    assert_eq!((after.entries_total, after.generation), (1, 2));
    assert!(hits(&store, B).is_empty());
    assert_eq!(hits(&store, A).len(), 1);
    drop(store);
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(files(&store, &bank), vec!["pdq.2.tidx"]);
    // The next import takes the generation the crashed one had.
    let summary = store
        .import("b", &parsed, &ImportOptions::default())
        .unwrap();
    assert_eq!(summary.added, 1);
    assert_eq!(hits(&store, B), vec![("b".to_string(), 1)]);
}

#[test]
fn crash_after_commit_keeps_the_change() {
    let (dir, mut store) = store();
    let bank = store
        .create_bank(&NewBank::new("m", BankKind::Block, HashKind::Md5))
        .unwrap();
    store.inject_failure(Some(FailPoint::AfterCommit));
    let parsed = parse(Format::Md5, HashKind::Md5, &format!("{MD5}\n")).unwrap();
    assert!(
        store
            .import("m", &parsed, &ImportOptions::default())
            .is_err()
    );
    assert_eq!(files(&store, &bank), vec!["md5.1.tset", "md5.2.tset"]);
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(files(&store, &bank), vec!["md5.2.tset"]);
    let matcher = Matcher::load(&store).unwrap();
    let outcome = matcher
        .query(&Query::new().with_md5_hex(MD5).unwrap())
        .unwrap();
    assert_eq!(outcome.matches.len(), 1);
    assert_eq!(outcome.matches[0].variant, "exact");
}

#[test]
fn stray_temp_files_and_orphan_folders_are_removed_on_open() {
    let (dir, mut store) = store();
    let bank = pdq_bank(&mut store, "b", BankKind::Block);
    let bank_dir = store.bank_dir(bank.id);
    std::fs::write(bank_dir.join(".pdq.2.tidx.tmp-999"), b"partial").unwrap();
    std::fs::write(bank_dir.join("README"), b"kept").unwrap();
    std::fs::create_dir_all(dir.path().join("banks/77")).unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(files(&store, &bank), vec!["README", "pdq.1.tidx"]);
    assert!(!dir.path().join("banks/77").exists());
}

#[test]
fn disable_and_enable_entries() {
    let (_dir, mut store) = store();
    pdq_bank(&mut store, "b", BankKind::Block);
    import_text(&mut store, "b", Format::Plain, &format!("{A}\n{B}\n"));
    let generation = store.bank("b").unwrap().generation;
    assert!(
        store
            .set_entry_enabled("b", &EntryRef::Id(0), false)
            .unwrap()
    );
    // A disable is one row: the index file (its generation) is untouched.
    assert_eq!(store.bank("b").unwrap().generation, generation);
    assert!(
        !store
            .set_entry_enabled("b", &EntryRef::Id(0), false)
            .unwrap()
    );
    assert!(hits(&store, A).is_empty());
    assert_eq!(store.bank("b").unwrap().entries_live, 1);
    assert_eq!(store.export_entries("b", false).unwrap().len(), 1);
    assert_eq!(store.export_entries("b", true).unwrap().len(), 2);
    // Re-importing a disabled hash does not enable it again.
    import_text(&mut store, "b", Format::Plain, &format!("{A}\n"));
    assert!(hits(&store, A).is_empty());
    let upper = A.to_uppercase();
    assert!(
        store
            .set_entry_enabled("b", &EntryRef::Hash(upper), true)
            .unwrap()
    );
    assert_eq!(hits(&store, A), vec![("b".to_string(), 0)]);
    assert!(matches!(
        store.set_entry_enabled("b", &EntryRef::Id(9), false),
        Err(StoreError::NoSuchEntry { .. })
    ));
    assert!(matches!(
        store.set_entry_enabled("b", &EntryRef::Hash(C.into()), false),
        Err(StoreError::NoSuchEntry { .. })
    ));

    store.set_bank_enabled("b", false).unwrap();
    assert!(hits(&store, A).is_empty());
    store.set_bank_enabled("b", true).unwrap();
    assert_eq!(hits(&store, A).len(), 1);
}

#[test]
fn exact_banks_disable_by_hash() {
    let (_dir, mut store) = store();
    store
        .create_bank(&NewBank::new("s", BankKind::Block, HashKind::Sha256))
        .unwrap();
    import_text(&mut store, "s", Format::Sha256, &format!("{A}\n"));
    let query = Query::new().with_sha256_hex(A).unwrap();
    let count = |store: &Store| {
        Matcher::load(store)
            .unwrap()
            .query(&query)
            .unwrap()
            .matches
            .len()
    };
    assert_eq!(count(&store), 1);
    store
        .set_entry_enabled("s", &EntryRef::Hash(A.into()), false)
        .unwrap();
    assert_eq!(count(&store), 0);
    store
        .set_entry_enabled("s", &EntryRef::Id(0), true)
        .unwrap();
    assert_eq!(count(&store), 1);
}

#[test]
fn settings_update() {
    let (_dir, mut store) = store();
    pdq_bank(&mut store, "b", BankKind::Block);
    let settings = BankSettings {
        threshold: Some(10),
        min_quality: Some(80),
        kind: Some(BankKind::Allow),
        note: Some("from partner".into()),
        labels: Some(vec!["a".into()]),
        source: Some("partner".into()),
        enabled: Some(false),
        video_match_percent: Some(70),
        video_compared_percent: None,
    };
    let bank = store.update_settings("b", &settings).unwrap();
    assert_eq!(
        (bank.video_match_percent, bank.video_compared_percent),
        (70, 0)
    );
    assert_eq!(
        (bank.threshold, bank.min_quality, bank.kind, bank.enabled),
        (10, 80, BankKind::Allow, false)
    );
    assert_eq!(bank.note.as_deref(), Some("from partner"));
    assert_eq!(bank.source.as_deref(), Some("partner"));
    let cleared = BankSettings {
        note: Some(String::new()),
        ..BankSettings::default()
    };
    assert_eq!(store.update_settings("b", &cleared).unwrap().note, None);
    let bad = BankSettings {
        min_quality: Some(101),
        ..BankSettings::default()
    };
    assert!(store.update_settings("b", &bad).is_err());
    let bad_label = BankSettings {
        labels: Some(vec!["a;b".into()]),
        ..BankSettings::default()
    };
    assert!(store.update_settings("b", &bad_label).is_err());
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let conn = Connection::open(dir.path().join("tutela.sqlite")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::NewerSchema { found: 99 })
    ));
}

#[test]
fn version_1_data_folders_are_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    // A data folder as version 1 wrote it: one PDQ bank with one entry.
    {
        let conn = open_connection(&dir.path().join("tutela.sqlite")).unwrap();
        conn.execute_batch(sql::SCHEMA).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO banks (id, name, kind, hash_kind, created_at, updated_at,
                                next_entry_id, index_generation)
             VALUES (1, 'old', 'block', 'pdq', 't', 't', 1, 1);
             INSERT INTO bank_entries (bank_id, entry_id, hash, added_at)
             VALUES (1, 0, '{A}', 't');
             PRAGMA user_version = 1;"
        ))
        .unwrap();
        let mut index = tutela_index::Index::default();
        index.add(tutela_index::code_from_hex(A).unwrap()).unwrap();
        std::fs::create_dir_all(dir.path().join("banks/1")).unwrap();
        index.save(dir.path().join("banks/1/pdq.1.tidx")).unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let old = store.bank("old").unwrap();
    assert_eq!((old.entries_live, old.video_match_percent), (1, 80));
    assert_eq!(hits(&store, A), vec![("old".to_string(), 0)]);
    // Entries survived the table rebuild, and foreign keys are back on.
    let fk: bool = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(fk);
    let video = store
        .create_bank(&NewBank::new("videos", BankKind::Block, HashKind::Vpdq))
        .unwrap();
    assert_eq!(files(&store, &video), vec!["vpdq.1.tidx"]);
    drop(store);
    // Opening again does not migrate twice.
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.banks().unwrap().len(), 2);
}

#[test]
fn a_video_import_that_dies_midway_leaves_the_bank_as_it_was() {
    use tutela_pdq::Hash256;
    use tutela_video::FrameHash;
    let (_dir, mut store) = store();
    let bank = store
        .create_bank(&NewBank::new("v", BankKind::Block, HashKind::Vpdq))
        .unwrap();
    let frames: Vec<FrameHash> = [A, B, C]
        .iter()
        .enumerate()
        .map(|(i, h)| FrameHash {
            frame_number: i as u64,
            quality: 100,
            hash: Hash256::from_hex(h).unwrap(),
            seconds: i as f64,
        })
        .collect();
    let video = VideoRecord::new(frames);
    store.inject_failure(Some(FailPoint::AfterIndexWrite));
    assert!(
        store
            .import_videos("v", std::slice::from_ref(&video), &ImportOptions::default())
            .is_err()
    );
    store.inject_failure(None);
    let after = store.bank("v").unwrap();
    assert_eq!(
        (after.entries_total, after.generation),
        (0, bank.generation)
    );
    assert!(store.export_videos("v", None, true).unwrap().is_empty());
    drop(store);
    let mut store = Store::open(_dir.path()).unwrap();
    assert_eq!(files(&store, &bank), vec!["vpdq.1.tidx"]);
    let done = store
        .import_videos("v", &[video], &ImportOptions::default())
        .unwrap();
    assert_eq!(done.added, 1);
}
