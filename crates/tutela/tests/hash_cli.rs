//! `tutela hash` run as a real process on the public vectors and on broken files.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/pdq")
}

fn tutela() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tutela"))
}

fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn hashes_a_folder_recursively_in_order_matching_the_reference() {
    let out = tutela()
        .args(["hash", "--dihedral"])
        .arg(vectors().join("images"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 31);
    let paths: Vec<&str> = recs.iter().map(|r| r["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(
        paths, sorted,
        "walk order is sorted and kept despite parallel hashing"
    );
    let expected = std::fs::read_to_string(vectors().join("expected.txt")).unwrap();
    for line in expected.lines() {
        let mut f = line.split(',');
        let (hash, quality, path) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        let rec = recs
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(path))
            .unwrap();
        let ours = tutela_pdq::Hash256::from_hex(rec["pdq"].as_str().unwrap()).unwrap();
        let theirs = tutela_pdq::Hash256::from_hex(hash).unwrap();
        if quality.parse::<u8>().unwrap() >= 80 {
            assert!(ours.distance(&theirs) <= 2, "{path}");
        }
        assert_eq!(rec["mode"], "exact");
        assert_eq!(rec["pdq_dihedral"].as_array().unwrap().len(), 8);
        assert_eq!(rec["pdq_dihedral"][0], rec["pdq"]);
        assert_eq!(rec["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(rec["md5"].as_str().unwrap().len(), 32);
    }
}

#[test]
fn broken_files_give_error_records_and_exit_1_but_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = vectors().join("images/bridge-mods/square-128x128.jpg");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(
        dir.path().join("a-truncated.jpg"),
        &bytes[..bytes.len() / 2],
    )
    .unwrap();
    std::fs::write(dir.path().join("b-empty.png"), b"").unwrap();
    std::fs::write(dir.path().join("c-text.jpg"), b"not an image at all").unwrap();
    std::fs::copy(&good, dir.path().join("d-good.jpg")).unwrap();
    let out = tutela()
        .args(["hash", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 4);
    assert!(
        recs[0]["error"]
            .as_str()
            .unwrap()
            .contains("corrupt or truncated jpeg")
    );
    assert_eq!(recs[1]["error"], "empty file");
    assert!(
        recs[2]["error"]
            .as_str()
            .unwrap()
            .contains("not an image format")
    );
    assert!(recs[3]["error"].is_null() && recs[3]["pdq"].is_string());
    // Exact hashes survive a failed decode: they can still match MD5/SHA-256 lists.
    assert!(recs[0]["sha256"].is_string());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 of 4"), "{stderr}");
}

#[test]
fn limits_are_enforced_from_the_command_line() {
    let img = vectors().join("images/bridge-mods/aaa-orig.jpg");
    let out = tutela()
        .args(["hash", "--max-pixels", "1000"])
        .arg(&img)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        records(&out.stdout)[0]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit of 1000 pixels")
    );
    let out = tutela()
        .args(["hash", "--max-bytes", "100"])
        .arg(&img)
        .output()
        .unwrap();
    assert!(
        records(&out.stdout)[0]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit of 100 bytes")
    );
}

#[test]
fn reads_standard_input_and_writes_csv() {
    let bytes = std::fs::read(vectors().join("images/misc-images/c.png")).unwrap();
    let mut child = tutela()
        .args(["hash", "--format", "csv", "--mode", "fast", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "path,pdq,quality,sha256,md5,mode,format,width,height,error"
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("-,e64cc9d91c623882f8d1f1d9a398e78c9f199b3bd83924f2b7e11e0bf861b064,100,"),
        "{row}"
    );
    assert!(row.contains(",fast,png,1432,812,"));
}
