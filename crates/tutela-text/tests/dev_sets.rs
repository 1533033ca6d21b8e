//! The developer sets (`../shared/vectors/text/`): the targets, as regression tests.
//! The shipped model was trained with the message set among its data, so the message figures
//! here are in-sample; `model/training-report.txt` has the cross-validated and held-out ones.

use serde::Deserialize;
use tutela_text::eval::{ConversationEval, MessageEval};
use tutela_text::{AgeBand, ConversationTracker, TextClassifier, Turn, category_index};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/text/");

#[derive(Deserialize)]
struct Message {
    text: String,
    labels: Vec<String>,
}

#[derive(Deserialize)]
struct TurnLine {
    from: String,
    text: String,
}

#[derive(Deserialize)]
struct Conversation {
    turns: Vec<TurnLine>,
    meta: std::collections::BTreeMap<String, String>,
    labels: Vec<String>,
    first_risky_turn: Option<usize>,
}

fn lines<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let text = std::fs::read_to_string(format!("{DIR}{name}")).expect("developer set");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("valid line"))
        .collect()
}

fn bits<'a>(labels: impl IntoIterator<Item = &'a str>) -> u16 {
    labels
        .into_iter()
        .filter_map(category_index)
        .fold(0, |b, c| b | 1 << c)
}

#[test]
fn messages_meet_the_targets() {
    let classifier = TextClassifier::new();
    let mut e = MessageEval::default();
    for m in lines::<Message>("dev.jsonl") {
        let result = classifier.classify(&m.text, None);
        e.add(
            bits(m.labels.iter().map(String::as_str)),
            bits(result.labels.iter().copied()),
        );
    }
    println!("{}", e.report());
    assert_eq!(e.messages, 630);
    assert!(e.macro_f1() >= 0.85, "macro F1 {:.3}", e.macro_f1());
    assert!(
        e.benign_false_positive_rate() <= 0.05,
        "benign false positives {:.3}",
        e.benign_false_positive_rate()
    );
}

#[test]
fn conversations_meet_the_targets() {
    let classifier = TextClassifier::new();
    let mut e = ConversationEval::default();
    for c in lines::<Conversation>("conversations-dev.jsonl") {
        let mut tracker = ConversationTracker::new();
        for (key, band) in &c.meta {
            if let Some(who) = key.strip_suffix("_age_band") {
                tracker.set_age_band(who, AgeBand::parse(band));
            }
        }
        let mut alert_turn = None;
        for (i, t) in c.turns.iter().enumerate() {
            let turn = Turn {
                from: t.from.clone(),
                text: t.text.clone(),
                age_band: None,
            };
            if tracker.push_turn(&classifier, &turn, i as i64).alert {
                alert_turn = Some(i);
            }
        }
        assert_eq!(alert_turn.is_some(), !tracker.labels().is_empty());
        e.add(
            if c.labels.is_empty() {
                None
            } else {
                c.first_risky_turn
            },
            alert_turn,
        );
    }
    println!("{}", e.report());
    assert_eq!(e.risky + e.benign, 40);
    assert!(e.in_time_rate() >= 0.90, "in time {:.3}", e.in_time_rate());
    assert!(
        e.false_alert_rate() <= 0.10,
        "false alerts {:.3}",
        e.false_alert_rate()
    );
}
