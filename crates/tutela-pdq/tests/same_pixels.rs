//! Same pixels in, same hash out: Tutela's core against Meta's C++ core (PyPI `pdqhash`) on
//! random and structured RGB arrays from 5x5 to 4000x3000, all 8 dihedral hashes and quality.
//!
//! The arrays and reference hashes come from `bench/same_pixels.py`, run here with the Python
//! named by `TUTELA_PYTHON` (default `bench/.venv/bin/python`, which `.ci/run` creates). Without
//! that Python the test fails under CI and is skipped, loudly, elsewhere.

use std::path::PathBuf;
use std::process::Command;
use tutela_pdq::{Hash256, PdqHasher, Pixels};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn identical_to_the_cpp_reference_bit_for_bit() {
    let python = std::env::var_os("TUTELA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("bench/.venv/bin/python"));
    if !python.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} missing: .ci/run must install the reference",
            python.display()
        );
        eprintln!("SKIPPED: no reference Python at {}", python.display());
        return;
    }
    let dir = std::env::temp_dir().join(format!("tutela-same-pixels-{}", std::process::id()));
    let status = Command::new(&python)
        .arg(repo().join("bench/same_pixels.py"))
        .arg("--out")
        .arg(&dir)
        .status()
        .expect("run bench/same_pixels.py");
    assert!(status.success(), "same_pixels.py failed");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
    let mut hasher = PdqHasher::new();
    let mut checked = 0;
    for case in manifest.as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let (w, h) = (
            case["width"].as_u64().unwrap() as usize,
            case["height"].as_u64().unwrap() as usize,
        );
        let rgb = std::fs::read(dir.join(file)).unwrap();
        let (plain, ours) = hasher.hash_with_dihedral(Pixels::Rgb8(&rgb), w, h).unwrap();
        let want_plain = Hash256::from_hex(case["plain"].as_str().unwrap()).unwrap();
        assert_eq!(plain.hash, want_plain, "{file} plain hash");
        let theirs: Vec<Hash256> = case["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| Hash256::from_hex(v.as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(ours.hashes.to_vec(), theirs, "{file}");
        assert_eq!(
            u64::from(ours.quality),
            case["quality"].as_u64().unwrap(),
            "{file} quality"
        );
        checked += 1;
    }
    std::fs::remove_dir_all(&dir).ok();
    eprintln!("{checked} arrays identical to the C++ reference (8 hashes and quality each)");
    assert!(checked >= 40);
}
