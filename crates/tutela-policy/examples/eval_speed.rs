//! How many events per second the default rules evaluate on one thread (the server runs them
//! on every scan). `cargo run --release -p tutela-policy --example eval_speed [SECONDS]`
//!
//! The mix is typical scan traffic: most events carry no signal or a weak text score, a few
//! carry matches, reports or conversation alerts.

use std::hint::black_box;
use std::time::{Duration, Instant};
use tutela_policy::{Event, Policy, Signal, Surface, Verdict};

fn events() -> Vec<Event> {
    let text = |category: &str, score: f32, child: Option<bool>| Signal::Text {
        category: category.into(),
        score,
        sender_is_child: child,
    };
    let hash = |categories: &[&str]| Signal::HashMatch {
        bank: "ncmec".into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        hash_kind: "pdq".into(),
        distance: 14,
    };
    let mixes: Vec<(Surface, Vec<Signal>)> = vec![
        (Surface::Post, vec![]),
        (Surface::Post, vec![]),
        (Surface::Profile, vec![]),
        (
            Surface::Message,
            vec![
                text("bullying", 0.2, Some(true)),
                text("hate", 0.1, Some(true)),
            ],
        ),
        (
            Surface::Message,
            vec![
                text("grooming_tactics", 0.7, Some(false)),
                Signal::Conversation {
                    labels: vec!["grooming".into()],
                    risk: 0.75,
                    alert: false,
                },
            ],
        ),
        (Surface::Message, vec![text("self_harm", 0.9, Some(true))]),
        (Surface::Post, vec![hash(&["csam"])]),
        (Surface::Stream, vec![hash(&["terrorism"])]),
        (
            Surface::Post,
            vec![Signal::Report {
                reason: "child_endangerment".into(),
                urgent: true,
            }],
        ),
        (
            Surface::Message,
            // Every category scored, as a text classifier emits them.
            tutela_policy::TEXT_CATEGORIES
                .iter()
                .map(|c| text(c, 0.05, None))
                .collect(),
        ),
    ];
    mixes
        .into_iter()
        .enumerate()
        .map(|(i, (surface, signals))| Event {
            event_id: format!("ev-{i}"),
            content_id: None,
            surface,
            signals,
        })
        .collect()
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let policy = Policy::default_policy();
    let events = events();
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut evaluations = 0u64;
    let mut blocked = 0u64;
    while start.elapsed() < budget {
        for event in &events {
            let outcome = policy.evaluate(black_box(event));
            blocked += u64::from(outcome.verdict == Verdict::Block);
            evaluations += 1;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{} rules, {} events in the mix: {:.0} evaluations/s, {:.2} µs each ({} evaluations, {} blocked)",
        policy.rules().len(),
        events.len(),
        evaluations as f64 / elapsed,
        elapsed * 1e6 / evaluations as f64,
        evaluations,
        blocked
    );
}
