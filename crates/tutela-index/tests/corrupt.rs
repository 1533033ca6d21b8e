//! Damaged files are refused with the right error, never a panic; with the checksum skipped,
//! damaged payloads still never panic.

mod common;

use common::*;
use tutela_index::{Index, IndexConfig, IndexError, OpenOptions, Planner, Sha256Set};

fn saved_index() -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let mut r = rng(21);
    let codes = uniform(&mut r, 1000);
    let mut index = Index::build_with(
        codes,
        IndexConfig {
            // 8-bit blocks keep the file small enough to damage byte by byte.
            tables: Some(32),
            planner: Planner::AlwaysMih,
            min_mih_len: 1,
            ..IndexConfig::default()
        },
    )
    .unwrap();
    index.add(random_code(&mut r)).unwrap();
    index.disable(7).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.tidx");
    index.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (dir, path, bytes)
}

fn saved_set() -> Vec<u8> {
    let mut r = rng(22);
    let set = Sha256Set::from_hashes(
        (0..500)
            .map(|_| {
                let c = random_code(&mut r);
                tutela_index::code_to_bytes(&c)
            })
            .collect(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.txs");
    set.save(&path).unwrap();
    std::fs::read(&path).unwrap()
}

fn open_index(bytes: &[u8]) -> Result<Index, IndexError> {
    Index::from_bytes(bytes, &OpenOptions::default())
}

fn open_set(bytes: &[u8]) -> Result<Sha256Set, IndexError> {
    Sha256Set::from_bytes(bytes, &OpenOptions::default())
}

/// Every way of damaging `good` that the format must catch, checked with `open`.
fn damage_suite<T>(good: &[u8], open: impl Fn(&[u8]) -> Result<T, IndexError>) {
    assert!(open(good).is_ok());
    // Truncated: empty, inside the magic, inside the header, inside the payload, one short.
    for len in [0, 3, 8, 64, 127, 128, 200, good.len() / 2, good.len() - 1] {
        let err = open(&good[..len])
            .err()
            .unwrap_or_else(|| panic!("len {len} accepted"));
        assert!(
            matches!(err, IndexError::Truncated { .. }),
            "truncated at {len}: {err}"
        );
    }
    // Extra bytes.
    let mut longer = good.to_vec();
    longer.push(0);
    assert!(matches!(open(&longer), Err(IndexError::Corrupt(_))));
    // Flipped payload bytes: checksum.
    for at in [128, 130, 200, good.len() / 2, good.len() - 1] {
        let mut bad = good.to_vec();
        bad[at] ^= 0x40;
        let err = open(&bad)
            .err()
            .unwrap_or_else(|| panic!("flip at {at} accepted"));
        assert!(
            matches!(
                err,
                IndexError::ChecksumMismatch {
                    what: "payload",
                    ..
                }
            ),
            "flip at {at}: {err}"
        );
    }
    // Flipped header byte (file length field): header checksum.
    let mut bad = good.to_vec();
    bad[17] ^= 1;
    assert!(matches!(
        open(&bad),
        Err(IndexError::ChecksumMismatch { what: "header", .. })
    ));
    // Bad magic.
    let mut bad = good.to_vec();
    bad[0] = b'X';
    assert!(matches!(open(&bad), Err(IndexError::BadMagic { .. })));
    // Unsupported version.
    let mut bad = good.to_vec();
    bad[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert!(matches!(
        open(&bad),
        Err(IndexError::UnsupportedVersion { found: 2, .. })
    ));
}

#[test]
fn damaged_index_files_are_refused() {
    let (_dir, path, good) = saved_index();
    damage_suite(&good, open_index);
    // The same through the memory-mapped path.
    let mut bad = good.clone();
    bad[good.len() - 5] ^= 1;
    std::fs::write(&path, &bad).unwrap();
    assert!(matches!(
        Index::open(&path),
        Err(IndexError::ChecksumMismatch { .. })
    ));
    std::fs::write(&path, &good[..1000]).unwrap();
    assert!(matches!(
        Index::open(&path),
        Err(IndexError::Truncated { .. })
    ));
    assert!(matches!(
        Index::open(path.with_extension("missing")),
        Err(IndexError::Io { .. })
    ));
}

#[test]
fn damaged_set_files_are_refused() {
    let good = saved_set();
    damage_suite(&good, open_set);
}

#[test]
fn wrong_kind_is_refused() {
    let (_dir, _path, index) = saved_index();
    let set = saved_set();
    assert!(matches!(open_set(&index), Err(IndexError::BadMagic { .. })));
    assert!(matches!(open_index(&set), Err(IndexError::BadMagic { .. })));
    // An MD5 set file is not a SHA-256 set.
    let md5 = tutela_index::Md5Set::from_hashes(vec![[1u8; 16]]);
    let dir = tempfile::tempdir().unwrap();
    md5.save(dir.path().join("m")).unwrap();
    let bytes = std::fs::read(dir.path().join("m")).unwrap();
    assert!(matches!(open_set(&bytes), Err(IndexError::Corrupt(_))));
}

/// With the checksum skipped, damaged payload bytes must still never panic: every byte of the
/// section table and the first section flipped in turn, then a stride over the rest, each
/// followed by queries and mutations.
#[test]
fn unchecked_damage_never_panics() {
    let (_dir, _path, good) = saved_index();
    let skip = OpenOptions {
        verify_checksum: false,
    };
    let mut r = rng(5);
    let q = random_code(&mut r);
    let positions = (128..1200).chain((1200..good.len()).step_by(97));
    for at in positions {
        for v in [0x01, 0xff] {
            let mut bad = good.clone();
            bad[at] ^= v;
            if let Ok(mut index) = Index::from_bytes(&bad, &skip) {
                let _ = index.query(&q, 31);
                let _ = index.query_many(&[q, q], 64);
                let _ = index.add(q);
                index.compact();
                let _ = index.query(&q, 31);
            }
        }
    }
    let set = saved_set();
    for at in (128..1000).chain((1000..set.len()).step_by(13)) {
        let mut bad = set.clone();
        bad[at] ^= 0xa5;
        if let Ok(mut s) = Sha256Set::from_bytes(&bad, &skip) {
            let _ = s.contains(&[0; 32]);
            s.insert([1; 32]);
            s.disable(&[1; 32]);
            s.compact();
            let _ = s.len();
        }
    }
}
