//! Reports from people (children, parents, anyone) and appeals from affected users: the reasons
//! in plain words and how each is triaged, receipt codes, what a reporter is told, which decisions
//! can be appealed and by whom, and flood control. Pure: the server does the I/O.

use crate::model::{CaseStatus, DecisionAction, Priority, Queue, named_enum};
use std::collections::HashMap;

named_enum!(
    /// Why someone reports, as the report page words it (the page shows the plain words; these
    /// names are the API's).
    ReportReason {
        /// "Someone asked me for pictures or to do sexual things."
        SexualSolicitation = "sexual_solicitation",
        /// "Someone is threatening to share pictures of me."
        Sextortion = "sextortion",
        /// "I'm being bullied."
        Bullying = "bullying",
        /// "I feel like hurting myself."
        SelfHarm = "self_harm",
        /// "Someone is being hateful."
        Hate = "hate",
        /// "Someone wants me to join a group or do something dangerous."
        DangerousGroup = "dangerous_group",
        /// "Someone is selling drugs, weapons or gambling."
        HarmfulGoods = "harmful_goods",
        /// "A scam or a fake offer."
        Scam = "scam",
        /// "Someone has my private information."
        PrivateInfo = "private_info",
        /// "I saw sexual images of a child."
        ChildSexualImagery = "child_sexual_imagery",
        /// "Something else."
        Other = "other"
    }
);

named_enum!(
    /// What a reporter sees at `/report/status`.
    ReportStatus { Received = "received", InReview = "in_review", Decided = "decided" }
);

named_enum!(
    /// The outcome in words a reporter or an appellant understands.
    Outcome {
        Removed = "removed",
        AccountRestricted = "account_restricted",
        PassedToAuthorities = "passed_to_authorities",
        NoViolation = "no_violation",
        Restored = "restored",
        /// An appeal was turned down: the first decision stands.
        Kept = "kept"
    }
);

named_enum!(
    AppealStatus {
        Open = "open",
        /// The first decision stands.
        Upheld = "upheld",
        /// The appeal succeeded: the content is restored.
        Overturned = "overturned"
    }
);

impl ReportReason {
    /// The detection category the reason maps to (the text categories of `tutela-text`, or
    /// `csam` for imagery), used for case signals and transparency counts.
    pub fn category(self) -> &'static str {
        match self {
            ReportReason::SexualSolicitation => "sexual_solicitation",
            ReportReason::Sextortion => "sextortion",
            ReportReason::Bullying => "bullying",
            ReportReason::SelfHarm => "self_harm",
            ReportReason::Hate => "hate",
            ReportReason::DangerousGroup => "extremism_recruitment",
            ReportReason::HarmfulGoods => "harmful_goods",
            ReportReason::Scam => "fraud_scam",
            ReportReason::PrivateInfo => "personal_data",
            ReportReason::ChildSexualImagery => "csam",
            ReportReason::Other => "other",
        }
    }

    /// Urgent reasons jump the queue and are never refused by flood control.
    pub fn is_urgent(self) -> bool {
        matches!(
            self,
            ReportReason::Sextortion | ReportReason::SelfHarm | ReportReason::ChildSexualImagery
        )
    }

    /// Does the page show the emergency number and the child helpline before the form? For a
    /// child at risk right now, help comes before paperwork.
    pub fn shows_help_first(self, in_danger: bool) -> bool {
        in_danger || matches!(self, ReportReason::Sextortion | ReportReason::SelfHarm)
    }

    fn base(self) -> (Queue, Priority) {
        use Priority::*;
        use Queue::*;
        match self {
            ReportReason::Sextortion | ReportReason::ChildSexualImagery => (ChildSafety, Critical),
            ReportReason::SelfHarm => (ChildSafety, Critical),
            ReportReason::SexualSolicitation => (ChildSafety, High),
            ReportReason::PrivateInfo => (ChildSafety, High),
            ReportReason::DangerousGroup => (General, High),
            ReportReason::Bullying | ReportReason::Hate => (General, Normal),
            ReportReason::HarmfulGoods | ReportReason::Scam => (General, Normal),
            ReportReason::Other => (General, Low),
        }
    }
}

/// Text categories that make a report a child-safety matter when the reported message scores
/// high on them, whatever reason the reporter picked (children often pick "something else").
const CHILD_SAFETY_CATEGORIES: &[&str] = &[
    "sexual_solicitation",
    "grooming_tactics",
    "sextortion",
    "self_harm",
    "exploitation_trafficking",
];

/// Where a report goes and how soon it must be looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Triage {
    pub queue: Queue,
    pub priority: Priority,
    /// Minutes until the case is due.
    pub due_minutes: u32,
    pub urgent: bool,
}

/// Due time by priority: a child at imminent risk within the hour.
pub fn due_minutes(priority: Priority) -> u32 {
    match priority {
        Priority::Critical => 60,
        Priority::High => 24 * 60,
        Priority::Normal => 72 * 60,
        Priority::Low => 7 * 24 * 60,
    }
}

fn raise(p: Priority) -> Priority {
    match p {
        Priority::Low => Priority::Normal,
        Priority::Normal => Priority::High,
        _ => Priority::Critical,
    }
}

fn lower(p: Priority) -> Priority {
    match p {
        Priority::Critical => Priority::High,
        Priority::High => Priority::Normal,
        _ => Priority::Low,
    }
}

/// Triage of one report: the reason's place, raised when someone is in danger or the reported
/// message itself scores high on a child-safety category (`text_hits`: categories the text
/// classifier labelled), lowered one step for a reporter flagged for false reports, except on
/// urgent reasons, which are never lowered.
pub fn triage(
    reason: ReportReason,
    in_danger: bool,
    reporter_is_child: bool,
    text_hits: &[&str],
    reporter_flagged: bool,
) -> Triage {
    let (mut queue, mut priority) = reason.base();
    let urgent = reason.is_urgent() || in_danger;
    if in_danger {
        priority = Priority::Critical;
    }
    if text_hits
        .iter()
        .any(|c| CHILD_SAFETY_CATEGORIES.contains(c))
    {
        queue = Queue::ChildSafety;
        priority = priority.max(raise(priority));
    } else if !text_hits.is_empty() && priority < Priority::Normal {
        priority = Priority::Normal;
    }
    if reporter_is_child && priority == Priority::Low {
        priority = Priority::Normal;
    }
    if reporter_flagged && !urgent {
        priority = lower(priority);
    }
    Triage {
        queue,
        priority,
        due_minutes: due_minutes(priority),
        urgent,
    }
}

/// What the reporter of a case is told, from the case's state and its latest decision.
pub fn report_status(
    status: CaseStatus,
    being_reviewed: bool,
    latest: Option<DecisionAction>,
) -> (ReportStatus, Option<Outcome>) {
    match latest {
        // A case reopened by an appeal keeps its decision until the appeal is decided.
        Some(action) => (ReportStatus::Decided, Some(outcome_of(action))),
        None if status != CaseStatus::Open => (ReportStatus::Decided, None),
        None if being_reviewed => (ReportStatus::InReview, None),
        None => (ReportStatus::Received, None),
    }
}

pub fn outcome_of(action: DecisionAction) -> Outcome {
    match action {
        DecisionAction::Remove => Outcome::Removed,
        DecisionAction::RestrictAccount => Outcome::AccountRestricted,
        DecisionAction::EscalateToAuthority => Outcome::PassedToAuthorities,
        DecisionAction::NoViolation => Outcome::NoViolation,
        DecisionAction::Restore => Outcome::Restored,
    }
}

/// What an appellant is told.
pub fn appeal_status_view(
    status: AppealStatus,
    being_reviewed: bool,
) -> (ReportStatus, Option<Outcome>) {
    match status {
        AppealStatus::Open if being_reviewed => (ReportStatus::InReview, None),
        AppealStatus::Open => (ReportStatus::Received, None),
        AppealStatus::Upheld => (ReportStatus::Decided, Some(Outcome::Kept)),
        AppealStatus::Overturned => (ReportStatus::Decided, Some(Outcome::Restored)),
    }
}

/// Decisions that act against someone can be appealed (EU DSA art. 20).
pub fn is_appealable(action: DecisionAction) -> bool {
    action.confirms_violation()
}

/// How a decision on a case with an open appeal resolves it. `restore` grants the appeal; a
/// decision that confirms the violation again turns it down; anything else is not an answer to
/// an appeal.
pub fn resolve_appeal(action: DecisionAction) -> Result<AppealStatus, String> {
    match action {
        DecisionAction::Restore => Ok(AppealStatus::Overturned),
        a if a.confirms_violation() => Ok(AppealStatus::Upheld),
        a => Err(format!(
            "this case has an open appeal: decide `restore` to grant it, or remove, \
             restrict_account or escalate_to_authority to turn it down (not `{a}`)"
        )),
    }
}

/// An appeal is decided by someone other than the reviewer who made the appealed decision.
pub fn check_appeal_reviewer(appealed_reviewer: i64, reviewer: i64) -> Result<(), String> {
    if appealed_reviewer == reviewer {
        Err(
            "an appeal is decided by a different reviewer than the one who made the \
             appealed decision"
                .into(),
        )
    } else {
        Ok(())
    }
}

/// A reporter whose decided reports are mostly found to break no rule: at least 5 such, and at
/// least 80% of the decided ones. Their reports still reach the queue (a real report from a
/// flagged reporter must not be lost), one priority step lower unless urgent.
pub fn is_flagged(no_violation: i64, decided: i64) -> bool {
    no_violation >= 5 && no_violation * 5 >= decided * 4
}

// ---- Receipt codes ----

/// Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or copied by hand
/// survives.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Ten symbols (50 bits) shown as `XXXXX-XXXXX`, from 10 random bytes (one symbol each).
pub fn receipt_from_random(random: &[u8; 10]) -> String {
    let mut s = String::with_capacity(11);
    for (i, b) in random.iter().enumerate() {
        if i == 5 {
            s.push('-');
        }
        s.push(CROCKFORD[(b & 31) as usize] as char);
    }
    s
}

/// A code as typed (any case, spaces or dashes, O for 0, I/L for 1) in its canonical form, or
/// `None` when it cannot be a receipt code.
pub fn normalize_receipt(input: &str) -> Option<String> {
    let mut out = String::with_capacity(11);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{a0}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
            _ => return None,
        };
        if out.len() == 5 {
            out.push('-');
        }
        out.push(c);
        if out.len() > 11 {
            return None;
        }
    }
    (out.len() == 11).then_some(out)
}

/// What the database keeps of a receipt or appeal code: a hash, so a copy of the database does
/// not let anyone read statuses.
pub fn code_hash(canonical: &str) -> String {
    blake3::hash(format!("tutela-receipt:{canonical}").as_bytes())
        .to_hex()
        .to_string()
}

// ---- Flood control ----

/// What flood control says about one more report from a reporter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Accepted; `repeat` when the reporter already reported within the hour, the point from
    /// which their record (how many of their reports broke no rule) is worth looking up.
    Accept { repeat: bool },
    /// Over the limit but urgent: accepted and flagged, never refused.
    AcceptFlagged,
    /// Over the limit: refused, try again after this many seconds.
    Refuse { retry_after: i64 },
}

/// Reports per reporter in a sliding hour (two fixed windows, weighted), in memory: a flood
/// is short-lived, and what it keeps is a keyed hash and two counters per reporter.
#[derive(Debug)]
pub struct FloodGate {
    per_hour: u32,
    reporters: HashMap<String, Window>,
    last_sweep: i64,
}

#[derive(Clone, Copy, Debug, Default)]
struct Window {
    start: i64,
    current: u32,
    previous: u32,
}

const HOUR: i64 = 3600;

impl FloodGate {
    pub fn new(per_hour: u32) -> FloodGate {
        FloodGate {
            per_hour,
            reporters: HashMap::new(),
            last_sweep: 0,
        }
    }

    pub fn admit(&mut self, reporter: &str, urgent: bool, now: i64) -> Admission {
        if now - self.last_sweep > HOUR {
            self.reporters.retain(|_, w| now - w.start < 2 * HOUR);
            self.last_sweep = now;
        }
        let w = self.reporters.entry(reporter.to_string()).or_default();
        let start = now - now.rem_euclid(HOUR);
        if w.start != start {
            w.previous = if start - w.start == HOUR {
                w.current
            } else {
                0
            };
            w.current = 0;
            w.start = start;
        }
        let elapsed = (now - start) as f64 / HOUR as f64;
        let estimate = f64::from(w.previous) * (1.0 - elapsed) + f64::from(w.current);
        if estimate < f64::from(self.per_hour) {
            w.current += 1;
            Admission::Accept {
                repeat: estimate > 0.0,
            }
        } else if urgent {
            w.current += 1;
            Admission::AcceptFlagged
        } else {
            Admission::Refuse {
                retry_after: (start + HOUR - now).max(1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_reasons_go_to_the_top_with_an_hour() {
        for r in [ReportReason::Sextortion, ReportReason::SelfHarm] {
            let t = triage(r, false, true, &[], false);
            assert_eq!(
                (t.priority, t.queue, t.due_minutes),
                (Priority::Critical, Queue::ChildSafety, 60)
            );
            assert!(t.urgent && r.shows_help_first(false));
        }
        let t = triage(ReportReason::Other, true, false, &[], false);
        assert_eq!(t.priority, Priority::Critical);
        assert!(ReportReason::Other.shows_help_first(true));
        assert!(!ReportReason::Bullying.shows_help_first(false));
    }

    #[test]
    fn the_message_can_raise_a_report_but_a_flag_never_hides_an_urgent_one() {
        let plain = triage(ReportReason::Other, false, false, &[], false);
        assert_eq!(
            (plain.queue, plain.priority),
            (Queue::General, Priority::Low)
        );
        let grooming = triage(
            ReportReason::Other,
            false,
            false,
            &["grooming_tactics"],
            false,
        );
        assert_eq!(
            (grooming.queue, grooming.priority),
            (Queue::ChildSafety, Priority::Normal)
        );
        let flagged = triage(ReportReason::Bullying, false, false, &[], true);
        assert_eq!(flagged.priority, Priority::Low);
        let flagged_urgent = triage(ReportReason::Sextortion, false, false, &[], true);
        assert_eq!(flagged_urgent.priority, Priority::Critical);
        let child = triage(ReportReason::Other, false, true, &[], false);
        assert_eq!(child.priority, Priority::Normal);
    }

    #[test]
    fn reporters_see_received_then_in_review_then_the_outcome() {
        use CaseStatus::*;
        assert_eq!(
            report_status(Open, false, None),
            (ReportStatus::Received, None)
        );
        assert_eq!(
            report_status(Open, true, None),
            (ReportStatus::InReview, None)
        );
        assert_eq!(
            report_status(Decided, false, Some(DecisionAction::Remove)),
            (ReportStatus::Decided, Some(Outcome::Removed))
        );
        // Reopened by an appeal: the reporter still sees the standing decision.
        assert_eq!(
            report_status(Open, true, Some(DecisionAction::EscalateToAuthority)),
            (ReportStatus::Decided, Some(Outcome::PassedToAuthorities))
        );
        assert_eq!(
            appeal_status_view(AppealStatus::Overturned, false),
            (ReportStatus::Decided, Some(Outcome::Restored))
        );
    }

    #[test]
    fn appeals_are_answered_by_restore_or_a_confirmation_from_someone_else() {
        assert_eq!(
            resolve_appeal(DecisionAction::Restore),
            Ok(AppealStatus::Overturned)
        );
        assert_eq!(
            resolve_appeal(DecisionAction::Remove),
            Ok(AppealStatus::Upheld)
        );
        assert!(resolve_appeal(DecisionAction::NoViolation).is_err());
        assert!(check_appeal_reviewer(3, 3).is_err());
        assert!(check_appeal_reviewer(3, 4).is_ok());
        assert!(is_appealable(DecisionAction::Remove));
        assert!(!is_appealable(DecisionAction::NoViolation));
    }

    #[test]
    fn receipts_survive_hand_copying() {
        let code = receipt_from_random(&[0, 1, 2, 3, 31, 10, 11, 12, 30, 29]);
        assert_eq!(code, "0123Z-ABCYX");
        assert_eq!(
            normalize_receipt(" 0123z abcyx ").as_deref(),
            Some("0123Z-ABCYX")
        );
        assert_eq!(
            normalize_receipt("O123Z-ABCYX").as_deref(),
            Some("0123Z-ABCYX")
        );
        assert_eq!(
            normalize_receipt("l0000-00000").as_deref(),
            Some("10000-00000")
        );
        assert_eq!(normalize_receipt("0123Z-ABCY"), None);
        assert_eq!(normalize_receipt("0123Z-ABCYXX"), None);
        assert_eq!(normalize_receipt("0123U-ABCYX"), None);
        assert_eq!(normalize_receipt("<script>"), None);
        assert_ne!(code_hash("0123Z-ABCYX"), code_hash("0123Z-ABCYY"));
    }

    #[test]
    fn false_reporters_are_flagged_only_on_a_clear_record() {
        assert!(!is_flagged(4, 4));
        assert!(is_flagged(5, 6));
        assert!(!is_flagged(5, 7));
    }

    #[test]
    fn a_flood_is_refused_but_urgent_reports_always_pass() {
        let mut gate = FloodGate::new(3);
        let t0 = 10 * HOUR + 10;
        assert_eq!(
            gate.admit("r", false, t0),
            Admission::Accept { repeat: false }
        );
        for _ in 0..2 {
            assert_eq!(
                gate.admit("r", false, t0),
                Admission::Accept { repeat: true }
            );
        }
        assert!(
            matches!(gate.admit("r", false, t0), Admission::Refuse { retry_after } if retry_after > 0)
        );
        assert_eq!(gate.admit("r", true, t0), Admission::AcceptFlagged);
        assert_eq!(
            gate.admit("other", false, t0),
            Admission::Accept { repeat: false }
        );
        // Early in the next hour the previous hour still weighs in; two hours later it does not.
        assert!(matches!(
            gate.admit("r", false, t0 + HOUR),
            Admission::Refuse { .. }
        ));
        assert_eq!(
            gate.admit("r", false, t0 + 3 * HOUR),
            Admission::Accept { repeat: false }
        );
    }
}
