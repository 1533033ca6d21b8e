//! Quality measures for labelled sets (pure): per-category precision, recall and F1, macro F1,
//! the benign false-positive rate, and early-alert figures for conversations.

use crate::{CATEGORIES, CATEGORY_COUNT};
use serde::Serialize;

/// Counts for one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CategoryCounts {
    pub true_positives: u32,
    pub false_positives: u32,
    pub false_negatives: u32,
}

impl CategoryCounts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    pub fn f1(&self) -> f64 {
        let denominator = 2 * self.true_positives + self.false_positives + self.false_negatives;
        ratio(2 * self.true_positives, denominator)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Message-level evaluation: add (gold, predicted) label bit sets, then read the figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MessageEval {
    pub per_category: [CategoryCounts; CATEGORY_COUNT],
    pub messages: u32,
    pub benign: u32,
    /// Benign messages given at least one label.
    pub benign_flagged: u32,
}

impl MessageEval {
    pub fn add(&mut self, gold: u16, predicted: u16) {
        self.messages += 1;
        if gold == 0 {
            self.benign += 1;
            if predicted != 0 {
                self.benign_flagged += 1;
            }
        }
        for (c, counts) in self.per_category.iter_mut().enumerate() {
            let g = gold & (1 << c) != 0;
            let p = predicted & (1 << c) != 0;
            match (g, p) {
                (true, true) => counts.true_positives += 1,
                (false, true) => counts.false_positives += 1,
                (true, false) => counts.false_negatives += 1,
                (false, false) => {}
            }
        }
    }
    pub fn macro_f1(&self) -> f64 {
        self.per_category
            .iter()
            .map(CategoryCounts::f1)
            .sum::<f64>()
            / CATEGORY_COUNT as f64
    }
    pub fn benign_false_positive_rate(&self) -> f64 {
        ratio(self.benign_flagged, self.benign)
    }
    /// A plain-text table (one line per category, then the summary).
    pub fn report(&self) -> String {
        let mut out = format!(
            "{:<26} {:>9} {:>9} {:>9} {:>5}\n",
            "category", "precision", "recall", "f1", "n"
        );
        for (c, counts) in self.per_category.iter().enumerate() {
            out.push_str(&format!(
                "{:<26} {:>9.3} {:>9.3} {:>9.3} {:>5}\n",
                CATEGORIES[c],
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.true_positives + counts.false_negatives
            ));
        }
        out.push_str(&format!(
            "macro F1 {:.3} over {} categories; benign false-positive rate {:.3} ({} of {} benign); {} messages\n",
            self.macro_f1(),
            CATEGORY_COUNT,
            self.benign_false_positive_rate(),
            self.benign_flagged,
            self.benign,
            self.messages
        ));
        out
    }
}

/// Turns an alert may come after the first risky turn and still count as in time.
pub const ALERT_GRACE_TURNS: usize = 3;

/// Whether a conversation was judged right: a risky one (with its first risky turn) alerted by
/// `first_risky_turn + ALERT_GRACE_TURNS`, a benign one (`None`) not alerted at all.
pub fn alert_is_right(first_risky_turn: Option<usize>, alert_turn: Option<usize>) -> bool {
    match first_risky_turn {
        Some(first) => alert_turn.is_some_and(|at| at <= first + ALERT_GRACE_TURNS),
        None => alert_turn.is_none(),
    }
}

/// Conversation-level evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ConversationEval {
    pub risky: u32,
    /// Risky conversations alerted no later than `first_risky_turn + 3`.
    pub risky_alerted_in_time: u32,
    /// Risky conversations alerted at all.
    pub risky_alerted: u32,
    /// Alert turn minus first risky turn, for every alerted risky conversation.
    pub delays: Vec<i64>,
    pub benign: u32,
    pub benign_alerted: u32,
}

impl ConversationEval {
    pub fn add(&mut self, first_risky_turn: Option<usize>, alert_turn: Option<usize>) {
        match first_risky_turn {
            Some(first) => {
                self.risky += 1;
                if let Some(alert) = alert_turn {
                    self.risky_alerted += 1;
                    self.delays.push(alert as i64 - first as i64);
                    if alert_is_right(first_risky_turn, alert_turn) {
                        self.risky_alerted_in_time += 1;
                    }
                }
            }
            None => {
                self.benign += 1;
                if alert_turn.is_some() {
                    self.benign_alerted += 1;
                }
            }
        }
    }
    pub fn in_time_rate(&self) -> f64 {
        ratio(self.risky_alerted_in_time, self.risky)
    }
    pub fn false_alert_rate(&self) -> f64 {
        ratio(self.benign_alerted, self.benign)
    }
    pub fn report(&self) -> String {
        let mut delays = self.delays.clone();
        delays.sort_unstable();
        let median = delays.get(delays.len() / 2).copied();
        format!(
            "conversations: {} risky, alerted by first_risky_turn+3: {} ({:.3}); alerted at all: {}; median delay {} turns\n\
             benign: {}, false alerts: {} ({:.3})\n",
            self.risky,
            self.risky_alerted_in_time,
            self.in_time_rate(),
            self.risky_alerted,
            median.map_or("-".to_string(), |m| m.to_string()),
            self.benign,
            self.benign_alerted,
            self.false_alert_rate()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_figures() {
        let mut e = MessageEval::default();
        e.add(0b1, 0b1);
        e.add(0b1, 0);
        e.add(0, 0b1);
        e.add(0, 0);
        let c = e.per_category[0];
        assert_eq!(
            (c.true_positives, c.false_positives, c.false_negatives),
            (1, 1, 1)
        );
        assert!((c.f1() - 0.5).abs() < 1e-9);
        assert!((e.benign_false_positive_rate() - 0.5).abs() < 1e-9);
        assert!(e.report().contains("macro F1"));
    }

    #[test]
    fn conversation_figures() {
        let mut e = ConversationEval::default();
        e.add(Some(5), Some(8));
        e.add(Some(5), Some(9));
        e.add(Some(5), None);
        e.add(None, Some(2));
        e.add(None, None);
        assert_eq!(e.risky_alerted_in_time, 1);
        assert_eq!(e.risky_alerted, 2);
        assert!((e.false_alert_rate() - 0.5).abs() < 1e-9);
    }
}
