//! Conversation risk: grooming and sextortion seen coming, turn by turn.
//!
//! Each turn is first observed ([`observe_turn`]): the message model's 11 scores, the tactics its
//! words show as stages (phrase lists in the 7 languages, matched on normalised text), and what it
//! says about who is who (a disclosed minor age, a family title). Then the sender's risk grows by
//! the weights of the distinct stages they use and of the model's grooming, solicitation,
//! sextortion and personal-data scores, scaled by who they talk to: an adult or a stranger
//! talking to a child or teenager counts fully, peers and adults among themselves much less, and
//! a relative's gifts and surprises hardly at all. One plain sextortion message alerts alone. The
//! alert is raised once, when a sender's risk reaches [`ALERT_RISK`]. The weights
//! ([`TrackerWeights::SHIPPED`]) are chosen by `tune-conversations` on labelled chats.
//!
//! The state is features and counters only: participant ids are kept as 64-bit hashes, no text
//! is stored. It expires after [`EXPIRY_SECONDS`] without a turn (the caller passes the time).

mod cues;

use crate::{CATEGORY_COUNT, TextClassifier};
use cues::{
    CueText, addresses_family, discloses_minor_age, mentions_guardian, phrase_stages,
    reports_someone_else,
};
use serde::{Deserialize, Serialize};

/// A conversation's state is dropped after this long without a turn (14 days).
pub const EXPIRY_SECONDS: i64 = 14 * 24 * 3600;
/// Risk at which the alert is raised.
pub const ALERT_RISK: f32 = 1.0;
/// The message score at which a turn counts as evidence of solicitation, threat or a personal
/// data request, when the message model's own label threshold is higher.
const STAGE_EVIDENCE: f32 = 0.35;

/// What a platform knows of a participant's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Child,
    Teen,
    Adult,
    #[default]
    Unknown,
}

impl AgeBand {
    /// Parses `child`, `teen`, `adult` or `unknown` (anything else is unknown).
    pub fn parse(s: &str) -> AgeBand {
        match s.trim().to_ascii_lowercase().as_str() {
            "child" => AgeBand::Child,
            "teen" => AgeBand::Teen,
            "adult" => AgeBand::Adult,
            _ => AgeBand::Unknown,
        }
    }
    fn is_minor(self) -> bool {
        matches!(self, AgeBand::Child | AgeBand::Teen)
    }
}

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// The sender's id within the conversation.
    pub from: String,
    pub text: String,
    /// The sender's age band, when the platform knows it.
    #[serde(default)]
    pub age_band: Option<AgeBand>,
}

/// The tactics the tracker recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    AgeProbe,
    Flattery,
    RiskAssessment,
    Secrecy,
    Isolation,
    Gifts,
    PlatformMove,
    MeetingRequest,
    ImageRequest,
    SexualContent,
    Threat,
    PersonalDataRequest,
}

pub const STAGES: [Stage; 12] = [
    Stage::AgeProbe,
    Stage::Flattery,
    Stage::RiskAssessment,
    Stage::Secrecy,
    Stage::Isolation,
    Stage::Gifts,
    Stage::PlatformMove,
    Stage::MeetingRequest,
    Stage::ImageRequest,
    Stage::SexualContent,
    Stage::Threat,
    Stage::PersonalDataRequest,
];

impl Stage {
    fn index(self) -> usize {
        STAGES.iter().position(|s| *s == self).unwrap_or(0)
    }
    /// Tactics that are warning signs from anyone, relatives included.
    fn is_hard(self) -> bool {
        matches!(
            self,
            Stage::RiskAssessment | Stage::Isolation | Stage::SexualContent | Stage::Threat
        )
    }
    /// Part of a sextortion pattern rather than grooming's slower course.
    fn is_sextortion(self) -> bool {
        matches!(self, Stage::Threat)
    }
}

fn hash_id(id: &str) -> u64 {
    // FNV-1a: stable across versions, so persisted state keeps matching its participants.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// What the tracker keeps about one participant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub id_hash: u64,
    pub age_band: AgeBand,
    /// Said something that shows they are a minor.
    pub disclosed_minor: bool,
    pub turns: u32,
    /// Times each stage (in [`STAGES`] order) was seen from this participant.
    pub stage_counts: [u16; 12],
    /// Highest score per category over their turns.
    pub max_scores: [f32; CATEGORY_COUNT],
    pub risk: f32,
    /// Accumulated risk from threats and sextortion signals (names the alert's label).
    pub sextortion_risk: f32,
    /// Addressed by another participant with a family title ("uncle", "abuelo").
    #[serde(default)]
    pub family: bool,
}

impl Participant {
    fn seen(&self, stage: Stage) -> bool {
        self.stage_counts[stage.index()] > 0
    }
}

/// The tracker's verdict on one turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnAssessment {
    /// True only on the turn where the alert is first raised.
    pub alert: bool,
    /// True from that turn on.
    pub alerted: bool,
    /// The conversation's risk so far (the riskiest participant's), in [0, 1].
    pub risk: f32,
    /// The message's own labels.
    pub labels: Vec<&'static str>,
    /// Tactics seen in this turn.
    pub stages: Vec<Stage>,
    /// `grooming` or `sextortion` once alerted.
    pub conversation_labels: Vec<&'static str>,
}

/// Per-conversation state. Serialise it to persist it between turns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationTracker {
    pub participants: Vec<Participant>,
    pub turns: u32,
    pub last_turn_unix: Option<i64>,
    pub alert_turn: Option<u32>,
    /// Which participant the alert is about (its id hash).
    pub alert_subject: Option<u64>,
    pub sextortion: bool,
}

impl ConversationTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// True when the state is older than [`EXPIRY_SECONDS`] and should be dropped.
    pub fn is_expired(&self, now_unix: i64) -> bool {
        self.last_turn_unix
            .is_some_and(|last| now_unix.saturating_sub(last) > EXPIRY_SECONDS)
    }

    /// Records what the platform knows of a participant's age before they speak.
    pub fn set_age_band(&mut self, from: &str, band: AgeBand) {
        self.participant(from).age_band = band;
    }

    fn participant(&mut self, from: &str) -> &mut Participant {
        let id_hash = hash_id(from);
        if let Some(i) = self.participants.iter().position(|p| p.id_hash == id_hash) {
            return &mut self.participants[i];
        }
        self.participants.push(Participant {
            id_hash,
            ..Participant::default()
        });
        let last = self.participants.len() - 1;
        &mut self.participants[last]
    }

    /// The conversation's labels: `grooming` or `sextortion` once alerted.
    pub fn labels(&self) -> Vec<&'static str> {
        match (self.alert_turn, self.sextortion) {
            (None, _) => vec![],
            (Some(_), true) => vec!["sextortion"],
            (Some(_), false) => vec!["grooming"],
        }
    }

    /// The riskiest participant's risk, squashed into [0, 1] (ALERT_RISK maps to 0.5).
    pub fn risk(&self) -> f32 {
        let raw = self
            .participants
            .iter()
            .map(|p| p.risk)
            .fold(0.0f32, f32::max);
        raw / (raw + ALERT_RISK)
    }

    /// Feeds one turn. `now_unix` is the caller's clock; an expired state starts afresh.
    pub fn push_turn(
        &mut self,
        classifier: &TextClassifier,
        turn: &Turn,
        now_unix: i64,
    ) -> TurnAssessment {
        let signals = observe_turn(classifier, &turn.text);
        self.push_signals(
            &turn.from,
            turn.age_band,
            &signals,
            &TrackerWeights::SHIPPED,
            now_unix,
        )
    }

    /// Feeds one turn already observed, weighed with `weights` (the tuner tries other weights
    /// on the same observations; everyone else uses [`TrackerWeights::SHIPPED`]).
    pub fn push_signals(
        &mut self,
        from: &str,
        age_band: Option<AgeBand>,
        signals: &TurnSignals,
        weights: &TrackerWeights,
        now_unix: i64,
    ) -> TurnAssessment {
        if self.is_expired(now_unix) {
            *self = ConversationTracker::default();
        }
        self.last_turn_unix = Some(now_unix);
        let turn_index = self.turns;
        self.turns += 1;
        let scores = &signals.scores;
        let stages = &signals.stages;

        // Who the sender is talking to: any other participant known to be a minor?
        let sender_hash = hash_id(from);
        let others = || {
            self.participants
                .iter()
                .filter(|p| p.id_hash != sender_hash)
        };
        let other_is_minor = others().any(|p| p.age_band.is_minor() || p.disclosed_minor);
        let others_all_adult =
            others().next().is_some() && others().all(|p| p.age_band == AgeBand::Adult);

        if signals.family_address {
            self.participant(from);
            // In a chat of two, the other one is the family member addressed.
            if self.participants.len() == 2 {
                for p in self
                    .participants
                    .iter_mut()
                    .filter(|p| p.id_hash != sender_hash)
                {
                    p.family = true;
                }
            }
        }
        let sender = self.participant(from);
        if let Some(band) = age_band {
            sender.age_band = band;
        }
        if signals.minor_age {
            sender.disclosed_minor = true;
        }
        sender.turns += 1;
        for (m, s) in sender.max_scores.iter_mut().zip(scores) {
            *m = m.max(*s);
        }
        // How much this sender's tactics count, given who they are and who they talk to.
        let relation = match (sender.age_band, other_is_minor, others_all_adult) {
            (AgeBand::Child | AgeBand::Teen, _, _) => weights.minor_sender,
            (_, _, true) => weights.among_adults,
            (AgeBand::Adult, true, _) => weights.adult_to_minor,
            (_, true, _) => weights.unknown_to_minor,
            (_, false, _) => weights.age_unknown,
        };
        let mut added = 0.0f32;
        // Tactics the sender only reports ("he said dont tell anyone") count for little.
        let reported = if signals.reported {
            weights.reported
        } else {
            1.0
        };
        for &stage in stages {
            let first = !sender.seen(stage);
            let mut weight =
                weights.stage[stage.index()] * if first { 1.0 } else { weights.repeat };
            if stage == Stage::Flattery && (other_is_minor || sender.seen(Stage::AgeProbe)) {
                // Flattery about a known child's age or maturity is a grooming marker.
                weight *= 2.0;
            }
            if stage == Stage::Secrecy && !signals.mentions_guardian {
                // "Don't tell your cousin what it cost" is not secrecy from those who protect.
                weight *= 0.5;
            }
            if sender.family && !stage.is_hard() {
                // A relative's gifts, surprises, visits and "send me a photo of your room" are
                // ordinary; their checks on who is home, isolation, sexual talk and threats are not.
                weight *= weights.family;
            }
            added += weight;
            if stage.is_sextortion() {
                sender.sextortion_risk += weight;
            }
            let slot = &mut sender.stage_counts[stage.index()];
            *slot = slot.saturating_add(1);
        }
        // The message model's scores add what the phrase lists miss: it has seen far more
        // wordings of each tactic than any list holds.
        let model_term = |c: usize, weight: f32| {
            weight * ((scores[c] - weights.score_floor) / (1.0 - weights.score_floor)).max(0.0)
        };
        added += model_term(GROOMING, weights.model_grooming)
            + model_term(SOLICITATION, weights.model_solicitation)
            + model_term(PERSONAL_DATA, weights.model_personal_data);
        let extortion = model_term(SEXTORTION, weights.model_sextortion);
        added += extortion;
        sender.sextortion_risk += extortion + if signals.sextortion_label { 0.5 } else { 0.0 };
        sender.risk += added * relation * reported;
        // One message that is plainly sextortion (a threat to share images for money or more)
        // alerts on its own, whoever the sender claims to be, unless a known minor sent it.
        if scores[SEXTORTION] >= weights.instant_sextortion
            && !sender.age_band.is_minor()
            && !signals.reported
        {
            sender.risk = sender.risk.max(ALERT_RISK);
            sender.sextortion_risk = sender.sextortion_risk.max(0.7);
        }
        let sender_risk = sender.risk;
        let sextortion_now = sender.sextortion_risk >= 0.7;

        let mut alert = false;
        if self.alert_turn.is_none() && sender_risk >= ALERT_RISK {
            self.alert_turn = Some(turn_index);
            self.alert_subject = Some(sender_hash);
            alert = true;
        }
        if self.alert_turn.is_some() && self.alert_subject == Some(sender_hash) && sextortion_now {
            self.sextortion = true;
        }
        TurnAssessment {
            alert,
            alerted: self.alert_turn.is_some(),
            risk: self.risk(),
            labels: signals.labels.clone(),
            stages: stages.clone(),
            conversation_labels: self.labels(),
        }
    }
}

/// One line of a conversation file, as `tutela text conversations` and the tuner read it:
/// `{"id", "turns": [{"from", "text"}], "meta"?, "labels"?, "first_risky_turn"?}`, where `meta`
/// holds `"<who>_age_band": "adult" | "teen" | "child" | "unknown"`.
#[derive(Debug, Clone, Deserialize)]
pub struct ChatLine {
    pub id: serde_json::Value,
    pub turns: Vec<ChatTurn>,
    #[serde(default)]
    pub meta: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    #[serde(default)]
    pub first_risky_turn: Option<usize>,
}

/// One turn of a [`ChatLine`].
#[derive(Debug, Clone, Deserialize)]
pub struct ChatTurn {
    pub from: String,
    pub text: String,
}

impl ChatLine {
    /// Labelled grooming or sextortion.
    pub fn is_risky(&self) -> bool {
        self.labels.as_ref().is_some_and(|l| !l.is_empty())
    }

    /// The labelled first risky turn of a risky chat; `None` for a benign one.
    pub fn gold_first_risky_turn(&self) -> Option<usize> {
        self.first_risky_turn.filter(|_| self.is_risky())
    }

    /// A fresh tracker that knows what `meta` says of each side's age.
    pub fn tracker(&self) -> ConversationTracker {
        let mut tracker = ConversationTracker::new();
        for (key, value) in self.meta.iter().flatten() {
            if let (Some(who), Some(band)) = (key.strip_suffix("_age_band"), value.as_str()) {
                tracker.set_age_band(who, AgeBand::parse(band));
            }
        }
        tracker
    }

    /// Feeds the turns one second apart (so the state never expires) to [`Self::tracker`];
    /// `each_turn` sees every assessment. Returns the turn of the alert and the tracker.
    pub fn replay(
        &self,
        classifier: &TextClassifier,
        mut each_turn: impl FnMut(usize, &TurnAssessment),
    ) -> (Option<usize>, ConversationTracker) {
        let mut tracker = self.tracker();
        let mut alert_turn = None;
        for (i, turn) in self.turns.iter().enumerate() {
            let signals = observe_turn(classifier, &turn.text);
            let assessment = tracker.push_signals(
                &turn.from,
                None,
                &signals,
                &TrackerWeights::SHIPPED,
                i as i64,
            );
            if assessment.alert {
                alert_turn = Some(i);
            }
            each_turn(i, &assessment);
        }
        (alert_turn, tracker)
    }
}

const GROOMING: usize = 1;
const SEXTORTION: usize = 2;
const SOLICITATION: usize = 0;
const PERSONAL_DATA: usize = 10;

/// What one turn shows before the conversation weighs it: the message model's scores and
/// labels, the tactics its words show, and what it says about who is who. No text.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnSignals {
    pub scores: [f32; CATEGORY_COUNT],
    pub labels: Vec<&'static str>,
    pub stages: Vec<Stage>,
    /// The model labels the message sextortion (at its own threshold).
    pub sextortion_label: bool,
    pub minor_age: bool,
    pub family_address: bool,
    pub mentions_guardian: bool,
    /// The sender reports someone else's words or deeds.
    pub reported: bool,
}

/// Reads one turn's text into [`TurnSignals`].
pub fn observe_turn(classifier: &TextClassifier, text: &str) -> TurnSignals {
    // One normalisation serves the model and every cue; no spans or language are needed here.
    let cues = CueText::new(text);
    let model_scores = classifier.scores_of(cues.normalized(), text);
    let labels = classifier.labels_of(&model_scores);
    let thresholds = classifier.thresholds();
    // One or two words ("sent", "ok send") give the message model too little to go on: its
    // scores there follow single words of its training lines, so they count as no evidence.
    let scores = if cues.word_count() < 3 {
        [0.0; CATEGORY_COUNT]
    } else {
        model_scores.0
    };
    let mut stages = phrase_stages(&cues);
    // A turn's score is evidence for a stage at a lower bar than a message label needs: a
    // stage alone never alerts, the course of the conversation does.
    let over = |c: usize| scores[c] >= thresholds[c].min(STAGE_EVIDENCE);
    for (c, stage) in [
        (SOLICITATION, Stage::SexualContent),
        (SEXTORTION, Stage::Threat),
        (PERSONAL_DATA, Stage::PersonalDataRequest),
    ] {
        if over(c) && !stages.contains(&stage) {
            stages.push(stage);
        }
    }
    TurnSignals {
        scores,
        sextortion_label: over(SEXTORTION),
        labels,
        stages,
        minor_age: discloses_minor_age(&cues),
        family_address: addresses_family(&cues),
        mentions_guardian: mentions_guardian(&cues),
        reported: reports_someone_else(&cues),
    }
}

/// How the tracker weighs what it sees. [`TrackerWeights::SHIPPED`] was chosen by
/// `tune-conversations` on the developer chats and four sets of 40 written for the project
/// (`data/conversations/train-*.jsonl`); `check-b.jsonl` was kept out to measure it. A zero
/// weight means the tuning found the signal did not help: image requests, for one, come from
/// relatives and teachers as often as from groomers, and the model's sexual-content score
/// carries the ones that matter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackerWeights {
    /// Risk added the first time a sender uses each tactic, in [`STAGES`] order.
    pub stage: [f32; 12],
    /// Share of a tactic's weight added each time it is used again.
    pub repeat: f32,
    /// Weight of the message model's score above `score_floor`, per category.
    pub model_grooming: f32,
    pub model_solicitation: f32,
    pub model_sextortion: f32,
    pub model_personal_data: f32,
    pub score_floor: f32,
    /// A sextortion score at which one message alerts.
    pub instant_sextortion: f32,
    /// Relation factors: a minor sending; adults among themselves; an adult, or a sender of
    /// unknown age, talking to a known minor; nobody's age known.
    pub minor_sender: f32,
    pub among_adults: f32,
    pub adult_to_minor: f32,
    pub unknown_to_minor: f32,
    pub age_unknown: f32,
    /// Factor on a relative's soft tactics (gifts, surprises, visits, flattery).
    pub family: f32,
    /// Factor on a turn that reports someone else's words.
    pub reported: f32,
}

impl TrackerWeights {
    /// The weights set by hand before any tuning: where `tune-conversations` starts, so its
    /// result is reproducible from scratch.
    pub const HAND_SET: TrackerWeights = TrackerWeights {
        stage: [
            0.15, 0.3, 0.5, 0.5, 0.4, 0.25, 0.3, 0.35, 0.45, 0.9, 0.7, 0.3,
        ],
        repeat: 0.25,
        model_grooming: 0.3,
        model_solicitation: 0.0,
        model_sextortion: 0.0,
        model_personal_data: 0.0,
        score_floor: 0.5,
        instant_sextortion: 2.0,
        minor_sender: 0.55,
        among_adults: 0.35,
        adult_to_minor: 1.1,
        unknown_to_minor: 1.0,
        age_unknown: 0.75,
        family: 0.25,
        reported: 1.0,
    };

    pub const SHIPPED: TrackerWeights = TrackerWeights {
        // age probe, flattery, risk assessment, secrecy, isolation, gifts, platform move,
        // meeting, image request, sexual content, threat, personal data request
        stage: [
            0.5, 1.436, 1.48, 0.38, 0.512, 0.4, 0.0, 0.252, 0.148, 0.575, 0.62, 0.485,
        ],
        repeat: 0.04,
        model_grooming: 0.868,
        model_solicitation: 0.096,
        model_sextortion: 0.0,
        model_personal_data: 0.048,
        score_floor: 0.6,
        instant_sextortion: 0.8,
        minor_sender: 0.33,
        among_adults: 0.21,
        adult_to_minor: 0.66,
        unknown_to_minor: 2.0,
        age_unknown: 0.86,
        family: 0.64,
        reported: 0.0,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(from: &str, text: &str) -> Turn {
        Turn {
            from: from.into(),
            text: text.into(),
            age_band: None,
        }
    }

    #[test]
    fn category_slots_match_the_names() {
        use crate::CATEGORIES;
        assert_eq!(CATEGORIES[SOLICITATION], "sexual_solicitation");
        assert_eq!(CATEGORIES[GROOMING], "grooming_tactics");
        assert_eq!(CATEGORIES[SEXTORTION], "sextortion");
        assert_eq!(CATEGORIES[PERSONAL_DATA], "personal_data");
    }

    #[test]
    fn grooming_course_alerts_once_and_state_has_no_text() {
        let classifier = TextClassifier::new();
        let mut tracker = ConversationTracker::new();
        tracker.set_age_band("kid", AgeBand::Child);
        let script = [
            ("stranger", "hey nice drawings, how old are you?"),
            ("kid", "12"),
            ("stranger", "you are so mature for your age"),
            ("kid", "thanks"),
            (
                "stranger",
                "are your parents home? dont tell them we talk, its our secret",
            ),
            ("stranger", "add me on snap and send me a pic"),
        ];
        let mut alerts = 0;
        for (i, (from, text)) in script.iter().enumerate() {
            let a = tracker.push_turn(&classifier, &turn(from, text), 1_000 + i as i64);
            alerts += a.alert as u32;
        }
        assert_eq!(alerts, 1);
        assert!(tracker.alert_turn.is_some_and(|t| t <= 4));
        let json = serde_json::to_string(&tracker).unwrap();
        assert!(!json.contains("secret") && !json.contains("stranger"));
        let back: ConversationTracker = serde_json::from_str(&json).unwrap();
        assert_eq!(back, tracker);
    }

    #[test]
    fn friends_chatting_do_not_alert_and_state_expires() {
        let classifier = TextClassifier::new();
        let mut tracker = ConversationTracker::new();
        tracker.set_age_band("a", AgeBand::Teen);
        tracker.set_age_band("b", AgeBand::Teen);
        for (i, text) in [
            "gg that last round was insane",
            "ur so bad at this game lol",
            "add me on discord later",
            "cant, my mum wants me off at 9",
            "ok see u at school",
        ]
        .iter()
        .enumerate()
        {
            let from = if i % 2 == 0 { "a" } else { "b" };
            let a = tracker.push_turn(&classifier, &turn(from, text), 100);
            assert!(!a.alerted);
        }
        assert!(tracker.is_expired(100 + EXPIRY_SECONDS + 1));
        tracker.push_turn(&classifier, &turn("a", "hi"), 100 + EXPIRY_SECONDS + 1);
        assert_eq!(tracker.turns, 1);
    }
}
