//! Messages in a scan: the text classifier's scores become rule signals, a conversation's
//! tracker (kept in memory: features and counters, never text; expires on its own) raises
//! grooming/sextortion alerts, and a rule's `nudge` action becomes a plain-words message in the
//! child's language. Case signals carry labels, scores and byte offsets, never the text; the
//! text itself is kept only if a rule preserves it, sealed like any evidence.

use crate::error::{ApiError, ApiResult};
use crate::scan::TextInput;
use crate::state::Shared;
use serde_json::{Value, json};
use std::sync::LazyLock;
use tutela_core::NewSignal;
use tutela_policy as policy;
use tutela_text::{AgeBand, Classification, NudgeKind, TextClassifier, Turn};

pub(crate) static CLASSIFIER: LazyLock<TextClassifier> = LazyLock::new(TextClassifier::new);

/// Longest message accepted (bytes).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Scores below this are not passed to the rules (keeps recorded events small).
const SIGNAL_FLOOR: f32 = 0.3;
/// Where a nudge's help link points when the platform has no page of its own: Child Helpline
/// International's directory (the international entry of `tutela-helplines`).
const HELP_URL: &str = "https://childhelplineinternational.org/helplines/";

pub struct TextAssessment {
    pub signals: Vec<policy::Signal>,
    pub summary: Value,
    pub lang: String,
    classification: Classification,
    conversation: Option<Value>,
}

impl TextAssessment {
    pub fn title(&self, verdict: &str) -> String {
        let mut labels: Vec<&str> = self.classification.labels.clone();
        if let Some(c) = &self.conversation {
            for l in c["labels"].as_array().into_iter().flatten() {
                if let Some(l) = l.as_str() {
                    labels.push(if l == "grooming" {
                        "grooming alert"
                    } else {
                        "sextortion alert"
                    });
                }
            }
        }
        if labels.is_empty() {
            format!("message ({verdict})")
        } else {
            format!("message: {} ({verdict})", labels.join(", "))
        }
    }

    /// What the case keeps: labels, scores, offsets and the conversation's state, not the text.
    pub fn case_signals(&self) -> Vec<NewSignal> {
        let c = &self.classification;
        vec![NewSignal {
            source: "scan".into(),
            kind: "text".into(),
            details: json!({
                "lang": c.lang,
                "labels": c.labels,
                "scores": c.labels.iter().map(|l| (l.to_string(), c.score(l))).collect::<std::collections::BTreeMap<_, _>>(),
                "spans": c.spans,
                "conversation": self.conversation,
            }),
        }]
    }
}

pub fn assess(
    state: &Shared,
    input: &TextInput,
    uploader: Option<&str>,
) -> ApiResult<TextAssessment> {
    if input.text.len() > MAX_TEXT_BYTES {
        return Err(ApiError::bad_request(format!(
            "text is longer than {MAX_TEXT_BYTES} bytes"
        )));
    }
    let classification = CLASSIFIER.classify(&input.text, input.lang.as_deref());
    let mut signals: Vec<policy::Signal> = classification
        .scores
        .iter()
        .filter(|(_, score)| *score >= SIGNAL_FLOOR)
        .map(|(category, score)| policy::Signal::Text {
            category: category.to_string(),
            score,
            sender_is_child: input.sender_is_child,
        })
        .collect();
    let conversation = match &input.conversation_id {
        Some(id) if !id.trim().is_empty() => {
            let from = input
                .from
                .clone()
                .or_else(|| uploader.map(str::to_string))
                .unwrap_or_else(|| "unknown".into());
            let turn = Turn {
                from,
                text: input.text.clone(),
                age_band: input.age_band.as_deref().map(AgeBand::parse),
            };
            let now = crate::now();
            let mut map = state.conversations.lock().expect("conversations lock");
            if map.len() > 200_000 {
                map.retain(|_, t| !t.is_expired(now));
            }
            let tracker = map.entry(id.clone()).or_default();
            let a = tracker.push_turn(&CLASSIFIER, &turn, now);
            signals.push(policy::Signal::Conversation {
                labels: a
                    .conversation_labels
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                risk: a.risk,
                alert: a.alert,
            });
            Some(json!({
                "risk": a.risk,
                "alert": a.alert,
                "alerted": a.alerted,
                "labels": a.conversation_labels,
                "stages": a.stages,
            }))
        }
        _ => None,
    };
    let lang = input
        .lang
        .clone()
        .or_else(|| classification.lang.clone())
        .unwrap_or_else(|| "en".into());
    let summary = json!({
        "lang": classification.lang,
        "labels": classification.labels,
        "scores": classification.scores.iter().filter(|(_, s)| *s >= SIGNAL_FLOOR)
            .map(|(c, s)| (c.to_string(), s)).collect::<std::collections::BTreeMap<_, _>>(),
        "conversation": conversation,
    });
    Ok(TextAssessment {
        signals,
        summary,
        lang,
        classification,
        conversation,
    })
}

/// The nudge to show, from the rules' `nudge` actions (the first one whose kind is known).
pub fn nudge_for_kinds(kinds: &[String], text: Option<&TextAssessment>) -> Value {
    let lang = text.map(|t| t.lang.as_str()).unwrap_or("en");
    kinds
        .iter()
        .find_map(|k| serde_json::from_value::<NudgeKind>(Value::String(k.clone())).ok())
        .map(|kind| {
            let n = tutela_text::nudge(kind, lang);
            json!({
                "kind": n.kind,
                "lang": n.lang,
                "message": n.message,
                "help_label": n.help_label,
                "help_url": HELP_URL,
            })
        })
        .unwrap_or(Value::Null)
}
