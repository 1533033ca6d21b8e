//! The real `tutela` binary: `rules default`, `rules check` and `rules test` on files in a
//! temporary folder (synthetic events only).

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tutela(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tutela"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn expect(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The default rules, as `tutela rules default` prints them.
fn default_rules(dir: &Path) -> PathBuf {
    let out = tutela(&["rules", "default"]);
    expect(&out, 0);
    write(dir, "rules.toml", &stdout(&out))
}

#[test]
fn check_lists_the_default_rules() {
    let dir = tempfile::tempdir().unwrap();
    let rules = default_rules(dir.path());
    let out = tutela(&["rules", "check", p(&rules)]);
    expect(&out, 0);
    let text = stdout(&out);
    assert!(text.contains(" rules ("), "{text}");
    assert!(text.contains("csam-known-match"), "{text}");
    assert!(
        text.contains("open_case(child_safety high, due 240 min)"),
        "{text}"
    );
    assert!(text.contains("shadow"), "{text}");

    let out = tutela(&["rules", "check", "--json", p(&rules)]);
    expect(&out, 0);
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert!(listed.len() >= 15);
    assert_eq!(listed[0]["id"], "csam-known-match");
    assert_eq!(listed[0]["verdict"], "block");
    assert_eq!(listed[0]["actions"][0]["type"], "preserve_evidence");
}

#[test]
fn check_refuses_a_bad_file_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"text\", min_score = 1.5 }\n",
            4,
            "out of range",
        ),
        (
            "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"report\" }\n\n[[rule]]\nid = \"a\"\nverdict = \"allow\"\nwhen = { signal = \"report\" }\n",
            7,
            "duplicate rule id",
        ),
        (
            "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"report\" }\nactions = [{ type = \"delete_account\" }]\n",
            5,
            "unknown variant `delete_account`",
        ),
        ("# nothing here\n", 1, "no rules"),
    ];
    for (source, line, needle) in cases {
        let rules = write(dir.path(), "bad.toml", source);
        let out = tutela(&["rules", "check", p(&rules)]);
        expect(&out, 1);
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("{}:{line}:", rules.display())),
            "{err}"
        );
        assert!(err.contains(needle), "{err}");
        assert!(stdout(&out).is_empty());
    }
    // A file that cannot be read is a different failure (status 2).
    let out = tutela(&["rules", "check", p(&dir.path().join("missing.toml"))]);
    expect(&out, 2);
    assert!(stderr(&out).contains("cannot read"));
}

fn csam_event(id: &str, outcome: Option<Value>) -> Value {
    let mut event = json!({
        "event_id": id,
        "content_id": format!("content-{id}"),
        "surface": "post",
        "signals": [{"type": "hash_match", "bank": "known", "categories": ["csam"], "hash_kind": "pdq", "distance": 8}],
        "at": "2026-11-29T10:00:00Z"
    });
    if let Some(outcome) = outcome {
        event["outcome"] = outcome;
    }
    event
}

fn events_file(dir: &Path) -> PathBuf {
    let policy_now = json!({
        "verdict": "block",
        "actions": [
            {"type": "preserve_evidence"},
            {"type": "open_case", "queue": "child_safety", "priority": "high", "due_minutes": 240},
            {"type": "webhook", "event": "remove"},
            {"type": "bank_on_confirm", "bank": "confirmed"}
        ],
        "fired": []
    });
    let held_then = json!({"verdict": "hold", "actions": [], "fired": []});
    let lines = [
        csam_event("same", Some(policy_now)),
        csam_event("was-held", Some(held_then)),
        csam_event("unrecorded", None),
        json!({"event_id": "grooming", "surface": "message", "signals": [
            {"type": "text", "category": "grooming_tactics", "score": 0.7, "sender_is_child": false}
        ], "outcome": {"verdict": "allow", "actions": [], "fired": []}}),
        json!({"event_id": "quiet", "surface": "profile", "signals": []}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n\n")).collect();
    write(dir, "events.jsonl", &text)
}

#[test]
fn test_backtests_recorded_events() {
    let dir = tempfile::tempdir().unwrap();
    let rules = default_rules(dir.path());
    let events = events_file(dir.path());

    let out = tutela(&["rules", "test", p(&rules), "--events", p(&events)]);
    expect(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("5 events, 3 with a recorded outcome"),
        "{text}"
    );
    assert!(text.contains("1 of 3 events differ"), "{text}");
    assert!(text.contains("was-held: hold -> block"), "{text}");
    assert!(text.contains("+ webhook(remove)"), "{text}");
    assert!(!text.contains("  same:"), "{text}");

    let out = tutela(&["rules", "test", "--json", p(&rules), "--events", p(&events)]);
    expect(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["events"], 5);
    assert_eq!(report["verdicts"]["block"], 3);
    assert_eq!(report["verdicts"]["allow"], 2);
    assert_eq!(report["recorded_verdicts"]["hold"], 1);
    assert_eq!(report["changed"].as_array().unwrap().len(), 1);
    assert_eq!(report["changed"][0]["event_id"], "was-held");
    let rule = |id: &str| {
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(rule("csam-known-match")["fired"], 3);
    assert_eq!(rule("sextortion-text")["fired"], 0);
    let shadow = rule("shadow-grooming-lower-threshold");
    assert_eq!(shadow["mode"], "shadow");
    assert_eq!(shadow["fired"], 1);
    assert_eq!(shadow["would_change"], 1);

    // A stricter policy written by hand changes more.
    let strict = write(
        dir.path(),
        "strict.toml",
        "[[rule]]\nid = \"grooming-hold\"\nverdict = \"hold\"\nwhen = { signal = \"text\", categories = [\"grooming_tactics\"], min_score = 0.5 }\n",
    );
    let out = tutela(&[
        "rules",
        "test",
        "--json",
        p(&strict),
        "--events",
        p(&events),
    ]);
    expect(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let changed: Vec<&str> = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["same", "was-held", "grooming"]);
}

#[test]
fn test_refuses_a_bad_events_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let rules = default_rules(dir.path());
    let good = csam_event("ok", None).to_string();
    for (body, line, needle) in [
        (
            format!("{good}\n\n{{\"event_id\": \"x\"}}\n"),
            3,
            "missing field `surface`",
        ),
        (format!("{good}\nnot json\n"), 2, "invalid event"),
        (
            format!(
                "{good}\n{{\"event_id\": \"x\", \"surface\": \"post\", \"signals\": [{{\"type\": \"telepathy\"}}]}}\n"
            ),
            2,
            "unknown variant `telepathy`",
        ),
    ] {
        let events = write(dir.path(), "events.jsonl", &body);
        let out = tutela(&["rules", "test", p(&rules), "--events", p(&events)]);
        expect(&out, 1);
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("{}:{line}:", events.display())),
            "{err}"
        );
        assert!(err.contains(needle), "{err}");
        assert!(stdout(&out).is_empty(), "no partial report");
    }
    // An invalid rules file is refused before the events are read.
    let bad_rules = write(dir.path(), "bad.toml", "[[rule]]\nid = \"a\"\n");
    let events = write(dir.path(), "events.jsonl", &format!("{good}\n"));
    let out = tutela(&["rules", "test", p(&bad_rules), "--events", p(&events)]);
    expect(&out, 1);
    assert!(stderr(&out).contains("missing field"), "{}", stderr(&out));
}
