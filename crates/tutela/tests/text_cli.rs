//! `tutela text`: the evaluation CLI contract, run through the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/text/");

fn tutela(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tutela"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tutela runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("tutela finishes");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

#[test]
fn classify_writes_one_record_per_message_in_the_contract_shape() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"u have 24 hours to pay or i send ur pics to all ur followers\"}\n",
        "{\"id\": 7, \"text\": \"see you at football practice on thursday!\", \"lang\": \"en\"}\n",
    );
    let (code, out, err) = tutela(&["text", "classify", "--input", "-"], Some(input));
    assert_eq!(code, 0, "{err}");
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], "a");
    assert_eq!(records[1]["id"], 7);
    for r in &records {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 3, "only id, labels, scores: {keys:?}");
        let scores = r["scores"].as_object().unwrap();
        assert_eq!(scores.len(), 11);
        assert!(
            scores
                .values()
                .all(|s| (0.0..=1.0).contains(&s.as_f64().unwrap()))
        );
    }
    assert!(
        records[0]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "sextortion")
    );
    assert_eq!(records[1]["labels"].as_array().unwrap().len(), 0);
}

#[test]
fn a_bad_line_is_named_and_the_others_still_come_out() {
    let input = "{\"id\": 1, \"text\": \"hi\"}\n{\"id\": 2, \"text\": \"secret message\n{\"id\": 3, \"text\": \"bye\"}\n";
    let (code, out, err) = tutela(&["text", "classify", "--input", "-"], Some(input));
    assert_eq!(code, 1);
    assert!(err.contains("line 2"), "{err}");
    assert!(
        !err.contains("secret message"),
        "message text must not be echoed: {err}"
    );
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn details_add_language_and_spans_inside_the_text() {
    let text = "dont tell ur parents we talk, its our little secret ok? delete this chat";
    let input = format!("{}\n", serde_json::json!({"id": 1, "text": text}));
    let (code, out, _) = tutela(
        &["text", "classify", "--details", "--input", "-"],
        Some(&input),
    );
    assert_eq!(code, 0);
    let r: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(r["lang"], "en");
    let spans = r["spans"].as_array().unwrap();
    assert!(!spans.is_empty());
    for s in spans {
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert!(start < end && end <= text.len());
    }
}

#[test]
fn conversations_report_the_alert_turn() {
    let path = format!("{VECTORS}conversations-dev.jsonl");
    let (code, out, err) = tutela(&["text", "conversations", "--input", &path], None);
    assert_eq!(code, 0, "{err}");
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 40);
    for r in &records {
        assert!(r["alert_turn"].is_null() || r["alert_turn"].is_u64());
        assert_eq!(
            r["alert_turn"].is_null(),
            r["labels"].as_array().unwrap().is_empty()
        );
        assert!((0.0..=1.0).contains(&r["risk"].as_f64().unwrap()));
    }
    assert!(records.iter().any(|r| !r["alert_turn"].is_null()));
}

#[test]
fn eval_prints_per_category_and_conversation_figures() {
    let messages = format!("{VECTORS}dev.jsonl");
    let conversations = format!("{VECTORS}conversations-dev.jsonl");
    let (code, out, err) = tutela(
        &[
            "text",
            "eval",
            "--messages",
            &messages,
            "--conversations",
            &conversations,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    for needle in [
        "sexual_solicitation",
        "personal_data",
        "macro F1",
        "benign false-positive rate",
        "first_risky_turn+3",
        "false alerts",
    ] {
        assert!(out.contains(needle), "missing {needle}: {out}");
    }
}

#[test]
fn eval_names_the_line_of_a_bad_label() {
    let input = "{\"id\": 1, \"text\": \"hi\", \"labels\": []}\n{\"id\": 2, \"text\": \"x\", \"labels\": [\"nope\"]}\n";
    let (code, _, err) = tutela(&["text", "eval", "--messages", "-"], Some(input));
    assert_eq!(code, 2);
    assert!(err.contains("line 2") && err.contains("nope"), "{err}");
}
