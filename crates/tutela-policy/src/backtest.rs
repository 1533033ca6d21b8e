//! Backtesting: run a policy over recorded scan events and compare with what they got then.

use crate::model::{Action, Fired, Outcome, RecordedEvent, RuleMode, Verdict};
use crate::{Policy, merge_actions};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Events per verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictCounts {
    pub allow: usize,
    pub hold: usize,
    pub block: usize,
}

impl VerdictCounts {
    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Allow => self.allow += 1,
            Verdict::Hold => self.hold += 1,
            Verdict::Block => self.block += 1,
        }
    }
}

/// How often one rule fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    pub rule_id: String,
    pub mode: RuleMode,
    pub verdict: Verdict,
    pub fired: usize,
    /// Shadow rules only: events whose outcome this rule would have changed had it been live
    /// (a stricter verdict, or an action the live rules did not already take). 0 for live
    /// rules.
    pub would_change: usize,
}

/// An event whose outcome under the policy differs from the recorded one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedEvent {
    pub event_id: String,
    pub recorded_verdict: Verdict,
    pub verdict: Verdict,
    /// Actions the policy takes that the recorded outcome did not have.
    pub actions_added: Vec<Action>,
    /// Recorded actions the policy no longer takes.
    pub actions_removed: Vec<Action>,
}

/// What a policy would have done to a set of recorded events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestReport {
    pub events: usize,
    /// Events that carry a recorded outcome (only these can be compared).
    pub with_recorded_outcome: usize,
    /// Verdicts under this policy, every event.
    pub verdicts: VerdictCounts,
    /// Recorded verdicts, events with a recorded outcome.
    pub recorded_verdicts: VerdictCounts,
    pub live_fires: usize,
    pub shadow_fires: usize,
    /// Every rule of the policy, in file order.
    pub rules: Vec<RuleCount>,
    /// Events (with a recorded outcome) whose verdict or set of actions differs, in input
    /// order.
    pub changed: Vec<ChangedEvent>,
}

/// Evaluates every event and compares with its recorded outcome (by verdict and by the set of
/// actions; the order of actions does not count).
pub fn backtest(policy: &Policy, events: &[RecordedEvent]) -> BacktestReport {
    let mut report = BacktestReport {
        events: events.len(),
        with_recorded_outcome: 0,
        verdicts: VerdictCounts::default(),
        recorded_verdicts: VerdictCounts::default(),
        live_fires: 0,
        shadow_fires: 0,
        rules: policy
            .rules()
            .iter()
            .map(|r| RuleCount {
                rule_id: r.id.clone(),
                mode: r.mode,
                verdict: r.verdict,
                fired: 0,
                would_change: 0,
            })
            .collect(),
        changed: Vec::new(),
    };
    for recorded in events {
        let outcome = policy.evaluate(&recorded.event);
        report.verdicts.add(outcome.verdict);
        count_fires(&mut report, policy, &outcome);
        if let Some(before) = &recorded.outcome {
            report.with_recorded_outcome += 1;
            report.recorded_verdicts.add(before.verdict);
            let actions_added = missing_from(&outcome.actions, &before.actions);
            let actions_removed = missing_from(&before.actions, &outcome.actions);
            if before.verdict != outcome.verdict
                || !actions_added.is_empty()
                || !actions_removed.is_empty()
            {
                report.changed.push(ChangedEvent {
                    event_id: recorded.event.event_id.clone(),
                    recorded_verdict: before.verdict,
                    verdict: outcome.verdict,
                    actions_added,
                    actions_removed,
                });
            }
        }
    }
    report
}

fn count_fires(report: &mut BacktestReport, policy: &Policy, outcome: &Outcome) {
    // `fired` is in rule order, so one forward walk pairs each with its rule.
    let mut rule_index = 0;
    for fired in &outcome.fired {
        while policy.rules()[rule_index].id != fired.rule_id {
            rule_index += 1;
        }
        let count = &mut report.rules[rule_index];
        count.fired += 1;
        match fired.mode {
            RuleMode::Live => report.live_fires += 1,
            RuleMode::Shadow => {
                report.shadow_fires += 1;
                if would_change(outcome, fired) {
                    count.would_change += 1;
                }
            }
        }
    }
}

/// Whether making this shadow rule live would change the outcome.
fn would_change(outcome: &Outcome, shadow: &Fired) -> bool {
    if shadow.verdict > outcome.verdict {
        return true;
    }
    let with_it = merge_actions(outcome.actions.iter().chain(&shadow.actions));
    !missing_from(&with_it, &outcome.actions).is_empty()
}

/// The actions of `a` that `b` does not have.
fn missing_from(a: &[Action], b: &[Action]) -> Vec<Action> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

/// At most this many changed events are listed in the text report (the JSON has them all).
const CHANGED_SHOWN: usize = 50;

impl fmt::Display for BacktestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v =
            |c: &VerdictCounts| format!("allow {}, hold {}, block {}", c.allow, c.hold, c.block);
        writeln!(
            f,
            "{} events, {} with a recorded outcome",
            self.events, self.with_recorded_outcome
        )?;
        writeln!(f, "verdicts with these rules: {}", v(&self.verdicts))?;
        if self.with_recorded_outcome > 0 {
            writeln!(
                f,
                "verdicts recorded:         {}",
                v(&self.recorded_verdicts)
            )?;
        }
        writeln!(
            f,
            "fired: {} live, {} shadow",
            self.live_fires, self.shadow_fires
        )?;
        let width = self
            .rules
            .iter()
            .map(|r| r.rule_id.len())
            .max()
            .unwrap_or(0)
            .max(4);
        writeln!(f)?;
        writeln!(
            f,
            "{:<width$}  mode    verdict  fired  would change (shadow)",
            "rule"
        )?;
        for r in &self.rules {
            let would = match r.mode {
                RuleMode::Shadow => r.would_change.to_string(),
                RuleMode::Live => String::new(),
            };
            let row = format!(
                "{:<width$}  {:<6}  {:<7}  {:>5}  {}",
                r.rule_id,
                r.mode.as_str(),
                r.verdict.as_str(),
                r.fired,
                would
            );
            writeln!(f, "{}", row.trim_end())?;
        }
        writeln!(f)?;
        if self.with_recorded_outcome == 0 {
            return writeln!(f, "no recorded outcomes to compare with");
        }
        writeln!(
            f,
            "{} of {} events differ from their recorded outcome",
            self.changed.len(),
            self.with_recorded_outcome
        )?;
        for c in self.changed.iter().take(CHANGED_SHOWN) {
            write!(f, "  {}: ", c.event_id)?;
            if c.recorded_verdict == c.verdict {
                write!(f, "{}", c.verdict.as_str())?;
            } else {
                write!(
                    f,
                    "{} -> {}",
                    c.recorded_verdict.as_str(),
                    c.verdict.as_str()
                )?;
            }
            for a in &c.actions_added {
                write!(f, "; + {a}")?;
            }
            for a in &c.actions_removed {
                write!(f, "; - {a}")?;
            }
            writeln!(f)?;
        }
        if self.changed.len() > CHANGED_SHOWN {
            writeln!(
                f,
                "  ... and {} more (--json lists them all)",
                self.changed.len() - CHANGED_SHOWN
            )?;
        }
        Ok(())
    }
}
