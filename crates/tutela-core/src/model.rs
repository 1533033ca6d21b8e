//! The records of the engine: cases and their signals, decisions, evidence items, webhook
//! messages, scans, users and API keys. Times are Unix seconds (UTC).

use crate::access::{Role, Scope};
use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<$name, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        concat!("unknown ", stringify!($name), " {:?}: use one of {}"),
                        s,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

pub(crate) use named_enum;

named_enum!(
    /// Which reviewers may see a case: child-safety cases only admins and child-safety reviewers.
    Queue { ChildSafety = "child_safety", General = "general" }
);

named_enum!(
    /// Queue order: `critical` (a child at imminent risk) before everything else.
    Priority { Low = "low", Normal = "normal", High = "high", Critical = "critical" }
);

named_enum!(
    /// Where on the platform the content appeared.
    Surface { Post = "post", Message = "message", Profile = "profile", Stream = "stream", Other = "other" }
);

named_enum!(
    /// What Tutela tells the platform to do with a scanned item right now.
    Verdict { Allow = "allow", Hold = "hold", Block = "block" }
);

named_enum!(
    /// A case is about one piece of content or one account.
    SubjectKind { Content = "content", Account = "account" }
);

named_enum!(
    CaseStatus {
        /// Waiting in the queue (possibly assigned).
        Open = "open",
        /// Sent to an authority (for example a CyberTipline report); waits for follow-up.
        Escalated = "escalated",
        /// Decided; the history keeps every decision.
        Decided = "decided"
    }
);

named_enum!(
    /// What a reviewer decided to do.
    DecisionAction {
        Remove = "remove",
        Restore = "restore",
        RestrictAccount = "restrict_account",
        EscalateToAuthority = "escalate_to_authority",
        NoViolation = "no_violation"
    }
);

named_enum!(
    /// The ground of a decision, as a statement of reasons needs it (EU DSA art. 17).
    Ground {
        IllegalContent = "illegal_content",
        TermsOfService = "terms_of_service",
        /// For `no_violation` and `restore`.
        NoGround = "none"
    }
);

named_enum!(
    OutboxStatus {
        Pending = "pending",
        Delivered = "delivered",
        /// Gave up after the last retry: shown in the console and in /metrics.
        Failed = "failed"
    }
);

impl DecisionAction {
    /// The case status after this decision.
    pub fn resulting_status(self) -> CaseStatus {
        match self {
            DecisionAction::EscalateToAuthority => CaseStatus::Escalated,
            _ => CaseStatus::Decided,
        }
    }

    /// Does this decision confirm a violation (so confirmed content is banked)?
    pub fn confirms_violation(self) -> bool {
        matches!(
            self,
            DecisionAction::Remove
                | DecisionAction::RestrictAccount
                | DecisionAction::EscalateToAuthority
        )
    }

    /// The webhook event the platform receives for this decision, if any.
    pub fn webhook_event(self) -> Option<&'static str> {
        match self {
            DecisionAction::Remove => Some("remove"),
            DecisionAction::Restore => Some("restore"),
            DecisionAction::RestrictAccount => Some("restrict"),
            DecisionAction::EscalateToAuthority => Some("remove"),
            DecisionAction::NoViolation => None,
        }
    }
}

/// A group of signals about one piece of content or one account, waiting for a human.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Case {
    pub id: i64,
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    pub content_id: Option<String>,
    pub uploader_id: Option<String>,
    pub surface: Surface,
    pub queue: Queue,
    pub priority: Priority,
    pub status: CaseStatus,
    pub title: String,
    pub due_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub assigned_to: Option<i64>,
    pub assigned_name: Option<String>,
    pub lock_until: Option<i64>,
    /// The content's hashes (`pdq`, `md5`, `sha256`), kept to bank the content on confirmation.
    pub media_hashes: Value,
    /// Banks the content goes into when a reviewer confirms a violation.
    pub bank_on_confirm: Vec<String>,
    pub signal_count: i64,
}

impl Case {
    /// Is the case locked by someone other than `user` at time `now`?
    pub fn locked_by_other(&self, user: i64, now: i64) -> bool {
        match (self.assigned_to, self.lock_until) {
            (Some(holder), Some(until)) => holder != user && until > now,
            _ => false,
        }
    }
}

/// Something that made Tutela look at the subject: a bank match, a text signal, a report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Signal {
    pub id: i64,
    pub case_id: i64,
    pub at: i64,
    /// `scan`, `report`, ...
    pub source: String,
    /// `hash_match`, `video_match`, `text`, `conversation`, `report`.
    pub kind: String,
    pub scan_id: Option<i64>,
    pub details: Value,
}

/// One decision in a case's append-only history.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub reviewer_id: i64,
    pub reviewer: String,
    pub policy_id: String,
    pub ground: Ground,
    pub explanation: String,
    pub action: DecisionAction,
    pub at: i64,
}

/// Where a sealed evidence blob is kept. Small items (a reported message, a screenshot) live in
/// their database row: one file per text report made creating files the report path's largest
/// cost. Large ones (images, videos) are files, so the database stays small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealedBlob {
    /// A file, path relative to the data folder.
    InFile(String),
    /// The ciphertext itself, stored in the evidence row.
    InRow(Vec<u8>),
}

fn no_blob() -> SealedBlob {
    SealedBlob::InRow(Vec::new())
}

impl SealedBlob {
    /// The file to delete when the item goes, if it has one.
    pub fn file(&self) -> Option<&str> {
        match self {
            SealedBlob::InFile(p) => Some(p),
            SealedBlob::InRow(_) => None,
        }
    }
}

/// Content preserved as evidence: the blob is sealed; this row holds its wrapped key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: i64,
    pub case_id: Option<i64>,
    pub content_id: Option<String>,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    /// The sealed blob (ciphertext; never serialised).
    #[serde(skip, default = "no_blob")]
    pub blob: SealedBlob,
    #[serde(skip)]
    pub wrapped_key: Vec<u8>,
    pub created_at: i64,
    pub retain_until: i64,
    pub legal_hold: bool,
    pub purged_at: Option<i64>,
}

/// A webhook message waiting in (or gone through) the transactional outbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub event: String,
    pub case_id: Option<i64>,
    pub content_id: Option<String>,
    pub payload: Value,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

/// A scan as recorded: what was asked, what the rules saw and said, what was answered.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScanRecord {
    pub id: i64,
    pub content_id: String,
    pub uploader_id: Option<String>,
    pub surface: Surface,
    pub event: Value,
    pub outcome: Value,
    pub response: Value,
    pub at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub revoked: bool,
}

// ---- What the server asks the store to write, each in one transaction ----

#[derive(Clone, Debug)]
pub struct NewSignal {
    pub source: String,
    pub kind: String,
    pub details: Value,
}

/// Open a case for a subject, or add to the open one: signals are appended, priority and queue
/// only ever go up, the due time only earlier.
#[derive(Clone, Debug)]
pub struct CaseUpsert {
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    pub content_id: Option<String>,
    pub uploader_id: Option<String>,
    pub surface: Surface,
    pub queue: Queue,
    pub priority: Priority,
    pub due_at: Option<i64>,
    pub title: String,
    pub media_hashes: Value,
    pub bank_on_confirm: Vec<String>,
    pub signals: Vec<NewSignal>,
}

#[derive(Clone, Debug)]
pub struct NewEvidence {
    pub content_id: Option<String>,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub blob: SealedBlob,
    pub wrapped_key: Vec<u8>,
    pub retain_until: i64,
}

#[derive(Clone, Debug)]
pub struct NewOutbox {
    pub event: String,
    pub content_id: Option<String>,
    pub payload: Value,
}

#[derive(Clone, Debug)]
pub struct NewAudit {
    /// `user:<name>`, `apikey:<name>`, `system`.
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: Value,
}

/// Everything a scan writes, atomically.
#[derive(Clone, Debug)]
pub struct NewScan {
    pub content_id: String,
    pub uploader_id: Option<String>,
    pub surface: Surface,
    pub event: Value,
    pub outcome: Value,
    /// The answer given to the platform; the store adds `case_id` when a case was opened.
    pub response: Value,
    pub at: i64,
    pub case: Option<CaseUpsert>,
    pub evidence: Option<NewEvidence>,
    pub outbox: Vec<NewOutbox>,
    pub audit: Vec<NewAudit>,
}

/// What a committed scan produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanCommitted {
    pub scan_id: i64,
    pub case_id: Option<i64>,
    pub evidence_id: Option<i64>,
    pub response: Value,
}

/// A reviewer's decision, with its webhooks and audit entries, atomically.
#[derive(Clone, Debug)]
pub struct NewDecision {
    pub case_id: i64,
    pub reviewer_id: i64,
    pub policy_id: String,
    pub ground: Ground,
    pub explanation: String,
    pub action: DecisionAction,
    pub at: i64,
    pub outbox: Vec<NewOutbox>,
    pub audit: Vec<NewAudit>,
    /// The reports the reviewer saw on the case (their outcome messages are in `outbox`). A
    /// report that arrived meanwhile makes the commit a conflict: the reviewer looks again.
    pub reports_seen: Vec<i64>,
    /// For a decision that can be appealed: the appeal code's hash and the last day to appeal.
    pub appeal_code: Option<NewAppealCode>,
}

#[derive(Clone, Debug)]
pub struct NewAppealCode {
    pub code_hash: String,
    pub appeal_until: i64,
}

/// A report from a person, as received: it joins (or opens) the case of its subject.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub id: i64,
    pub case_id: i64,
    pub reason: crate::report::ReportReason,
    pub in_danger: bool,
    pub for_friend: bool,
    /// `api` (the platform's own button) or `page` (Tutela's report page).
    pub channel: String,
    pub content_id: Option<String>,
    pub account_id: Option<String>,
    pub content_url: Option<String>,
    /// The platform's id for its report, echoed in the outcome webhook.
    pub platform_report_id: Option<String>,
    pub reporter_is_child: Option<bool>,
    pub lang: Option<String>,
    pub country: Option<String>,
    /// Over the flood limit (accepted because urgent) or a record of false reports.
    pub flagged: bool,
    pub created_at: i64,
    pub due_at: Option<i64>,
    /// Keyed hash of the reporter, for flood control only; never shown, never sent.
    #[serde(skip)]
    pub reporter_key: Option<String>,
    /// Contact for updates, sealed (`wrapped key`, `blob`); opened only to send the outcome.
    #[serde(skip)]
    pub contact_sealed: Option<(Vec<u8>, Vec<u8>)>,
}

/// Everything a report writes, atomically.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub receipt_hash: String,
    pub case: CaseUpsert,
    pub report: Report,
    /// The reported message, the reporter's words and a screenshot, sealed.
    pub evidence: Vec<NewEvidence>,
    pub outbox: Vec<NewOutbox>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportCommitted {
    pub report_id: i64,
    pub case_id: i64,
    /// Joined a case that was already open for the same content or account.
    pub merged: bool,
}

/// An affected user's appeal against a decision (EU DSA art. 20).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Appeal {
    pub id: i64,
    pub case_id: i64,
    pub decision_id: i64,
    /// Who made the appealed decision: someone else decides the appeal.
    pub appealed_reviewer_id: i64,
    /// The appellant's reasons, in their words.
    pub statement: String,
    pub channel: String,
    pub lang: Option<String>,
    pub status: crate::report::AppealStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// The decision that answered the appeal.
    pub resolved_by: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct NewAppeal {
    pub receipt_hash: String,
    pub decision_id: i64,
    pub statement: String,
    pub channel: String,
    pub lang: Option<String>,
    pub contact_sealed: Option<(Vec<u8>, Vec<u8>)>,
    pub at: i64,
    /// The case is reopened with this priority and due time.
    pub priority: Priority,
    pub due_at: i64,
    pub audit: Vec<NewAudit>,
}

/// A decision as an appeal page or the appeals API sees it.
#[derive(Clone, Debug, Serialize)]
pub struct AppealableDecision {
    pub decision: Decision,
    pub case: Case,
    /// Set when the decision came with an appeal code.
    pub appeal_until: Option<i64>,
    pub appeal: Option<Appeal>,
}

/// What a receipt code opens.
#[derive(Clone, Debug)]
pub enum Receipt {
    Report {
        report: Box<Report>,
        case: Box<Case>,
        latest: Option<Decision>,
    },
    Appeal {
        appeal: Box<Appeal>,
        case: Box<Case>,
    },
}

/// Filters for the case search.
#[derive(Clone, Debug, Default)]
pub struct CaseQuery {
    /// Matched against content id, uploader id, subject id and title.
    pub text: Option<String>,
    pub status: Option<CaseStatus>,
    /// Queues the caller may see.
    pub queues: Vec<Queue>,
    pub limit: i64,
}

/// Everything the case page shows.
#[derive(Clone, Debug, Serialize)]
pub struct CaseDetail {
    pub case: Case,
    pub signals: Vec<Signal>,
    pub decisions: Vec<Decision>,
    pub evidence: Vec<EvidenceItem>,
    pub outbox: Vec<OutboxMessage>,
    pub reports: Vec<Report>,
    pub appeals: Vec<Appeal>,
}

impl CaseDetail {
    /// The appeal waiting for a decision on this case, if any.
    pub fn open_appeal(&self) -> Option<&Appeal> {
        self.appeals
            .iter()
            .find(|a| a.status == crate::report::AppealStatus::Open)
    }
}

/// Counts for /metrics and the console header.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub open_cases: i64,
    pub open_child_safety_cases: i64,
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    pub evidence_live: i64,
    pub audit_entries: i64,
    pub reports_total: i64,
    pub appeals_open: i64,
    pub appeals_upheld: i64,
    pub appeals_overturned: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_order_critical_first() {
        let mut p = vec![
            Priority::Normal,
            Priority::Critical,
            Priority::Low,
            Priority::High,
        ];
        p.sort_by(|a, b| b.cmp(a));
        assert_eq!(
            p,
            vec![
                Priority::Critical,
                Priority::High,
                Priority::Normal,
                Priority::Low
            ]
        );
        assert!(Verdict::Block > Verdict::Hold && Verdict::Hold > Verdict::Allow);
    }

    #[test]
    fn enum_names_round_trip_and_bad_names_say_what_is_allowed() {
        for a in DecisionAction::ALL {
            assert_eq!(a.name().parse::<DecisionAction>().unwrap(), *a);
        }
        let err = "delete".parse::<DecisionAction>().unwrap_err();
        assert!(
            err.contains("remove") && err.contains("no_violation"),
            "{err}"
        );
        assert_eq!(
            serde_json::to_string(&Queue::ChildSafety).unwrap(),
            "\"child_safety\""
        );
    }

    #[test]
    fn a_lock_binds_others_until_it_expires() {
        let case = Case {
            id: 1,
            subject_kind: SubjectKind::Content,
            subject_id: "c".into(),
            content_id: None,
            uploader_id: None,
            surface: Surface::Post,
            queue: Queue::General,
            priority: Priority::Normal,
            status: CaseStatus::Open,
            title: String::new(),
            due_at: None,
            created_at: 0,
            updated_at: 0,
            assigned_to: Some(7),
            assigned_name: None,
            lock_until: Some(100),
            media_hashes: Value::Null,
            bank_on_confirm: vec![],
            signal_count: 0,
        };
        assert!(case.locked_by_other(8, 99));
        assert!(!case.locked_by_other(7, 99));
        assert!(!case.locked_by_other(8, 100));
    }
}
