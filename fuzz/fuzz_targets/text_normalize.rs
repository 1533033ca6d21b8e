//! Arbitrary text through the normaliser, the classifier and the conversation tracker. No input
//! may panic; every token and evidence span must point at character boundaries inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tutela_text::normalize::normalize;
use tutela_text::{ConversationTracker, TextClassifier, Turn};

fn classifier() -> &'static TextClassifier {
    static CLASSIFIER: OnceLock<TextClassifier> = OnceLock::new();
    CLASSIFIER.get_or_init(TextClassifier::new)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let normalized = normalize(&text);
    for token in &normalized.tokens {
        let (start, end) = (token.orig_start as usize, token.orig_end as usize);
        assert!(start <= end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert!(normalized.text.is_char_boundary(token.start as usize));
        assert!(normalized.text.is_char_boundary(token.end as usize));
    }
    let result = classifier().classify(&text, None);
    for score in result.scores.0 {
        assert!((0.0..=1.0).contains(&score));
    }
    for span in &result.spans {
        assert!(span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    let mut tracker = ConversationTracker::new();
    let turn = Turn { from: "a".into(), text: text.into_owned(), age_band: None };
    let assessment = tracker.push_turn(classifier(), &turn, 0);
    assert!((0.0..=1.0).contains(&assessment.risk));
});
