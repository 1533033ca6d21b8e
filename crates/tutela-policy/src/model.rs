//! The values the engine reads (events and their signals) and writes (verdicts, actions,
//! outcomes). Their JSON form is the wire format of scan events and recorded outcomes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where the content was posted on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    Post,
    Message,
    Profile,
    Stream,
    Other,
}

impl Surface {
    pub const ALL: [Surface; 5] = [
        Surface::Post,
        Surface::Message,
        Surface::Profile,
        Surface::Stream,
        Surface::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Post => "post",
            Surface::Message => "message",
            Surface::Profile => "profile",
            Surface::Stream => "stream",
            Surface::Other => "other",
        }
    }
}

/// What happens to the content now. Ordered: `Allow < Hold < Block`; the strictest fired live
/// rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Publish / deliver.
    Allow,
    /// Keep it from other users until a reviewer decides.
    Hold,
    /// Refuse it.
    Block,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Allow, Verdict::Hold, Verdict::Block];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Hold => "hold",
            Verdict::Block => "block",
        }
    }
}

/// Review priority of a case. Ordered: `Low < Normal < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    /// A child at imminent risk: reviewed before anything else.
    Critical,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

/// Which review queue a case goes to. Child-safety cases (and their media) are seen only by
/// child-safety reviewers and admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    ChildSafety,
    General,
}

impl Queue {
    pub fn as_str(self) -> &'static str {
        match self {
            Queue::ChildSafety => "child_safety",
            Queue::General => "general",
        }
    }
}

/// Everything known about one piece of content (or one message) at scan time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event_id: String,
    #[serde(default)]
    pub content_id: Option<String>,
    pub surface: Surface,
    #[serde(default)]
    pub signals: Vec<Signal>,
}

/// One finding about the content, produced by a detector before the rules run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Signal {
    /// An image hash within a bank's threshold (the matcher has already applied it).
    HashMatch {
        bank: String,
        /// The bank's categories (its labels), e.g. `csam`.
        categories: Vec<String>,
        /// `pdq`, `sha256` or `md5`.
        hash_kind: String,
        /// Hamming distance for PDQ; 0 for exact hashes.
        distance: u32,
    },
    /// A video (vPDQ) match; both percentages are 0..=100.
    VideoMatch {
        bank: String,
        categories: Vec<String>,
        query_match_percent: f32,
        entry_match_percent: f32,
    },
    /// A text classifier's score (0..=1) for one category.
    Text {
        category: String,
        score: f32,
        /// `None`: the platform did not say.
        sender_is_child: Option<bool>,
    },
    /// The conversation tracker's view of the whole conversation so far.
    Conversation {
        labels: Vec<String>,
        risk: f32,
        alert: bool,
    },
    /// A user report about the content.
    Report { reason: String, urgent: bool },
}

impl Signal {
    pub fn kind(&self) -> SignalKind {
        match self {
            Signal::HashMatch { .. } => SignalKind::HashMatch,
            Signal::VideoMatch { .. } => SignalKind::VideoMatch,
            Signal::Text { .. } => SignalKind::Text,
            Signal::Conversation { .. } => SignalKind::Conversation,
            Signal::Report { .. } => SignalKind::Report,
        }
    }
}

/// The type of a [`Signal`], as a rule names it (`signal = "hash_match"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    HashMatch,
    VideoMatch,
    Text,
    Conversation,
    Report,
}

impl SignalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::HashMatch => "hash_match",
            SignalKind::VideoMatch => "video_match",
            SignalKind::Text => "text",
            SignalKind::Conversation => "conversation",
            SignalKind::Report => "report",
        }
    }
}

/// Something the service does because a live rule fired.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Open a case (or add to the open case about this content/account).
    OpenCase {
        queue: Queue,
        priority: Priority,
        /// Review within this many minutes; `None`: no deadline beyond the queue order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_minutes: Option<u32>,
    },
    /// Keep the content, encrypted, in the evidence vault.
    PreserveEvidence,
    /// Tell the platform, e.g. `remove`, `restrict`, `notify`.
    Webhook { event: String },
    /// On a reviewer's confirmation, add the content's hashes to this bank.
    BankOnConfirm { bank: String },
    /// Show the sender a safety prompt, e.g. `self_harm_help`, `personal_data`.
    Nudge { kind: String },
}

impl Action {
    /// The `type` tag.
    pub fn type_name(&self) -> &'static str {
        match self {
            Action::OpenCase { .. } => "open_case",
            Action::PreserveEvidence => "preserve_evidence",
            Action::Webhook { .. } => "webhook",
            Action::BankOnConfirm { .. } => "bank_on_confirm",
            Action::Nudge { .. } => "nudge",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::OpenCase {
                queue,
                priority,
                due_minutes,
            } => {
                write!(f, "open_case({} {}", queue.as_str(), priority.as_str())?;
                if let Some(due) = due_minutes {
                    write!(f, ", due {due} min")?;
                }
                f.write_str(")")
            }
            Action::PreserveEvidence => f.write_str("preserve_evidence"),
            Action::Webhook { event } => write!(f, "webhook({event})"),
            Action::BankOnConfirm { bank } => write!(f, "bank_on_confirm({bank})"),
            Action::Nudge { kind } => write!(f, "nudge({kind})"),
        }
    }
}

/// Whether a rule acts (`live`) or is only evaluated and recorded (`shadow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleMode {
    #[default]
    Live,
    Shadow,
}

impl RuleMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleMode::Live => "live",
            RuleMode::Shadow => "shadow",
        }
    }
}

/// One rule whose condition held for the event, with what it asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fired {
    pub rule_id: String,
    pub mode: RuleMode,
    pub verdict: Verdict,
    pub actions: Vec<Action>,
}

/// The decision for one event: the verdict and merged actions of the live rules that fired,
/// and every fired rule (shadow ones included, in file order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub actions: Vec<Action>,
    pub fired: Vec<Fired>,
}

/// A scan event as the service records it: the event, the outcome it got then, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    #[serde(flatten)]
    pub event: Event,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub at: Option<String>,
}
