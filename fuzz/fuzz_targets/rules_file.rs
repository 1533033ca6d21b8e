//! Arbitrary bytes as a rules file (rules files come from outside: operators, shared policy
//! repositories). Loading must never panic; an error must point inside the file; an accepted
//! policy must be well formed and evaluate a fixed set of events consistently.
//!
//! Seed with the default rules: `mkdir -p corpus/rules_file && cp
//! ../crates/tutela-policy/rules/default.toml corpus/rules_file/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use tutela_policy::{
    Action, Event, MAX_CONDITION_DEPTH, Policy, RecordedEvent, RuleMode, Signal, Surface, Verdict,
    backtest,
};

fn events() -> Vec<Event> {
    let hash = |cats: &[&str], kind: &str, distance| Signal::HashMatch {
        bank: "Bank".into(),
        categories: cats.iter().map(|c| c.to_string()).collect(),
        hash_kind: kind.into(),
        distance,
    };
    let signals = vec![
        vec![],
        vec![hash(&["csam"], "pdq", 10), hash(&["terrorism"], "md5", 0)],
        vec![Signal::VideoMatch {
            bank: "v".into(),
            categories: vec!["csam".into()],
            query_match_percent: 75.0,
            entry_match_percent: 40.0,
        }],
        tutela_policy::TEXT_CATEGORIES
            .iter()
            .enumerate()
            .map(|(i, c)| Signal::Text {
                category: c.to_string(),
                score: i as f32 / 10.0,
                sender_is_child: [None, Some(true), Some(false)][i % 3],
            })
            .collect(),
        vec![
            Signal::Conversation {
                labels: vec!["grooming".into()],
                risk: 0.8,
                alert: true,
            },
            Signal::Report {
                reason: "csam".into(),
                urgent: true,
            },
        ],
    ];
    signals
        .into_iter()
        .enumerate()
        .flat_map(|(i, signals)| {
            Surface::ALL.map(|surface| Event {
                event_id: format!("{i}-{}", surface.as_str()),
                content_id: None,
                surface,
                signals: signals.clone(),
            })
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let policy = match Policy::from_toml(source, "fuzz.toml") {
        Ok(policy) => policy,
        Err(err) => {
            assert!(err.line >= 1 && err.col >= 1, "{err}");
            assert!(err.line <= source.lines().count() + 1, "{err}");
            assert!(err.to_string().starts_with("fuzz.toml:"));
            return;
        }
    };
    let rules = policy.rules();
    assert!(!rules.is_empty());
    let ids: HashSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rules.len(), "rule ids are unique");
    for rule in rules {
        assert!(rule.when.depth() <= MAX_CONDITION_DEPTH);
        assert!(rule.line >= 1);
    }
    let json = serde_json::to_string(rules).unwrap();
    let back: Vec<tutela_policy::Rule> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rules, "rules survive their JSON form");

    let events = events();
    let mut recorded = Vec::new();
    for event in &events {
        let outcome = policy.evaluate(event);
        let live_max = outcome
            .fired
            .iter()
            .filter(|f| f.mode == RuleMode::Live)
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Allow);
        assert_eq!(outcome.verdict, live_max);
        let cases = outcome
            .actions
            .iter()
            .filter(|a| matches!(a, Action::OpenCase { .. }))
            .count();
        assert!(cases <= 1, "one merged case");
        let without_shadow: Vec<&Action> = outcome
            .fired
            .iter()
            .filter(|f| f.mode == RuleMode::Live)
            .flat_map(|f| &f.actions)
            .collect();
        for action in &outcome.actions {
            assert!(
                matches!(action, Action::OpenCase { .. }) || without_shadow.contains(&action),
                "every action comes from a live rule"
            );
        }
        recorded.push(RecordedEvent {
            event: event.clone(),
            outcome: Some(outcome),
            at: None,
        });
    }
    let report = backtest(&policy, &recorded);
    assert!(report.changed.is_empty(), "a policy agrees with itself");
    assert_eq!(report.events, events.len());
});
