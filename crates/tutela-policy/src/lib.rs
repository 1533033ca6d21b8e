//! Tutela's rules engine: the signals found about one piece of content (hash and video
//! matches, text scores, conversation alerts, user reports) in, a verdict (`allow`, `hold`,
//! `block`) and actions (open a case, preserve evidence, call a webhook, bank on
//! confirmation, nudge the sender) out. Pure: no I/O, no clock, no logging.
//!
//! ```
//! use tutela_policy::{Event, Policy, Signal, Surface, Verdict};
//! let policy = Policy::default_policy();
//! let event = Event {
//!     event_id: "ev-1".into(),
//!     content_id: Some("photo-7".into()),
//!     surface: Surface::Post,
//!     signals: vec![Signal::HashMatch {
//!         bank: "ncmec".into(),
//!         categories: vec!["csam".into()],
//!         hash_kind: "pdq".into(),
//!         distance: 4,
//!     }],
//! };
//! assert_eq!(policy.evaluate(&event).verdict, Verdict::Block);
//! ```
//!
//! # Semantics
//!
//! Every rule whose `when` holds for the event *fires*. The verdict is the strictest
//! (`allow < hold < block`) among fired **live** rules, `allow` if none fired. The actions are
//! those of the fired live rules, merged: at most one `open_case` (the highest priority, the
//! `child_safety` queue if any rule asked for it, the smallest `due_minutes`), every other
//! action once, in file order. **Shadow** rules are evaluated and listed in
//! [`Outcome::fired`] but change neither verdict nor actions: that is how a new rule is tried
//! on live traffic before it acts.
//!
//! # The rules file
//!
//! TOML. `rules/default.toml` (printed by `tutela rules default`) is a commented example.
//!
//! ```toml
//! version = 1                      # optional; the only version is 1
//!
//! [[rule]]
//! id = "csam-known-match"          # unique; ASCII letters, digits, _ - .
//! description = "Known CSAM"       # optional
//! mode = "live"                    # live (default) | shadow
//! verdict = "block"                # allow | hold | block
//! when = { any = [
//!   { signal = "hash_match", categories = ["csam"] },
//!   { signal = "video_match", categories = ["csam"], min_percent = 50 },
//! ] }
//! actions = [
//!   { type = "preserve_evidence" },
//!   { type = "open_case", queue = "child_safety", priority = "high", due_minutes = 240 },
//!   { type = "webhook", event = "remove" },
//!   { type = "bank_on_confirm", bank = "confirmed" },
//! ]
//! ```
//!
//! A condition (`when`, and every condition inside `any`, `all`, `not`) is a table with any
//! of the following; all present parts must hold:
//!
//! | key | holds when |
//! | --- | --- |
//! | `signal = "TYPE"` plus that type's keys (below) | some signal of the event has this type and passes all the keys given, on that same signal |
//! | `surfaces = ["post", "message", "profile", "stream", "other"]` | the event's surface is one of these |
//! | `any = [COND, ...]` | at least one of the conditions holds |
//! | `all = [COND, ...]` | every one holds |
//! | `not = COND` | the condition does not hold |
//!
//! Keys by signal type (lists are any-of; names compare without regard to ASCII case;
//! thresholds are inclusive):
//!
//! | `signal` | keys |
//! | --- | --- |
//! | `hash_match` | `categories` (the bank's), `banks`, `hash_kinds` (`pdq`, `sha256`, `md5`), `max_distance` (0..=256) |
//! | `video_match` | `categories`, `banks`, `min_percent` (both percentages), `min_query_percent`, `min_entry_percent` (0..=100) |
//! | `text` | `categories` (one of [`TEXT_CATEGORIES`]), `min_score` (0..=1), `sender_is_child` (an unknown sender matches neither `true` nor `false`) |
//! | `conversation` | `labels`, `min_risk` (0..=1), `alert` |
//! | `report` | `reasons`, `urgent` |
//!
//! Actions are tables with a `type`: `open_case` (`queue` = `child_safety` | `general`,
//! `priority` = `low` | `normal` | `high` | `critical`, optional `due_minutes` 1..=525600),
//! `preserve_evidence`, `webhook` (`event`, e.g. `remove`, `restrict`, `notify`),
//! `bank_on_confirm` (`bank`), `nudge` (`kind`, e.g. `self_harm_help`, `personal_data`).
//!
//! Loading refuses, naming the line and column: TOML syntax errors, unknown keys, keys that do
//! not belong to the signal or action type, unknown signal and action types, bad enum values,
//! empty lists and empty conditions, thresholds out of range, unknown text categories,
//! duplicate rule ids, a file without rules, conditions nested more than
//! [`MAX_CONDITION_DEPTH`] deep, and files over [`MAX_SOURCE_BYTES`].

mod backtest;
mod load;
mod model;
mod rule;

pub use backtest::{BacktestReport, ChangedEvent, RuleCount, VerdictCounts, backtest};
pub use load::{
    MAX_CONDITION_DEPTH, MAX_DUE_MINUTES, MAX_HASH_DISTANCE, MAX_SOURCE_BYTES, PolicyError,
};
pub use model::{
    Action, Event, Fired, Outcome, Priority, Queue, RecordedEvent, RuleMode, Signal, SignalKind,
    Surface, Verdict,
};
pub use rule::{Condition, HashKind, Rule, SignalTest, TEXT_CATEGORIES};

use serde::Serialize;

/// The shipped rules (see the file for the reasoning behind each).
pub const DEFAULT_RULES_TOML: &str = include_str!("../rules/default.toml");

/// A validated set of rules, in file order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    rules: Vec<Rule>,
}

impl Policy {
    /// Parses and validates a rules file. `origin` (usually the file name) starts every error
    /// message: `origin:line:col: message`.
    pub fn from_toml(source: &str, origin: &str) -> Result<Policy, PolicyError> {
        load::load(source, origin).map(|rules| Policy { rules })
    }

    /// The rules of [`DEFAULT_RULES_TOML`].
    pub fn default_policy() -> Policy {
        Policy::from_toml(DEFAULT_RULES_TOML, "default.toml")
            .expect("the embedded default rules are valid (tested)")
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Runs every rule against the event.
    pub fn evaluate(&self, event: &Event) -> Outcome {
        let mut fired = Vec::new();
        for rule in &self.rules {
            if rule.when.matches(event) {
                fired.push(Fired {
                    rule_id: rule.id.clone(),
                    mode: rule.mode,
                    verdict: rule.verdict,
                    actions: rule.actions.clone(),
                });
            }
        }
        let live = || fired.iter().filter(|f| f.mode == RuleMode::Live);
        let verdict = live().map(|f| f.verdict).max().unwrap_or(Verdict::Allow);
        let actions = merge_actions(live().flat_map(|f| &f.actions));
        Outcome {
            verdict,
            actions,
            fired,
        }
    }
}

/// Merges the actions of several rules: one `open_case` (highest priority, child-safety queue
/// if any asks for it, the earliest deadline) where the first one was, every other action
/// once, in order.
pub fn merge_actions<'a>(actions: impl IntoIterator<Item = &'a Action>) -> Vec<Action> {
    let mut merged: Vec<Action> = Vec::new();
    let mut case_at: Option<usize> = None;
    for action in actions {
        match (action, case_at) {
            (
                Action::OpenCase {
                    queue,
                    priority,
                    due_minutes,
                },
                Some(i),
            ) => {
                if let Action::OpenCase {
                    queue: q,
                    priority: p,
                    due_minutes: d,
                } = &mut merged[i]
                {
                    if *queue == Queue::ChildSafety {
                        *q = Queue::ChildSafety;
                    }
                    *p = (*p).max(*priority);
                    *d = match (*d, *due_minutes) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
            }
            (Action::OpenCase { .. }, None) => {
                case_at = Some(merged.len());
                merged.push(action.clone());
            }
            _ => {
                if !merged.contains(action) {
                    merged.push(action.clone());
                }
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests;
