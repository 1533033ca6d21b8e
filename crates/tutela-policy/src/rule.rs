//! Validated rules and how a condition is tested against an event.

use crate::model::{Action, Event, RuleMode, Signal, SignalKind, Surface, Verdict};
use serde::{Deserialize, Serialize};

/// The categories text classifiers emit (`../shared/vectors/text/README.md`). A text rule
/// naming anything else is refused at load: a misspelt category would otherwise never fire.
pub const TEXT_CATEGORIES: [&str; 11] = [
    "sexual_solicitation",
    "grooming_tactics",
    "sextortion",
    "self_harm",
    "bullying",
    "hate",
    "extremism_recruitment",
    "exploitation_trafficking",
    "harmful_goods",
    "fraud_scam",
    "personal_data",
];

/// A hash algorithm a `hash_match` rule may restrict itself to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HashKind {
    Pdq,
    Sha256,
    Md5,
}

impl HashKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HashKind::Pdq => "pdq",
            HashKind::Sha256 => "sha256",
            HashKind::Md5 => "md5",
        }
    }
}

/// One validated rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub mode: RuleMode,
    pub verdict: Verdict,
    pub when: Condition,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Line of the rule's `[[rule]]` header in its file (1-based; 0 if not from a file).
    #[serde(default)]
    pub line: u32,
}

/// A condition on an event. Every part that is present must hold (an absent part is no
/// constraint); `any` holds when at least one of its conditions does. A condition loaded
/// from a rules file always has at least one part.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Condition {
    /// The event's surface is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surfaces: Vec<Surface>,
    /// Some signal of the event passes this test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<SignalTest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// A test that one signal must pass as a whole (all its fields on the same signal). Empty
/// lists and `None` thresholds are no constraint. Names are lower-case; they are compared
/// with the signal's without regard to ASCII case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SignalTest {
    HashMatch {
        /// Any of these among the bank's categories.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        categories: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        banks: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        hash_kinds: Vec<HashKind>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_distance: Option<u32>,
    },
    VideoMatch {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        categories: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        banks: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_query_percent: Option<f32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_entry_percent: Option<f32>,
    },
    Text {
        /// The signal's category is one of these.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        categories: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_score: Option<f32>,
        /// `Some(b)`: the signal must say `sender_is_child == b` (unknown never matches).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sender_is_child: Option<bool>,
    },
    Conversation {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        labels: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_risk: Option<f32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alert: Option<bool>,
    },
    Report {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        urgent: Option<bool>,
    },
}

impl SignalTest {
    pub fn kind(&self) -> SignalKind {
        match self {
            SignalTest::HashMatch { .. } => SignalKind::HashMatch,
            SignalTest::VideoMatch { .. } => SignalKind::VideoMatch,
            SignalTest::Text { .. } => SignalKind::Text,
            SignalTest::Conversation { .. } => SignalKind::Conversation,
            SignalTest::Report { .. } => SignalKind::Report,
        }
    }

    /// Whether this one signal passes the test.
    pub fn matches(&self, signal: &Signal) -> bool {
        match (self, signal) {
            (
                SignalTest::HashMatch {
                    categories,
                    banks,
                    hash_kinds,
                    max_distance,
                },
                Signal::HashMatch {
                    bank,
                    categories: bank_categories,
                    hash_kind,
                    distance,
                },
            ) => {
                max_distance.is_none_or(|max| *distance <= max)
                    && (hash_kinds.is_empty()
                        || hash_kinds
                            .iter()
                            .any(|k| k.as_str().eq_ignore_ascii_case(hash_kind)))
                    && one_of(banks, bank)
                    && any_shared(categories, bank_categories)
            }
            (
                SignalTest::VideoMatch {
                    categories,
                    banks,
                    min_query_percent,
                    min_entry_percent,
                },
                Signal::VideoMatch {
                    bank,
                    categories: bank_categories,
                    query_match_percent,
                    entry_match_percent,
                },
            ) => {
                at_least(*query_match_percent, *min_query_percent)
                    && at_least(*entry_match_percent, *min_entry_percent)
                    && one_of(banks, bank)
                    && any_shared(categories, bank_categories)
            }
            (
                SignalTest::Text {
                    categories,
                    min_score,
                    sender_is_child,
                },
                Signal::Text {
                    category,
                    score,
                    sender_is_child: sender,
                },
            ) => {
                at_least(*score, *min_score)
                    && sender_is_child.is_none_or(|want| *sender == Some(want))
                    && one_of(categories, category)
            }
            (
                SignalTest::Conversation {
                    labels,
                    min_risk,
                    alert,
                },
                Signal::Conversation {
                    labels: signal_labels,
                    risk,
                    alert: signal_alert,
                },
            ) => {
                at_least(*risk, *min_risk)
                    && alert.is_none_or(|want| *signal_alert == want)
                    && any_shared(labels, signal_labels)
            }
            (SignalTest::Report { reasons, urgent }, Signal::Report { reason, urgent: u }) => {
                urgent.is_none_or(|want| *u == want) && one_of(reasons, reason)
            }
            _ => false,
        }
    }
}

/// `value >= min`; a NaN value never passes a threshold.
fn at_least(value: f32, min: Option<f32>) -> bool {
    min.is_none_or(|min| value >= min)
}

/// `wanted` is empty (no constraint) or contains `name`.
fn one_of(wanted: &[String], name: &str) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| w.eq_ignore_ascii_case(name))
}

/// `wanted` is empty (no constraint) or shares a name with `names`.
fn any_shared(wanted: &[String], names: &[String]) -> bool {
    wanted.is_empty() || names.iter().any(|n| one_of(wanted, n))
}

impl Condition {
    /// Whether the event satisfies the condition.
    pub fn matches(&self, event: &Event) -> bool {
        (self.surfaces.is_empty() || self.surfaces.contains(&event.surface))
            && self
                .signal
                .as_ref()
                .is_none_or(|test| event.signals.iter().any(|s| test.matches(s)))
            && (self.any.is_empty() || self.any.iter().any(|c| c.matches(event)))
            && self.all.iter().all(|c| c.matches(event))
            && self.not.as_ref().is_none_or(|c| !c.matches(event))
    }

    /// How deeply `any` / `all` / `not` nest below this condition (0 for a leaf).
    pub fn depth(&self) -> usize {
        let children = self.any.iter().chain(&self.all).chain(self.not.as_deref());
        children.map(|c| 1 + c.depth()).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(category: &str, score: f32, sender_is_child: Option<bool>) -> Signal {
        Signal::Text {
            category: category.into(),
            score,
            sender_is_child,
        }
    }

    fn event(surface: Surface, signals: Vec<Signal>) -> Event {
        Event {
            event_id: "e".into(),
            content_id: None,
            surface,
            signals,
        }
    }

    #[test]
    fn all_fields_of_a_signal_test_hold_on_the_same_signal() {
        let test = SignalTest::Text {
            categories: vec!["self_harm".into()],
            min_score: Some(0.7),
            sender_is_child: Some(true),
        };
        // Category on one signal, score on another: no match.
        let split = event(
            Surface::Message,
            vec![
                text("self_harm", 0.2, Some(true)),
                text("bullying", 0.9, Some(true)),
            ],
        );
        let cond = Condition {
            signal: Some(test.clone()),
            ..Condition::default()
        };
        assert!(!cond.matches(&split));
        let together = event(Surface::Message, vec![text("SELF_HARM", 0.7, Some(true))]);
        assert!(
            cond.matches(&together),
            "threshold inclusive, case-insensitive"
        );
        let unknown_sender = event(Surface::Message, vec![text("self_harm", 0.9, None)]);
        assert!(
            !cond.matches(&unknown_sender),
            "unknown sender is not a child"
        );
        let nan = event(
            Surface::Message,
            vec![text("self_harm", f32::NAN, Some(true))],
        );
        assert!(!cond.matches(&nan));
    }

    #[test]
    fn hash_match_test_checks_distance_kind_bank_and_categories() {
        let test = SignalTest::HashMatch {
            categories: vec!["csam".into()],
            banks: vec![],
            hash_kinds: vec![HashKind::Pdq],
            max_distance: Some(10),
        };
        let hit = |cats: &[&str], kind: &str, distance| Signal::HashMatch {
            bank: "b".into(),
            categories: cats.iter().map(|c| c.to_string()).collect(),
            hash_kind: kind.into(),
            distance,
        };
        assert!(test.matches(&hit(&["other", "CSAM"], "pdq", 10)));
        assert!(!test.matches(&hit(&["csam"], "pdq", 11)));
        assert!(!test.matches(&hit(&["csam"], "md5", 0)));
        assert!(!test.matches(&hit(&["terrorism"], "pdq", 0)));
        assert!(!test.matches(&hit(&[], "pdq", 0)));
        assert!(!test.matches(&text("csam", 1.0, None)));
    }

    #[test]
    fn combinators() {
        let report = |urgent| Signal::Report {
            reason: "csam".into(),
            urgent,
        };
        let urgent = Condition {
            signal: Some(SignalTest::Report {
                reasons: vec![],
                urgent: Some(true),
            }),
            ..Condition::default()
        };
        let on_stream = Condition {
            surfaces: vec![Surface::Stream],
            ..Condition::default()
        };
        let both = Condition {
            all: vec![urgent.clone(), on_stream.clone()],
            ..Condition::default()
        };
        let either = Condition {
            any: vec![urgent.clone(), on_stream.clone()],
            ..Condition::default()
        };
        let neither = Condition {
            not: Some(Box::new(either.clone())),
            ..Condition::default()
        };
        let e1 = event(Surface::Stream, vec![report(false)]);
        let e2 = event(Surface::Post, vec![report(true)]);
        let e3 = event(Surface::Stream, vec![report(true)]);
        let e4 = event(Surface::Post, vec![]);
        assert_eq!(
            [&e1, &e2, &e3, &e4].map(|e| both.matches(e)),
            [false, false, true, false]
        );
        assert_eq!(
            [&e1, &e2, &e3, &e4].map(|e| either.matches(e)),
            [true, true, true, false]
        );
        assert_eq!(
            [&e1, &e2, &e3, &e4].map(|e| neither.matches(e)),
            [false, false, false, true]
        );
        assert_eq!(neither.depth(), 2);
    }
}
