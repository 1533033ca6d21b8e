//! Harmful-text and conversation risk for child safety (pure: no I/O, no clock, no threads).
//!
//! - [`TextClassifier`] scores one message on the 11 [`CATEGORIES`] with evidence spans (byte
//!   offsets into the caller's text; never log the text they point into). The model is a hashed
//!   character- and word-n-gram linear model embedded in the binary (`model/text-model.bin`,
//!   trained by `scripts/train-text` from `data/`), after a normalisation that undoes evasions
//!   (see [`normalize`]).
//! - [`ConversationTracker`] follows one conversation turn by turn and raises an early alert on
//!   grooming or sextortion; it keeps features and counters, never text, and can be persisted.
//! - [`nudge`] and [`nudge_for`]: short plain-words prompts for a child, in 8 languages.
//!
//! ```
//! use tutela_text::{TextClassifier, nudge, nudge_for};
//! let classifier = TextClassifier::new();
//! let result = classifier.classify("send me a pic of u in ur bikini, our little secret 😏", None);
//! assert!(result.labels.contains(&"sexual_solicitation"));
//! for span in &result.spans {
//!     // Byte offsets into the text: show them to the authorised reviewer only, never log them.
//!     assert!(span.end <= 52);
//! }
//! if let Some(kind) = nudge_for(&result, false) {
//!     let shown = nudge(kind, result.lang.as_deref().unwrap_or("en"));
//!     assert!(!shown.message.is_empty());
//! }
//! ```

mod concepts;
pub mod conversation;
pub mod eval;
pub mod features;
mod lang;
pub mod model;
pub mod normalize;
mod nudge;
pub mod train;
mod trie;

pub use conversation::{
    AgeBand, ChatLine, ChatTurn, ConversationTracker, Stage, TrackerWeights, Turn, TurnAssessment,
    TurnSignals, observe_turn,
};
pub use lang::detect_language;
pub use nudge::{LANGUAGES as NUDGE_LANGUAGES, Nudge, NudgeKind, nudge, nudge_for};

use features::Feature;
use model::{LinearModel, feature_norm};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The categories, in the order of `../shared/vectors/text/README.md`. Scores are indexed by it.
pub const CATEGORIES: [&str; 11] = [
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
pub const CATEGORY_COUNT: usize = CATEGORIES.len();

/// Index of a category id in [`CATEGORIES`].
pub fn category_index(name: &str) -> Option<usize> {
    CATEGORIES.iter().position(|c| *c == name)
}

/// The embedded model, produced by `scripts/train-text`.
static MODEL_BYTES: &[u8] = include_bytes!("../model/text-model.bin");

/// A score in [0, 1] per category, serialised as a map in [`CATEGORIES`] order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores(pub [f32; CATEGORY_COUNT]);

impl Scores {
    pub fn get(&self, category: &str) -> Option<f32> {
        category_index(category).map(|c| self.0[c])
    }
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f32)> + '_ {
        CATEGORIES.iter().copied().zip(self.0.iter().copied())
    }
}

impl Serialize for Scores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(CATEGORY_COUNT))?;
        for (name, score) in self.iter() {
            // Four decimals are plenty and keep output lines short.
            map.serialize_entry(name, &((score as f64 * 10_000.0).round() / 10_000.0))?;
        }
        map.end()
    }
}

/// Evidence for a label: a byte range of the original text. Never log the text it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub category: &'static str,
    pub start: usize,
    pub end: usize,
}

/// The result of classifying one message.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Classification {
    /// The language hint's primary subtag if one was given, else the detected language
    /// (`en es fr pt de ru ar zh`), or `None` when the text has no letters.
    pub lang: Option<String>,
    pub scores: Scores,
    /// Categories whose score reached the model's threshold, in [`CATEGORIES`] order.
    pub labels: Vec<&'static str>,
    /// Evidence spans for each label (empty when there are no labels).
    pub spans: Vec<Span>,
}

impl Classification {
    pub fn has(&self, category: &str) -> bool {
        self.labels.contains(&category)
    }
    /// The score of a category (0 for an unknown id).
    pub fn score(&self, category: &str) -> f32 {
        self.scores.get(category).unwrap_or(0.0)
    }
}

/// The message classifier. Cheap to create (the model is embedded and borrowed, not copied),
/// `Send + Sync`: share one across threads.
#[derive(Debug, Clone)]
pub struct TextClassifier {
    model: LinearModel<'static>,
}

impl Default for TextClassifier {
    fn default() -> Self {
        Self::new()
    }
}

impl TextClassifier {
    /// The classifier with the embedded model.
    pub fn new() -> Self {
        // The embedded file is checked by a unit test; a bad one is a build defect.
        let model = LinearModel::parse(MODEL_BYTES).expect("embedded text model is valid");
        TextClassifier { model }
    }

    /// A classifier over other model bytes (for training experiments and tests).
    pub fn from_model_bytes(bytes: &'static [u8]) -> Result<Self, model::ModelError> {
        Ok(TextClassifier {
            model: LinearModel::parse(bytes)?,
        })
    }

    /// Per-category decision thresholds of the model.
    pub fn thresholds(&self) -> [f32; CATEGORY_COUNT] {
        self.model.threshold
    }

    /// Scores only: no language, labels or spans (the fast path for bulk scoring).
    pub fn scores(&self, text: &str) -> Scores {
        self.scores_of(&normalize::normalize(text), text)
    }

    /// [`Self::scores`] of a text its caller has normalised already.
    pub(crate) fn scores_of(&self, normalized: &normalize::Normalized, text: &str) -> Scores {
        let mut features = Vec::with_capacity(256);
        features::extract(normalized, text, &mut features);
        Scores(self.model.probabilities(&features))
    }

    /// The categories whose scores reach their thresholds.
    pub(crate) fn labels_of(&self, scores: &Scores) -> Vec<&'static str> {
        (0..CATEGORY_COUNT)
            .filter(|&c| scores.0[c] >= self.model.threshold[c])
            .map(|c| CATEGORIES[c])
            .collect()
    }

    /// Scores and labels only, without language detection or evidence spans: the bulk path
    /// (what `tutela text classify` prints without `--details`).
    pub fn labels_and_scores(&self, text: &str) -> (Vec<&'static str>, Scores) {
        let scores = self.scores(text);
        (self.labels_of(&scores), scores)
    }

    /// Classifies one message. `lang_hint` (a BCP-47 tag such as `pt-BR`) replaces detection.
    pub fn classify(&self, text: &str, lang_hint: Option<&str>) -> Classification {
        let normalized = normalize::normalize(text);
        let mut features = Vec::with_capacity(256);
        features::extract(&normalized, text, &mut features);
        let scores = self.model.probabilities(&features);
        let labels = self.labels_of(&Scores(scores));
        let mut spans = Vec::new();
        for &label in &labels {
            let c = category_index(label).unwrap_or(0);
            self.spans_for(c, &normalized, &features, &mut spans);
        }
        let lang = match lang_hint.map(str::trim).filter(|h| !h.is_empty()) {
            Some(hint) => Some(
                hint.split(['-', '_'])
                    .next()
                    .unwrap_or(hint)
                    .to_ascii_lowercase(),
            ),
            None => detect_language(text).map(str::to_string),
        };
        Classification {
            lang,
            scores: Scores(scores),
            labels,
            spans,
        }
    }

    /// Evidence for category `c`: the tokens whose features push its score up most, merged into
    /// runs of neighbouring tokens (at most three spans).
    fn spans_for(
        &self,
        c: usize,
        normalized: &normalize::Normalized,
        features: &[Feature],
        out: &mut Vec<Span>,
    ) {
        let tokens = &normalized.tokens;
        if tokens.is_empty() {
            return;
        }
        let norm = feature_norm(features::weight_total(features));
        let mut per_token = vec![0.0f32; tokens.len()];
        for f in features {
            if let Some(slot) = per_token.get_mut(f.token as usize) {
                *slot += self.model.contribution(f, c, norm);
            }
        }
        let max = per_token.iter().copied().fold(0.0f32, f32::max);
        if max <= 0.0 {
            return;
        }
        let keep: Vec<bool> = per_token.iter().map(|&v| v >= 0.4 * max).collect();
        let mut runs: Vec<(usize, usize, f32)> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if !keep[i] {
                i += 1;
                continue;
            }
            let start = i;
            let mut weight = 0.0;
            while i < tokens.len() && keep[i] {
                weight += per_token[i];
                i += 1;
            }
            runs.push((start, i - 1, weight));
        }
        runs.sort_by(|a, b| b.2.total_cmp(&a.2));
        runs.truncate(3);
        runs.sort_by_key(|r| r.0);
        for (first, last, _) in runs {
            out.push(Span {
                category: CATEGORIES[c],
                start: tokens[first].orig_start as usize,
                end: tokens[last].orig_end as usize,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_is_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<TextClassifier>();
        let c = TextClassifier::new();
        assert!(c.thresholds().iter().all(|t| (0.0..=1.0).contains(t)));
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let c = TextClassifier::new();
        let text = "Héy cutie 😏 s e n d me a pic, our little secret ok";
        let result = c.classify(text, None);
        for span in &result.spans {
            assert!(span.start < span.end && span.end <= text.len());
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }

    #[test]
    fn hint_wins_over_detection() {
        let c = TextClassifier::new();
        assert_eq!(
            c.classify("hello there my friend", Some("pt-BR"))
                .lang
                .as_deref(),
            Some("pt")
        );
        assert_eq!(c.classify("", None).lang, None);
    }

    #[test]
    fn scores_serialise_in_category_order() {
        let json = serde_json::to_string(&Scores([0.5; CATEGORY_COUNT])).unwrap();
        assert!(json.starts_with("{\"sexual_solicitation\":0.5,\"grooming_tactics\""));
        assert!(json.ends_with("\"personal_data\":0.5}"));
    }
}
