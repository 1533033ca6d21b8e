//! Arbitrary bytes as one line of a conversation file (`tutela text conversations`, the
//! tuner): parsing may fail but never panic, and a parsed chat replays through the tracker with
//! its age bands without panicking, alerting at most once, with risk in [0, 1].
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tutela_text::{ChatLine, TextClassifier};

fn classifier() -> &'static TextClassifier {
    static CLASSIFIER: OnceLock<TextClassifier> = OnceLock::new();
    CLASSIFIER.get_or_init(TextClassifier::new)
}

fuzz_target!(|data: &[u8]| {
    let Ok(chat) = serde_json::from_slice::<ChatLine>(data) else {
        return;
    };
    let _ = chat.gold_first_risky_turn();
    let mut alerts = 0;
    let (alert_turn, tracker) = chat.replay(classifier(), |_, assessment| {
        assert!((0.0..=1.0).contains(&assessment.risk));
        alerts += usize::from(assessment.alert);
    });
    assert!(alerts <= 1);
    assert_eq!(alert_turn.is_some(), !tracker.labels().is_empty());
});
