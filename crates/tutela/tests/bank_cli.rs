//! The real `tutela` binary in a temporary data folder: bank create/import/list/export,
//! disable/enable and match, on the public PDQ vectors.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/pdq")
}

fn image(rel: &str) -> String {
    vectors().join("images").join(rel).display().to_string()
}

struct Cli {
    data: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            data: tempfile::tempdir().unwrap(),
        }
    }

    fn run_with_input(&self, args: &[&str], input: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tutela"))
            .args(args)
            .arg("--data")
            .arg(self.data.path())
            .env_remove("TUTELA_DATA")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if let Some(text) = input {
            stdin.write_all(text.as_bytes()).unwrap();
        }
        drop(stdin);
        child.wait_with_output().unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_input(args, None)
    }

    /// Runs and expects exit status `code`; returns standard output.
    fn ok(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.data.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The `expected.txt` line of an image (`hash,quality,path`).
fn expected_line(rel: &str) -> String {
    let all = std::fs::read_to_string(vectors().join("expected.txt")).unwrap();
    all.lines()
        .find(|l| l.ends_with(&format!("images/{rel}")))
        .unwrap()
        .to_string()
}

const ORIGINAL: &str = "reg-test-input/dih/bridge-1-original.jpg";
const ROTATED: &str = "reg-test-input/dih/bridge-2-rotate-90.jpg";

#[test]
fn rotated_image_matches_the_original_through_a_dihedral_variant() {
    let cli = Cli::new();
    cli.ok(&["bank", "create", "bridges", "--label", "test"], 0);
    let list = cli.file("one.txt", &format!("{}\n", expected_line(ORIGINAL)));
    let out = cli.ok(&["bank", "import", "bridges", &list], 0);
    assert!(out.contains("1 added"), "{out}");

    let results = json_lines(&cli.ok(&["match", &image(ROTATED), &image(ORIGINAL)], 0));
    assert_eq!(results.len(), 2);
    let rotated = &results[0];
    assert!(
        rotated["path"]
            .as_str()
            .unwrap()
            .ends_with("bridge-2-rotate-90.jpg")
    );
    assert_eq!(rotated["quality"], 100);
    assert_eq!(rotated["sha256"].as_str().unwrap().len(), 64);
    let m = &rotated["matches"][0];
    assert_eq!(m["bank"], "bridges");
    assert_eq!(m["entry_id"], 0);
    assert_eq!(m["variant"], "rot270");
    assert!(m["distance"].as_u64().unwrap() <= 10);
    assert_eq!(m["suppressed"], false);
    assert_eq!(results[1]["matches"][0]["variant"], "original");

    // Fast mode hashes a few bits differently and still matches.
    let fast = json_lines(&cli.ok(&["match", "--mode", "fast", &image(ROTATED)], 0));
    assert_eq!(fast[0]["matches"][0]["variant"], "rot270");

    // An unrelated image matches nothing; a missing file is an error record and exit 1.
    let missing = cli.data.path().join("missing.jpg").display().to_string();
    let other = json_lines(&cli.ok(
        &[
            "match",
            &image("reg-test-input/labelme-subset/q0122.jpg"),
            &missing,
        ],
        1,
    ));
    assert_eq!(other[0]["matches"], Value::Array(Vec::new()));
    assert!(other[0].get("error").is_none());
    assert!(other[1]["error"].as_str().is_some());
}

#[test]
fn allow_bank_suppresses_and_disable_enable_work() {
    let cli = Cli::new();
    let all = vectors().join("expected.txt").display().to_string();
    cli.ok(&["bank", "create", "vectors"], 0);
    let out = cli.ok(
        &["bank", "import", "vectors", &all, "--label", "upstream"],
        0,
    );
    // expected.txt lists some images twice (byte-identical copies): one entry each.
    assert!(out.contains("24 added, 0 updated, 7 unchanged"), "{out}");
    assert!(out.contains("below the bank's minimum quality"), "{out}");

    let first = json_lines(&cli.ok(&["match", &image(ORIGINAL)], 0));
    let ids: Vec<u64> = first[0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["entry_id"].as_u64().unwrap())
        .collect();
    assert!(ids.contains(&0), "{ids:?}");
    assert!(first[0]["matches"][0]["labels"][0] == "upstream");

    cli.ok(&["bank", "create", "known-good", "--kind", "allow"], 0);
    let allow = cli.file("allow.txt", &format!("{}\n", expected_line(ORIGINAL)));
    cli.ok(&["bank", "import", "known-good", &allow], 0);
    let suppressed = json_lines(&cli.ok(&["match", &image(ORIGINAL)], 0));
    let matches = suppressed[0]["matches"].as_array().unwrap();
    let blocks: Vec<&Value> = matches
        .iter()
        .filter(|m| m["bank_kind"] == "block")
        .collect();
    assert!(!blocks.is_empty());
    for m in &blocks {
        assert_eq!(m["suppressed"], true);
        assert_eq!(m["suppressed_by"][0]["bank"], "known-good");
    }
    assert!(matches.iter().any(|m| m["bank_kind"] == "allow"));

    cli.ok(&["bank", "disable", "known-good"], 0);
    cli.ok(&["bank", "disable", "vectors", "--entry", "0"], 0);
    let after = json_lines(&cli.ok(&["match", &image(ORIGINAL)], 0));
    let after = after[0]["matches"].as_array().unwrap();
    assert!(
        after
            .iter()
            .all(|m| m["entry_id"] != 0 && m["suppressed"] == false)
    );
    let hash = expected_line(ORIGINAL)[..64].to_string();
    cli.ok(&["bank", "enable", "vectors", "--hash", &hash], 0);
    let back = json_lines(&cli.ok(&["match", &image(ORIGINAL)], 0));
    assert_eq!(back[0]["matches"][0]["entry_id"], 0);

    let list: Value =
        serde_json::from_str(&cli.ok(&["bank", "list", "--format", "json"], 0)).unwrap();
    assert_eq!(list[0]["name"], "known-good");
    assert_eq!(list[0]["enabled"], false);
    assert_eq!(list[1]["entries_live"], 24);
    let table = cli.ok(&["bank", "list"], 0);
    assert!(table.starts_with("NAME"), "{table}");
    assert!(table.contains("24/24"), "{table}");
}

#[test]
fn import_errors_strict_mode_and_export_round_trip() {
    let cli = Cli::new();
    let good = &expected_line(ORIGINAL)[..64];
    let other = &expected_line(ROTATED)[..64];
    cli.ok(&["bank", "create", "b", "--min-quality", "60"], 0);
    let csv = cli.file(
        "list.csv",
        &format!(
            "hash,quality,label,id,note\n{good},90,a;b,X-1,\"note, with comma\"\nnot-hex,,,,\n{other},,,,\n"
        ),
    );
    let strict = cli.run(&["bank", "import", "b", &csv, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("unchanged"), "{stderr}");
    assert!(
        !stderr.contains("not-hex"),
        "bad lines are not echoed: {stderr}"
    );
    let list: Value =
        serde_json::from_str(&cli.ok(&["bank", "list", "--format", "json"], 0)).unwrap();
    assert_eq!(list[0]["entries_total"], 0);

    let loose = cli.run(&["bank", "import", "b", &csv]);
    assert_eq!(loose.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&loose.stdout).contains("2 added"));

    for format in ["plain", "csv", "tsv", "hma", "threatexchange"] {
        let exported = cli.ok(&["bank", "export", "b", "--format", format], 0);
        let copy = format!("copy-{format}");
        cli.ok(&["bank", "create", &copy], 0);
        let out = cli.run_with_input(&["bank", "import", &copy, "-"], Some(&exported));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again = cli.ok(&["bank", "export", &copy, "--format", format], 0);
        assert_eq!(strip_dates(&again), strip_dates(&exported), "{format}");
    }
    let csv_out = cli.ok(&["bank", "export", "b"], 0);
    assert!(
        csv_out.contains("a;b,X-1,\"note, with comma\""),
        "{csv_out}"
    );

    // Usage and I/O errors exit 2.
    assert_eq!(
        cli.run(&["bank", "import", "b", "/nonexistent/file"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cli.run(&["bank", "import", "nope", &csv]).status.code(),
        Some(2)
    );
    assert_eq!(
        cli.run(&["bank", "export", "b", "--format", "md5"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(cli.run(&["bank", "create", "b"]).status.code(), Some(2));
    assert_eq!(cli.run(&["bank", "frobnicate"]).status.code(), Some(2));
}

/// Exports differ only in `added_at` between banks filled at different seconds.
fn strip_dates(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("\"added_on\":\"") {
            Some(at) => format!("{}{}", &l[..at], &l[at + 34..]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn match_hashes_and_exact_banks() {
    let cli = Cli::new();
    cli.ok(&["bank", "create", "b"], 0);
    let line = expected_line(ORIGINAL);
    let list = cli.file("one.txt", &format!("{line}\n"));
    cli.ok(&["bank", "import", "b", &list], 0);
    let hash = &line[..64];
    let input = format!("{hash}\n\n{hash},20\nzz\n");
    let out = cli.run_with_input(&["match", "--hashes", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    let results = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["line"], 1);
    assert_eq!(results[0]["matches"][0]["distance"], 0);
    assert_eq!(results[1]["line"], 3);
    assert_eq!(results[1]["matches"], Value::Array(Vec::new()));
    assert!(
        results[1]["skipped_banks"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("below")
    );
    assert_eq!(results[2]["line"], 4);
    assert!(results[2]["error"].is_string());

    // A file that is not an image still matches an exact bank by its SHA-256.
    let not_image = cli.file("notes.txt", "just some text, not a picture\n");
    let hashed = Command::new(env!("CARGO_BIN_EXE_tutela"))
        .args(["hash", &not_image])
        .output()
        .unwrap();
    assert_eq!(hashed.status.code(), Some(1), "not an image");
    let sha: Value = serde_json::from_slice(&hashed.stdout).unwrap();
    cli.ok(&["bank", "create", "files", "--hash-kind", "sha256"], 0);
    let digests = cli.file(
        "digests.txt",
        &format!("{}\n", sha["sha256"].as_str().unwrap()),
    );
    cli.ok(
        &["bank", "import", "files", &digests, "--format", "sha256"],
        0,
    );
    let results = json_lines(&cli.ok(&["match", &not_image], 1));
    assert!(results[0]["error"].is_string());
    assert_eq!(results[0]["matches"][0]["bank"], "files");
    assert_eq!(results[0]["matches"][0]["variant"], "exact");
}

#[test]
fn data_folder_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &Path| {
        Command::new(env!("CARGO_BIN_EXE_tutela"))
            .args(args)
            .env("TUTELA_DATA", env)
            .output()
            .unwrap()
    };
    assert!(run(&["bank", "create", "x"], dir.path()).status.success());
    assert!(dir.path().join("tutela.sqlite").exists());
    let list = run(&["bank", "list"], dir.path());
    assert!(String::from_utf8_lossy(&list.stdout).contains('x'));
}

#[test]
fn a_missing_data_folder_is_an_error_not_an_empty_one() {
    let cli = Cli::new();
    let missing = cli.data.path().join("typo");
    let missing = missing.to_str().unwrap();
    for args in [
        &["bank", "list", "--data", missing][..],
        &["match", "--hashes", "-", "--data", missing],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tutela"))
            .args(args)
            .env_remove("TUTELA_DATA")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("no Tutela data folder"));
    }
    assert!(!Path::new(missing).exists());
}
