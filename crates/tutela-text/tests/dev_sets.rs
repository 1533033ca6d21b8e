//! The developer sets (`../shared/vectors/text/`): the targets, as regression tests.
//! The shipped model was trained with the message set among its data, so the message figures
//! here are in-sample; `model/training-report.txt` has the cross-validated and held-out ones.

use serde::Deserialize;
use tutela_text::eval::{ConversationEval, MessageEval};
use tutela_text::{ChatLine, TextClassifier, category_index};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/text/");

#[derive(Deserialize)]
struct Message {
    text: String,
    labels: Vec<String>,
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

/// The tracker's figures on a file of labelled chats.
fn conversation_figures(path: &str) -> ConversationEval {
    let classifier = TextClassifier::new();
    let text = std::fs::read_to_string(path).expect("conversation set");
    let mut e = ConversationEval::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let c: ChatLine = serde_json::from_str(line).expect("valid line");
        let (alert_turn, tracker) = c.replay(&classifier, |_, _| {});
        assert_eq!(alert_turn.is_some(), !tracker.labels().is_empty());
        e.add(c.gold_first_risky_turn(), alert_turn);
    }
    println!("{path}:\n{}", e.report());
    e
}

#[test]
fn conversations_meet_the_targets() {
    let e = conversation_figures(&format!("{DIR}conversations-dev.jsonl"));
    assert_eq!(e.risky + e.benign, 40);
    assert!(e.in_time_rate() >= 0.90, "in time {:.3}", e.in_time_rate());
    assert!(
        e.false_alert_rate() <= 0.10,
        "false alerts {:.3}",
        e.false_alert_rate()
    );
}

const PROJECT_CHATS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/conversations/");

/// The project sets the weights were tuned on (with the developer chats): in-sample, so this
/// only pins the tuning's result (210 of 240 in time and 18 false alerts when it was chosen).
#[test]
fn tuned_on_chats_stay_where_the_tuning_left_them() {
    let mut in_time = 0;
    let mut risky = 0;
    let mut false_alerts = 0;
    for set in ["a", "c", "d", "e", "f", "h", "i", "j", "k", "n", "o", "p"] {
        let e = conversation_figures(&format!("{PROJECT_CHATS}train-{set}.jsonl"));
        assert_eq!(e.risky + e.benign, 40);
        in_time += e.risky_alerted_in_time;
        risky += e.risky;
        false_alerts += e.benign_alerted;
    }
    assert!(in_time * 100 >= risky * 86, "{in_time} of {risky} in time");
    assert!(
        false_alerts <= 21,
        "{false_alerts} false alerts in 240 benign chats"
    );
}

/// The `check-*.jsonl` sets were never tuned on: their figures are a held-out measure (20, 18,
/// 17 and 18 of 20 in time, 1, 1, 3 and 0 false alerts of 20 when the weights were chosen; the
/// targets are 0.90 and 0.10). The bounds catch a change that makes them worse.
#[test]
fn held_out_chats_do_not_get_worse() {
    let mut in_time = 0;
    let mut false_alerts = 0;
    for set in ["b", "g", "m", "q"] {
        let e = conversation_figures(&format!("{PROJECT_CHATS}check-{set}.jsonl"));
        assert_eq!((e.risky, e.benign), (20, 20));
        in_time += e.risky_alerted_in_time;
        false_alerts += e.benign_alerted;
    }
    assert!(in_time >= 70, "{in_time} of 80 in time");
    assert!(
        false_alerts <= 7,
        "{false_alerts} false alerts in 80 benign chats"
    );
}
