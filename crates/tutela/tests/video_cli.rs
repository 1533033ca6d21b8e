//! The real `tutela` binary on videos: `tutela video hash/compare`, videos recognised by
//! content in `tutela hash` and `tutela match`, and video banks (`tutela bank`).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vpdq() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/vpdq")
}

fn video(name: &str) -> String {
    vpdq()
        .join("videos")
        .join(format!("{name}.mp4"))
        .display()
        .to_string()
}

fn hashes(name: &str) -> String {
    vpdq()
        .join("vpdq-hashes")
        .join(format!("{name}.txt"))
        .display()
        .to_string()
}

fn tutela(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tutela"))
        .args(args)
        .env("TUTELA_DATA", data)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn distance(a: &str, b: &str) -> u32 {
    let (a, b) = (hex(a), hex(b));
    a.iter().zip(&b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn video_hash_prints_the_vpdq_format_close_to_the_shipped_file() {
    let dir = tempfile::tempdir().unwrap();
    let name = "pattern-sd-grey-bar";
    let out = stdout(&tutela(
        &[
            "video",
            "hash",
            "--seconds-per-hash",
            "0",
            "--format",
            "vpdq",
            &video(name),
        ],
        dir.path(),
    ));
    let shipped = std::fs::read_to_string(hashes(name)).unwrap();
    let (ours, theirs): (Vec<&str>, Vec<&str>) = (out.lines().collect(), shipped.lines().collect());
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split(',').collect(), b.split(',').collect());
        assert_eq!((a[0], a[3]), (b[0], b[3]), "frame number and timestamp");
        assert!(distance(a[2], b[2]) <= 10);
    }
    // One frame a second by default: 30 fps, so frames 0, 30, 60, ...
    let per_second = stdout(&tutela(&["video", "hash", &video(name)], dir.path()));
    let numbers: Vec<&str> = per_second
        .lines()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(&numbers[..3], ["0", "30", "60"]);
    // Several videos need --out-dir; with it, one file per video.
    let two = [video(name), video("doorknob-hd-no-bar")];
    let refused = tutela(&["video", "hash", &two[0], &two[1]], dir.path());
    assert!(!refused.status.success());
    let out_dir = dir.path().join("out");
    stdout(&tutela(
        &[
            "video",
            "hash",
            &two[0],
            &two[1],
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
        dir.path(),
    ));
    assert!(out_dir.join("doorknob-hd-no-bar.mp4.txt").is_file());
    // JSON lines carry the digests and the stream's facts.
    let json = json_lines(&stdout(&tutela(
        &[
            "video",
            "hash",
            "--format",
            "jsonl",
            &video("doorknob-hd-no-bar"),
        ],
        dir.path(),
    )));
    assert_eq!(json[0]["info"]["width"], 1280);
    assert_eq!(json[0]["md5"].as_str().unwrap().len(), 32);
    assert_eq!(json[0]["frames"].as_array().unwrap().len(), 4);
}

#[test]
fn compare_reproduces_the_expected_percentages() {
    let dir = tempfile::tempdir().unwrap();
    let out = json_lines(&stdout(&tutela(
        &[
            "video",
            "compare",
            "--seconds-per-hash",
            "0",
            &video("chair-22-with-small-logo-bar"),
            &hashes("chair-19-sd-bar"),
        ],
        dir.path(),
    )));
    // expected-vpdq-matches.csv: chair-22-with-small-logo-bar,chair-19-sd-bar,82.66,96.10,1
    let q = out[0]["query_match_percent"].as_f64().unwrap();
    let c = out[0]["compared_match_percent"].as_f64().unwrap();
    assert!(
        (q - 82.66).abs() <= 2.0 && (c - 96.10).abs() <= 2.0,
        "{q} {c}"
    );
    assert_eq!(out[0]["is_match"], true);
}

/// A short generated video, written under a misleading name.
fn generated_video(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=160x120:rate=10:duration=3")
        .args(["-pix_fmt", "yuv420p", "-c:v", "libx264", "-f", "mp4"])
        .arg(&path)
        .status()
        .expect("ffmpeg must be installed");
    assert!(status.success());
    path
}

#[test]
fn hash_and_match_tell_videos_from_images_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let disguised = generated_video(dir.path(), "holiday.jpg");
    let image = dir.path().join("clip.mp4");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vectors/pdq/images/bridge-mods/aaa-orig.jpg"),
        &image,
    )
    .unwrap();
    let out = json_lines(&stdout(&tutela(
        &["hash", disguised.to_str().unwrap(), image.to_str().unwrap()],
        dir.path(),
    )));
    assert_eq!(out[0]["mode"], "vpdq");
    assert_eq!(out[0]["format"], "mp4");
    assert_eq!(out[0]["vpdq"].as_array().unwrap().len(), 3);
    assert_eq!(out[1]["mode"], "exact");
    assert_eq!(out[1]["format"], "jpeg");

    // A truncated video: an error record that still has the file's digests, exit status 1.
    let bytes = std::fs::read(&disguised).unwrap();
    let cut = dir.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let failed = tutela(&["hash", cut.to_str().unwrap()], dir.path());
    assert_eq!(failed.status.code(), Some(1));
    let rec = &json_lines(&String::from_utf8_lossy(&failed.stdout))[0];
    assert!(rec["error"].as_str().unwrap().contains("video"), "{rec}");
    assert!(rec["md5"].is_string());
    // `tutela video hash` on an empty or non-video file: a clear error, exit status 1.
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let out = tutela(&["video", "hash", empty.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    let out = tutela(&["video", "hash", image.to_str().unwrap()], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a video"));
}

#[test]
fn video_banks_from_hash_files_and_videos() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout(&tutela(
        &["bank", "create", "known", "--hash-kind", "vpdq"],
        &data,
    ));
    let imported = stdout(&tutela(
        &[
            "bank",
            "import",
            "known",
            &hashes("chair-19-sd-bar"),
            &hashes("pattern-hd-no-bar"),
            &video("doorknob-hd-no-bar"),
        ],
        &data,
    ));
    assert!(imported.contains("3 added"), "{imported}");
    // A PDQ hash list is not a video.
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22\n",
    )
    .unwrap();
    let refused = tutela(&["bank", "import", "known", list.to_str().unwrap()], &data);
    assert_eq!(refused.status.code(), Some(1));

    // A re-encoded copy matches (chair-20 vs chair-19: 92.76% / 100% in the vectors); the
    // same file matches exactly by MD5; a different video does not match.
    let out = json_lines(&stdout(&tutela(
        &[
            "match",
            "--seconds-per-hash",
            "0",
            &video("chair-20-sd-bar"),
            &video("doorknob-hd-no-bar"),
            &video("pattern-sd-grey-bar"),
        ],
        &data,
    )));
    let chair = &out[0]["matches"][0];
    assert_eq!(
        (chair["entry_id"].as_u64(), chair["variant"].as_str()),
        (Some(0), Some("vpdq"))
    );
    let q = chair["query_match_percent"].as_f64().unwrap();
    assert!((q - 92.76).abs() <= 2.0, "{chair}");
    assert_eq!(out[1]["matches"][0]["variant"], "exact");
    assert_eq!(
        out[1]["matches"][0]["external_id"],
        "doorknob-hd-no-bar.mp4"
    );
    // pattern-sd-grey-bar vs pattern-hd-no-bar: 0% in the vectors (letterboxing defeats PDQ).
    assert!(
        out[2]["matches"].as_array().unwrap().is_empty(),
        "{}",
        out[2]
    );
    // A vPDQ hash file as the query.
    let out = json_lines(&stdout(&tutela(
        &["match", "--hashes", &hashes("chair-22-sd-grey-bar")],
        &data,
    )));
    assert_eq!(out[0]["matches"][0]["entry_id"], 0);

    // Export gives the imported hash file back byte for byte.
    let exported = stdout(&tutela(
        &[
            "bank", "export", "known", "--format", "vpdq", "--entry", "0",
        ],
        &data,
    ));
    assert_eq!(
        exported,
        std::fs::read_to_string(hashes("chair-19-sd-bar")).unwrap()
    );
    let many = tutela(&["bank", "export", "known", "--format", "vpdq"], &data);
    assert!(!many.status.success());
    let listing = stdout(&tutela(&["bank", "list", "--format", "json"], &data));
    assert!(listing.contains("\"video_match_percent\": 80"), "{listing}");
    // Raising the percentage needed: chair-22-grey vs chair-19 is 85.67% in the vectors.
    stdout(&tutela(
        &["bank", "set", "known", "--video-match-percent", "90"],
        &data,
    ));
    let out = json_lines(&stdout(&tutela(
        &["match", "--hashes", &hashes("chair-22-sd-grey-bar")],
        &data,
    )));
    assert!(out[0]["matches"].as_array().unwrap().is_empty());
}
