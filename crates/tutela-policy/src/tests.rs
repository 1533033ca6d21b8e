use super::*;
use serde_json::json;

fn event(surface: Surface, signals: Vec<Signal>) -> Event {
    Event {
        event_id: "ev".into(),
        content_id: None,
        surface,
        signals,
    }
}

fn hash(categories: &[&str]) -> Signal {
    Signal::HashMatch {
        bank: "bank".into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        hash_kind: "pdq".into(),
        distance: 12,
    }
}

fn text(category: &str, score: f32, sender_is_child: Option<bool>) -> Signal {
    Signal::Text {
        category: category.into(),
        score,
        sender_is_child,
    }
}

fn case(queue: Queue, priority: Priority, due_minutes: Option<u32>) -> Action {
    Action::OpenCase {
        queue,
        priority,
        due_minutes,
    }
}

fn fired_ids(outcome: &Outcome) -> Vec<&str> {
    outcome.fired.iter().map(|f| f.rule_id.as_str()).collect()
}

fn err(source: &str) -> PolicyError {
    Policy::from_toml(source, "r.toml").expect_err("should be refused")
}

/// Asserts the error's line and that its message contains `needle`.
fn refused(source: &str, line: usize, needle: &str) {
    let e = err(source);
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains(needle), "{e}");
    assert!(e.to_string().starts_with(&format!("r.toml:{line}:")), "{e}");
}

const ONE_RULE: &str = r#"
[[rule]]
id = "a"
verdict = "hold"
when = { signal = "text", categories = ["bullying"] }
"#;

#[test]
fn default_policy_loads_and_has_live_and_shadow_rules() {
    let policy = Policy::default_policy();
    assert!(policy.rules().len() >= 15);
    assert!(policy.rules().iter().any(|r| r.mode == RuleMode::Shadow));
    assert_eq!(policy.rules()[0].id, "csam-known-match");
    assert!(policy.rules()[0].line > 1, "rules remember their line");
}

#[test]
fn nothing_fires_on_an_event_without_signals() {
    let outcome = Policy::default_policy().evaluate(&event(Surface::Post, vec![]));
    assert_eq!(outcome.verdict, Verdict::Allow);
    assert!(outcome.actions.is_empty());
    assert!(outcome.fired.is_empty());
}

#[test]
fn known_csam_is_blocked_preserved_reported_and_banked() {
    let policy = Policy::default_policy();
    for signal in [
        hash(&["CSAM"]),
        Signal::VideoMatch {
            bank: "v".into(),
            categories: vec!["csam".into()],
            query_match_percent: 80.0,
            entry_match_percent: 70.0,
        },
        Signal::HashMatch {
            bank: "md5s".into(),
            categories: vec!["csam".into()],
            hash_kind: "md5".into(),
            distance: 0,
        },
    ] {
        let outcome = policy.evaluate(&event(Surface::Post, vec![signal]));
        assert_eq!(outcome.verdict, Verdict::Block);
        assert_eq!(
            outcome.actions,
            vec![
                Action::PreserveEvidence,
                case(Queue::ChildSafety, Priority::High, Some(240)),
                Action::Webhook {
                    event: "remove".into()
                },
                Action::BankOnConfirm {
                    bank: "confirmed".into()
                },
            ]
        );
        assert_eq!(
            fired_ids(&outcome),
            ["csam-known-match", "other-bank-match"]
        );
    }
    // On a live stream: critical, 15 minutes, and the account restricted.
    let outcome = policy.evaluate(&event(Surface::Stream, vec![hash(&["csam"])]));
    assert_eq!(outcome.verdict, Verdict::Block);
    assert!(
        outcome
            .actions
            .contains(&case(Queue::ChildSafety, Priority::Critical, Some(15)))
    );
    assert!(outcome.actions.contains(&Action::Webhook {
        event: "restrict".into()
    }));
}

#[test]
fn default_rules_for_messages() {
    let policy = Policy::default_policy();
    // A child in distress: delivered, helped, reviewed urgently; nothing preserved.
    let outcome = policy.evaluate(&event(
        Surface::Message,
        vec![text("self_harm", 0.9, Some(true))],
    ));
    assert_eq!(outcome.verdict, Verdict::Allow);
    assert_eq!(
        outcome.actions,
        vec![
            Action::Nudge {
                kind: "self_harm_help".into()
            },
            case(Queue::ChildSafety, Priority::Critical, Some(30)),
        ]
    );
    // Sextortion: held, critical, 15 minutes.
    let outcome = policy.evaluate(&event(
        Surface::Message,
        vec![text("sextortion", 0.95, Some(false))],
    ));
    assert_eq!(outcome.verdict, Verdict::Hold);
    assert!(outcome.actions.contains(&Action::PreserveEvidence));
    assert!(
        outcome
            .actions
            .contains(&case(Queue::ChildSafety, Priority::Critical, Some(15)))
    );
    // Below every threshold: nothing.
    let outcome = policy.evaluate(&event(
        Surface::Message,
        vec![text("sextortion", 0.3, None)],
    ));
    assert!(outcome.fired.is_empty());
    // A child sharing personal data: a nudge, no case.
    let outcome = policy.evaluate(&event(
        Surface::Message,
        vec![text("personal_data", 0.9, Some(true))],
    ));
    assert_eq!(outcome.verdict, Verdict::Allow);
    assert_eq!(
        outcome.actions,
        vec![Action::Nudge {
            kind: "personal_data".into()
        }]
    );
    // An urgent report: a critical case.
    let outcome = policy.evaluate(&event(
        Surface::Profile,
        vec![Signal::Report {
            reason: "other".into(),
            urgent: true,
        }],
    ));
    assert!(
        outcome
            .actions
            .contains(&case(Queue::General, Priority::Critical, Some(15)))
    );
}

#[test]
fn shadow_rules_are_recorded_but_change_nothing() {
    let policy = Policy::default_policy();
    let outcome = policy.evaluate(&event(
        Surface::Message,
        vec![text("grooming_tactics", 0.7, None)],
    ));
    assert_eq!(fired_ids(&outcome), ["shadow-grooming-lower-threshold"]);
    assert_eq!(outcome.fired[0].mode, RuleMode::Shadow);
    assert!(!outcome.fired[0].actions.is_empty());
    assert_eq!(outcome.verdict, Verdict::Allow);
    assert!(outcome.actions.is_empty());

    let source = r#"
[[rule]]
id = "live-hold"
verdict = "hold"
when = { signal = "report" }
[[rule]]
id = "shadow-block"
mode = "shadow"
verdict = "block"
when = { signal = "report" }
actions = [{ type = "webhook", event = "remove" }]
"#;
    let policy = Policy::from_toml(source, "t").unwrap();
    let outcome = policy.evaluate(&event(
        Surface::Post,
        vec![Signal::Report {
            reason: "spam".into(),
            urgent: false,
        }],
    ));
    assert_eq!(outcome.verdict, Verdict::Hold);
    assert!(outcome.actions.is_empty());
    assert_eq!(outcome.fired.len(), 2);
}

#[test]
fn actions_merge_into_one_case() {
    let merged = merge_actions(&[
        case(Queue::General, Priority::Normal, None),
        Action::PreserveEvidence,
        case(Queue::General, Priority::Critical, Some(60)),
        Action::PreserveEvidence,
        case(Queue::ChildSafety, Priority::Low, Some(30)),
        Action::Webhook {
            event: "remove".into(),
        },
        case(Queue::General, Priority::Low, Some(90)),
    ]);
    assert_eq!(
        merged,
        vec![
            case(Queue::ChildSafety, Priority::Critical, Some(30)),
            Action::PreserveEvidence,
            Action::Webhook {
                event: "remove".into()
            },
        ]
    );
    assert!(merge_actions(&[]).is_empty());
}

#[test]
fn enums_are_ordered() {
    assert!(Verdict::Allow < Verdict::Hold && Verdict::Hold < Verdict::Block);
    assert!(Priority::Low < Priority::Normal);
    assert!(Priority::High < Priority::Critical);
}

#[test]
fn wire_format_is_snake_case_and_tagged() {
    let recorded: RecordedEvent = serde_json::from_value(json!({
        "event_id": "e1", "content_id": "c1", "surface": "message",
        "signals": [
            {"type": "hash_match", "bank": "b", "categories": ["csam"], "hash_kind": "pdq", "distance": 3},
            {"type": "video_match", "bank": "v", "categories": [], "query_match_percent": 90.0, "entry_match_percent": 80.5},
            {"type": "text", "category": "self_harm", "score": 0.5, "sender_is_child": null},
            {"type": "conversation", "labels": ["grooming"], "risk": 0.4, "alert": false},
            {"type": "report", "reason": "spam", "urgent": false}
        ],
        "outcome": {"verdict": "hold", "actions": [
            {"type": "open_case", "queue": "child_safety", "priority": "critical", "due_minutes": 5},
            {"type": "bank_on_confirm", "bank": "confirmed"}
        ], "fired": [{"rule_id": "r", "mode": "shadow", "verdict": "block", "actions": [{"type": "preserve_evidence"}]}]},
        "at": "2026-11-29T00:00:00Z"
    }))
    .unwrap();
    assert_eq!(recorded.event.signals.len(), 5);
    assert_eq!(recorded.event.surface, Surface::Message);
    let back = serde_json::to_value(&recorded).unwrap();
    assert_eq!(back["signals"][1]["type"], "video_match");
    assert_eq!(back["outcome"]["actions"][0]["queue"], "child_safety");
    assert_eq!(back["outcome"]["fired"][0]["mode"], "shadow");
    let again: RecordedEvent = serde_json::from_value(back).unwrap();
    assert_eq!(again, recorded);
    // Outcome and at are optional.
    let bare: RecordedEvent =
        serde_json::from_value(json!({"event_id": "e2", "surface": "post", "signals": []}))
            .unwrap();
    assert!(bare.outcome.is_none() && bare.at.is_none());
}

#[test]
fn rules_serialize_and_deserialize() {
    let policy = Policy::default_policy();
    let json = serde_json::to_string(policy.rules()).unwrap();
    let rules: Vec<Rule> = serde_json::from_str(&json).unwrap();
    assert_eq!(rules, policy.rules());
}

#[test]
fn rule_features_from_a_file() {
    let source = r#"
[[rule]]
id = "video"
verdict = "hold"
when = { signal = "video_match", banks = ["Vids"], min_percent = 50, min_query_percent = 70.5 }

[[rule]]
id = "pdq-close"
verdict = "block"
when = { signal = "hash_match", hash_kinds = ["pdq"], max_distance = 10 }

[[rule]]
id = "convo"
verdict = "hold"
when = { all = [{ signal = "conversation", labels = ["grooming"], min_risk = 0.5 }, { not = { surfaces = ["post"] } }] }
"#;
    let policy = Policy::from_toml(source, "t").unwrap();
    let video = |q, e| Signal::VideoMatch {
        bank: "vids".into(),
        categories: vec![],
        query_match_percent: q,
        entry_match_percent: e,
    };
    let ids = |e: Event| {
        policy
            .evaluate(&e)
            .fired
            .into_iter()
            .map(|f| f.rule_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(event(Surface::Post, vec![video(70.5, 50.0)])),
        ["video"]
    );
    assert!(ids(event(Surface::Post, vec![video(70.0, 90.0)])).is_empty());
    assert!(ids(event(Surface::Post, vec![video(90.0, 49.0)])).is_empty());
    assert_eq!(
        ids(event(Surface::Post, vec![hash(&[])])),
        Vec::<String>::new()
    );
    let close = Signal::HashMatch {
        bank: "b".into(),
        categories: vec![],
        hash_kind: "PDQ".into(),
        distance: 10,
    };
    assert_eq!(ids(event(Surface::Post, vec![close])), ["pdq-close"]);
    let convo = Signal::Conversation {
        labels: vec!["Grooming".into()],
        risk: 0.5,
        alert: false,
    };
    assert_eq!(ids(event(Surface::Message, vec![convo.clone()])), ["convo"]);
    assert!(ids(event(Surface::Post, vec![convo])).is_empty());
}

#[test]
fn syntax_and_structure_errors_name_the_line() {
    refused("[[rule]\nid = 1", 1, "");
    refused("", 1, "no rules");
    refused("version = 1\n", 1, "no rules");
    refused("version = 2\n", 1, "out of range");
    refused(
        &format!("{ONE_RULE}colour = \"red\"\n"),
        6,
        "unknown field `colour`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"text\", categories = [\"bullying\"], colour = 1 }\n",
        4,
        "unknown field `colour`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"maybe\"\nwhen = { signal = \"report\" }\n",
        3,
        "unknown variant `maybe`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nmode = \"dry\"\nverdict = \"hold\"\nwhen = { signal = \"report\" }\n",
        3,
        "unknown variant `dry`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\n\nwhen = { signal = \"image\" }\n",
        5,
        "unknown variant `image`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"report\" }\nactions = [\n  { type = \"open_case\", queue = \"general\", priority = \"high\" },\n  { type = \"email\" },\n]\n",
        7,
        "unknown variant `email`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"report\" }\nactions = [{ type = \"open_case\", queue = \"general\", priority = \"urgent\" }]\n",
        5,
        "unknown variant `urgent`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { surfaces = [\"chat\"] }\n",
        4,
        "unknown variant `chat`",
    );
    refused(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\n",
        1,
        "missing field `when`",
    );
}

#[test]
fn validation_errors_name_the_line() {
    refused(
        &format!("{ONE_RULE}{ONE_RULE}"),
        8,
        "duplicate rule id `a` (first used on line 3)",
    );
    refused(
        "[[rule]]\nid = \"has space\"\nverdict = \"hold\"\nwhen = { signal = \"report\" }\n",
        2,
        "rule id",
    );
    let when = |line: &str| format!("[[rule]]\nid = \"a\"\nverdict = \"hold\"\n{line}\n");
    refused(&when("when = {}"), 4, "empty condition");
    refused(&when("when = { any = [] }"), 4, "at least one condition");
    refused(&when("when = { not = {} }"), 4, "empty condition");
    refused(&when("when = { surfaces = [] }"), 4, "`surfaces` is empty");
    refused(
        &when("when = { signal = \"hash_match\", categories = [] }"),
        4,
        "`categories` is empty",
    );
    refused(
        &when("when = { signal = \"hash_match\", categories = [\" \"] }"),
        4,
        "blank",
    );
    refused(
        &when("when = { signal = \"text\", categories = [\"sextorsion\"] }"),
        4,
        "unknown text category `sextorsion`",
    );
    refused(
        &when("when = { signal = \"text\", max_distance = 3 }"),
        4,
        "`max_distance` does not apply to signal \"text\"",
    );
    refused(
        &when("when = { categories = [\"csam\"] }"),
        4,
        "add `signal",
    );
    for (key, value) in [
        ("min_score", "1.5"),
        ("min_score", "-0.1"),
        ("min_score", "nan"),
        ("min_score", "inf"),
        ("min_score", "2"),
    ] {
        refused(
            &when(&format!("when = {{ signal = \"text\", {key} = {value} }}")),
            4,
            "out of range",
        );
    }
    refused(
        &when("when = { signal = \"conversation\", min_risk = 1.01 }"),
        4,
        "out of range",
    );
    refused(
        &when("when = { signal = \"video_match\", min_percent = 101 }"),
        4,
        "out of range",
    );
    refused(
        &when("when = { signal = \"hash_match\", max_distance = 257 }"),
        4,
        "out of range",
    );
    refused(
        &when("when = { signal = \"hash_match\", max_distance = -1 }"),
        4,
        "out of range",
    );
    refused(
        &when("when = { signal = \"hash_match\", max_distance = 2.5 }"),
        4,
        "whole number",
    );
    refused(
        &when("when = { signal = \"hash_match\", max_distance = \"3\" }"),
        4,
        "a number",
    );
    let action = |a: &str| {
        format!(
            "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = {{ signal = \"report\" }}\n\nactions = [\n  {a},\n]\n"
        )
    };
    refused(
        &action(
            "{ type = \"open_case\", queue = \"general\", priority = \"low\", due_minutes = 0 }",
        ),
        7,
        "out of range",
    );
    refused(
        &action("{ type = \"open_case\", queue = \"general\" }"),
        7,
        "needs `priority`",
    );
    refused(
        &action("{ type = \"preserve_evidence\", bank = \"x\" }"),
        7,
        "`bank` does not apply",
    );
    refused(&action("{ type = \"webhook\" }"), 7, "needs `event`");
    refused(
        &action("{ type = \"webhook\", event = \"re move\" }"),
        7,
        "webhook event",
    );
    refused(
        &action("{ type = \"nudge\", kind = \"\" }"),
        7,
        "nudge kind",
    );
}

#[test]
fn error_columns_point_at_the_value() {
    let e = err(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = { signal = \"text\", min_score = 7 }\n",
    );
    assert_eq!((e.line, e.col), (4, 39), "{e}");
    assert_eq!(e.origin, "r.toml");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut inline = String::from("{ signal = \"report\" }");
    for _ in 0..(MAX_CONDITION_DEPTH + 1) {
        inline = format!("{{ not = {inline} }}");
    }
    refused(
        &format!("[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = {inline}\n"),
        4,
        "nest",
    );
    // Dotted keys build nested tables outside the parser's recursion limit.
    let dotted = format!(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen.{}signal = \"report\"\n",
        "not.".repeat(100_000)
    );
    let e = err(&dotted);
    assert!(e.message.contains("recursion limit"), "{e}");
    // Below the parser's limit, above ours.
    let dotted = format!(
        "[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen.{}signal = \"report\"\n",
        "not.".repeat(70)
    );
    refused(&dotted, 4, "nest");
    let huge = "#".repeat(MAX_SOURCE_BYTES + 1);
    refused(&huge, 1, "limit");
}

#[test]
fn nested_conditions_within_the_limit_load() {
    let mut inline = String::from("{ signal = \"report\" }");
    for _ in 0..MAX_CONDITION_DEPTH {
        inline = format!("{{ all = [{inline}] }}");
    }
    let policy = Policy::from_toml(
        &format!("[[rule]]\nid = \"a\"\nverdict = \"hold\"\nwhen = {inline}\n"),
        "t",
    )
    .unwrap();
    assert_eq!(policy.rules()[0].when.depth(), MAX_CONDITION_DEPTH);
}

fn recorded(id: &str, signals: Vec<Signal>, outcome: Option<Outcome>) -> RecordedEvent {
    RecordedEvent {
        event: Event {
            event_id: id.into(),
            content_id: None,
            surface: Surface::Message,
            signals,
        },
        outcome,
        at: None,
    }
}

#[test]
fn backtest_counts_and_diffs() {
    let policy = Policy::default_policy();
    let csam = vec![hash(&["csam"])];
    let same_as_now = policy.evaluate(&event(Surface::Message, csam.clone()));
    let allowed_then = Outcome {
        verdict: Verdict::Allow,
        actions: vec![Action::Webhook {
            event: "notify".into(),
        }],
        fired: vec![],
    };
    let mut reordered = same_as_now.clone();
    reordered.actions.reverse();
    let events = vec![
        recorded("unchanged", csam.clone(), Some(same_as_now)),
        recorded("reordered", csam.clone(), Some(reordered)),
        recorded("changed", csam.clone(), Some(allowed_then)),
        recorded("no-outcome", vec![], None),
        recorded("shadow", vec![text("grooming_tactics", 0.7, None)], None),
    ];
    let report = backtest(&policy, &events);
    assert_eq!(report.events, 5);
    assert_eq!(report.with_recorded_outcome, 3);
    assert_eq!(
        report.verdicts,
        VerdictCounts {
            allow: 2,
            hold: 0,
            block: 3
        }
    );
    assert_eq!(
        report.recorded_verdicts,
        VerdictCounts {
            allow: 1,
            hold: 0,
            block: 2
        }
    );
    assert_eq!(report.changed.len(), 1);
    let changed = &report.changed[0];
    assert_eq!(changed.event_id, "changed");
    assert_eq!(
        (changed.recorded_verdict, changed.verdict),
        (Verdict::Allow, Verdict::Block)
    );
    assert_eq!(changed.actions_added.len(), 4);
    assert_eq!(
        changed.actions_removed,
        vec![Action::Webhook {
            event: "notify".into()
        }]
    );
    let count = |id: &str| report.rules.iter().find(|r| r.rule_id == id).unwrap();
    assert_eq!(count("csam-known-match").fired, 3);
    assert_eq!(count("other-bank-match").fired, 3);
    assert_eq!(count("sextortion-text").fired, 0);
    let shadow = count("shadow-grooming-lower-threshold");
    assert_eq!((shadow.fired, shadow.would_change), (1, 1));
    assert_eq!((report.live_fires, report.shadow_fires), (6, 1));
    let text = report.to_string();
    assert!(text.contains("changed: allow -> block"), "{text}");
    assert!(text.contains("- webhook(notify)"), "{text}");
    assert!(text.contains("1 of 3 events differ"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["changed"][0]["event_id"], "changed");
}

#[test]
fn shadow_rule_that_adds_nothing_would_not_change() {
    let source = r#"
[[rule]]
id = "live"
verdict = "hold"
when = { signal = "report" }
actions = [{ type = "open_case", queue = "child_safety", priority = "high" }]
[[rule]]
id = "shadow-weaker"
mode = "shadow"
verdict = "allow"
when = { signal = "report" }
actions = [{ type = "open_case", queue = "general", priority = "low" }]
"#;
    let policy = Policy::from_toml(source, "t").unwrap();
    let report = backtest(
        &policy,
        &[recorded(
            "e",
            vec![Signal::Report {
                reason: "x".into(),
                urgent: false,
            }],
            None,
        )],
    );
    assert_eq!(report.rules[1].fired, 1);
    assert_eq!(report.rules[1].would_change, 0);
}
