//! Rules file (TOML) -> validated [`Rule`]s, with errors that name the line.
//!
//! serde reads the file into `Raw*` structs that keep the span of every value a later check
//! may refuse; [`compile_rules`] then checks what serde cannot (ranges, keys that do not fit
//! the signal type, duplicates) and builds the public types.

use crate::model::{Action, Priority, Queue, RuleMode, SignalKind, Surface, Verdict};
use crate::rule::{Condition, HashKind, Rule, SignalTest, TEXT_CATEGORIES};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// Rules files are written by people; anything larger is a mistake or an attack.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;
/// How deeply `any` / `all` / `not` may nest.
pub const MAX_CONDITION_DEPTH: usize = 16;
/// The longest review deadline a rule may set (a year).
pub const MAX_DUE_MINUTES: u32 = 525_600;
/// The Hamming distance ceiling for 256-bit PDQ hashes.
pub const MAX_HASH_DISTANCE: u32 = 256;
const MAX_NAME_CHARS: usize = 128;

/// Why a rules file was refused, and where. Displays as `origin:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{col}: {message}")]
pub struct PolicyError {
    /// The file name (or other origin) given to [`crate::Policy::from_toml`].
    pub origin: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
}

impl PolicyError {
    pub(crate) fn at(source: &str, origin: &str, offset: usize, message: String) -> PolicyError {
        let (line, col) = line_col(source, offset);
        PolicyError {
            origin: origin.to_string(),
            line,
            col,
            message,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset; offsets past the end count as
/// the end.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source.as_bytes()[..offset.min(source.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters, not bytes: skip UTF-8 continuation bytes.
    let col = 1 + before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count();
    (line, col)
}

/// A refusal found after parsing, located by a span.
struct Invalid {
    span: Range<usize>,
    message: String,
}

fn invalid<T>(span: Range<usize>, message: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid {
        span,
        message: message.into(),
    })
}

/// Parses and validates a rules file.
pub(crate) fn load(source: &str, origin: &str) -> Result<Vec<Rule>, PolicyError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(PolicyError::at(
            source,
            origin,
            0,
            format!(
                "the rules file is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                source.len()
            ),
        ));
    }
    let toml_error = |e: toml::de::Error| {
        let offset = e.span().map_or(0, |s| s.start);
        PolicyError::at(source, origin, offset, e.message().trim_end().to_string())
    };
    let document = toml::de::DeTable::parse(source).map_err(toml_error)?;
    // Dotted keys (`when.not.not.not...`) nest tables without the parser's recursion limit;
    // refuse deep nesting before serde recurses into it.
    if let Some(offset) = too_deep(document.get_ref()) {
        return Err(PolicyError::at(
            source,
            origin,
            offset,
            "tables nest too deeply".to_string(),
        ));
    }
    let file = RawFile::deserialize(toml::de::Deserializer::from(document)).map_err(toml_error)?;
    compile_rules(file, source)
        .map_err(|e| PolicyError::at(source, origin, e.span.start, e.message))
}

/// Nesting limit of the parsed document: conditions nest at most MAX_CONDITION_DEPTH, and
/// each level is at most a few tables and arrays deep.
const MAX_DOCUMENT_DEPTH: usize = 8 + 3 * MAX_CONDITION_DEPTH;

/// The offset of a value nested deeper than [`MAX_DOCUMENT_DEPTH`], if any (iterative, so
/// the check itself cannot overflow the stack).
fn too_deep(root: &toml::de::DeTable<'_>) -> Option<usize> {
    use toml::de::DeValue;
    let mut stack: Vec<(&Spanned<DeValue<'_>>, usize)> = root.values().map(|v| (v, 1)).collect();
    while let Some((value, depth)) = stack.pop() {
        if depth > MAX_DOCUMENT_DEPTH {
            return Some(value.span().start);
        }
        match value.get_ref() {
            DeValue::Table(table) => stack.extend(table.values().map(|v| (v, depth + 1))),
            DeValue::Array(array) => stack.extend(array.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    None
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Option<Spanned<RawNumber>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    description: Option<String>,
    #[serde(default)]
    mode: RuleMode,
    verdict: Verdict,
    when: Spanned<RawCondition>,
    #[serde(default)]
    actions: Vec<Spanned<RawAction>>,
}

type Names = Spanned<Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    signal: Option<Spanned<SignalKind>>,
    surfaces: Option<Spanned<Vec<Surface>>>,
    any: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    all: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    not: Option<Box<Spanned<RawCondition>>>,
    categories: Option<Names>,
    banks: Option<Names>,
    hash_kinds: Option<Spanned<Vec<HashKind>>>,
    max_distance: Option<Spanned<RawNumber>>,
    min_percent: Option<Spanned<RawNumber>>,
    min_query_percent: Option<Spanned<RawNumber>>,
    min_entry_percent: Option<Spanned<RawNumber>>,
    min_score: Option<Spanned<RawNumber>>,
    sender_is_child: Option<Spanned<bool>>,
    labels: Option<Names>,
    min_risk: Option<Spanned<RawNumber>>,
    alert: Option<Spanned<bool>>,
    reasons: Option<Names>,
    urgent: Option<Spanned<bool>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum ActionType {
    OpenCase,
    PreserveEvidence,
    Webhook,
    BankOnConfirm,
    Nudge,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    #[serde(rename = "type")]
    action_type: Spanned<ActionType>,
    queue: Option<Spanned<Queue>>,
    priority: Option<Spanned<Priority>>,
    due_minutes: Option<Spanned<RawNumber>>,
    event: Option<Spanned<String>>,
    bank: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
}

/// A TOML integer or float (people write `min_percent = 90` as often as `90.0`).
#[derive(Clone, Copy)]
enum RawNumber {
    Integer(i64),
    Float(f64),
}

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber::Integer(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawNumber, E> {
                i64::try_from(v)
                    .map(RawNumber::Integer)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber::Float(v))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A whole number in `min..=max`.
fn whole(value: &Spanned<RawNumber>, key: &str, min: u32, max: u32) -> Result<u32, Invalid> {
    match *value.get_ref() {
        RawNumber::Integer(v) if (i64::from(min)..=i64::from(max)).contains(&v) => Ok(v as u32),
        RawNumber::Integer(v) => invalid(
            value.span(),
            format!("`{key}` = {v} is out of range: it must be from {min} to {max}"),
        ),
        RawNumber::Float(_) => invalid(value.span(), format!("`{key}` must be a whole number")),
    }
}

/// A number in `0..=max` (NaN and infinities refused).
fn fraction(value: &Spanned<RawNumber>, key: &str, max: f64) -> Result<f32, Invalid> {
    let v = match *value.get_ref() {
        RawNumber::Integer(v) => v as f64,
        RawNumber::Float(v) => v,
    };
    if (0.0..=max).contains(&v) {
        Ok(v as f32)
    } else {
        invalid(
            value.span(),
            format!("`{key}` = {v} is out of range: it must be from 0 to {max}"),
        )
    }
}

/// A non-empty list of names, lower-cased (matching ignores ASCII case).
fn names(list: &Names, key: &str) -> Result<Vec<String>, Invalid> {
    if list.get_ref().is_empty() {
        return invalid(
            list.span(),
            format!("`{key}` is empty, so it would match nothing; remove it to match any"),
        );
    }
    list.get_ref()
        .iter()
        .map(|name| check_name(name, key).map(|n| n.to_ascii_lowercase()))
        .collect()
}

/// A name (bank, category, reason, label): not blank, no control characters, not huge.
fn check_name<'a>(name: &'a Spanned<String>, what: &str) -> Result<&'a str, Invalid> {
    let s = name.get_ref().as_str();
    if s.trim().is_empty() {
        return invalid(name.span(), format!("`{what}`: a name cannot be blank"));
    }
    if s.chars().any(char::is_control) || s.chars().count() > MAX_NAME_CHARS {
        return invalid(
            name.span(),
            format!(
                "`{what}`: a name has no control characters and at most {MAX_NAME_CHARS} characters"
            ),
        );
    }
    Ok(s)
}

/// An identifier (rule id, webhook event, nudge kind): ASCII letters, digits, `_`, `-`, `.`.
fn identifier(value: &Spanned<String>, what: &str) -> Result<String, Invalid> {
    let s = value.get_ref();
    let ok = !s.is_empty()
        && s.len() <= MAX_NAME_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(s.clone())
    } else {
        invalid(
            value.span(),
            format!("{what} must be 1 to {MAX_NAME_CHARS} ASCII letters, digits, `_`, `-` or `.`"),
        )
    }
}

fn compile_rules(file: RawFile, source: &str) -> Result<Vec<Rule>, Invalid> {
    if let Some(version) = &file.version {
        whole(version, "version", 1, 1)?;
    }
    if file.rule.is_empty() {
        return invalid(
            0..0,
            "no rules: add at least one `[[rule]]` table (see `tutela rules default`)",
        );
    }
    let line_of = |span: Range<usize>| line_col(source, span.start).0;
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut rules = Vec::with_capacity(file.rule.len());
    for raw in file.rule {
        let span = raw.span();
        let raw = raw.into_inner();
        let id = identifier(&raw.id, "a rule id")?;
        if let Some(first) = first_line_of.get(&id) {
            return invalid(
                raw.id.span(),
                format!("duplicate rule id `{id}` (first used on line {first})"),
            );
        }
        first_line_of.insert(id.clone(), line_of(raw.id.span()));
        let when = condition(&raw.when, 0)?;
        let actions = raw
            .actions
            .iter()
            .map(action)
            .collect::<Result<Vec<_>, _>>()?;
        rules.push(Rule {
            id,
            description: raw.description,
            mode: raw.mode,
            verdict: raw.verdict,
            when,
            actions,
            line: u32::try_from(line_of(span)).unwrap_or(u32::MAX),
        });
    }
    Ok(rules)
}

/// The keys that belong to each signal type (and nowhere else).
fn keys_of(kind: SignalKind) -> &'static [&'static str] {
    match kind {
        SignalKind::HashMatch => &["categories", "banks", "hash_kinds", "max_distance"],
        SignalKind::VideoMatch => &[
            "categories",
            "banks",
            "min_percent",
            "min_query_percent",
            "min_entry_percent",
        ],
        SignalKind::Text => &["categories", "min_score", "sender_is_child"],
        SignalKind::Conversation => &["labels", "min_risk", "alert"],
        SignalKind::Report => &["reasons", "urgent"],
    }
}

fn condition(raw: &Spanned<RawCondition>, depth: usize) -> Result<Condition, Invalid> {
    if depth > MAX_CONDITION_DEPTH {
        return invalid(
            raw.span(),
            format!("conditions nest more than {MAX_CONDITION_DEPTH} levels deep"),
        );
    }
    let c = raw.get_ref();
    // Every signal-specific key present, with where it is.
    let present: Vec<(&str, Range<usize>)> = [
        ("categories", c.categories.as_ref().map(Spanned::span)),
        ("banks", c.banks.as_ref().map(Spanned::span)),
        ("hash_kinds", c.hash_kinds.as_ref().map(Spanned::span)),
        ("max_distance", c.max_distance.as_ref().map(Spanned::span)),
        ("min_percent", c.min_percent.as_ref().map(Spanned::span)),
        (
            "min_query_percent",
            c.min_query_percent.as_ref().map(Spanned::span),
        ),
        (
            "min_entry_percent",
            c.min_entry_percent.as_ref().map(Spanned::span),
        ),
        ("min_score", c.min_score.as_ref().map(Spanned::span)),
        (
            "sender_is_child",
            c.sender_is_child.as_ref().map(Spanned::span),
        ),
        ("labels", c.labels.as_ref().map(Spanned::span)),
        ("min_risk", c.min_risk.as_ref().map(Spanned::span)),
        ("alert", c.alert.as_ref().map(Spanned::span)),
        ("reasons", c.reasons.as_ref().map(Spanned::span)),
        ("urgent", c.urgent.as_ref().map(Spanned::span)),
    ]
    .into_iter()
    .filter_map(|(key, span)| span.map(|s| (key, s)))
    .collect();

    let signal = match &c.signal {
        None => {
            if let Some((key, span)) = present.first() {
                return invalid(
                    span.clone(),
                    format!("`{key}` tests a signal: add `signal = \"...\"` to this table"),
                );
            }
            None
        }
        Some(kind) => {
            let kind = *kind.get_ref();
            let allowed = keys_of(kind);
            if let Some((key, span)) = present.iter().find(|(k, _)| !allowed.contains(k)) {
                return invalid(
                    span.clone(),
                    format!(
                        "`{key}` does not apply to signal \"{}\" (it takes: {})",
                        kind.as_str(),
                        allowed.join(", ")
                    ),
                );
            }
            Some(signal_test(kind, c)?)
        }
    };

    let surfaces = match &c.surfaces {
        None => Vec::new(),
        Some(list) if list.get_ref().is_empty() => {
            return invalid(
                list.span(),
                "`surfaces` is empty, so it would match nothing; remove it to match any",
            );
        }
        Some(list) => list.get_ref().clone(),
    };
    let children = |list: &Option<Spanned<Vec<Spanned<RawCondition>>>>, key: &str| {
        let Some(list) = list else {
            return Ok(Vec::new());
        };
        if list.get_ref().is_empty() {
            return invalid(list.span(), format!("`{key}` needs at least one condition"));
        }
        list.get_ref()
            .iter()
            .map(|child| condition(child, depth + 1))
            .collect()
    };
    let any = children(&c.any, "any")?;
    let all = children(&c.all, "all")?;
    let not = match &c.not {
        Some(child) => Some(Box::new(condition(child, depth + 1)?)),
        None => None,
    };
    if signal.is_none() && surfaces.is_empty() && any.is_empty() && all.is_empty() && not.is_none()
    {
        return invalid(
            raw.span(),
            "empty condition: give `signal`, `surfaces`, `any`, `all` or `not`",
        );
    }
    Ok(Condition {
        surfaces,
        signal,
        any,
        all,
        not,
    })
}

fn signal_test(kind: SignalKind, c: &RawCondition) -> Result<SignalTest, Invalid> {
    let list = |v: &Option<Names>, key: &str| v.as_ref().map_or(Ok(Vec::new()), |l| names(l, key));
    let share = |v: &Option<Spanned<RawNumber>>, key: &str, max: f64| {
        v.as_ref().map(|n| fraction(n, key, max)).transpose()
    };
    Ok(match kind {
        SignalKind::HashMatch => SignalTest::HashMatch {
            categories: list(&c.categories, "categories")?,
            banks: list(&c.banks, "banks")?,
            hash_kinds: match &c.hash_kinds {
                Some(kinds) if kinds.get_ref().is_empty() => {
                    return invalid(
                        kinds.span(),
                        "`hash_kinds` is empty, so it would match nothing; remove it to match any",
                    );
                }
                Some(kinds) => kinds.get_ref().clone(),
                None => Vec::new(),
            },
            max_distance: c
                .max_distance
                .as_ref()
                .map(|d| whole(d, "max_distance", 0, MAX_HASH_DISTANCE))
                .transpose()?,
        },
        SignalKind::VideoMatch => {
            let both = share(&c.min_percent, "min_percent", 100.0)?;
            let query = share(&c.min_query_percent, "min_query_percent", 100.0)?;
            let entry = share(&c.min_entry_percent, "min_entry_percent", 100.0)?;
            SignalTest::VideoMatch {
                categories: list(&c.categories, "categories")?,
                banks: list(&c.banks, "banks")?,
                min_query_percent: stricter(both, query),
                min_entry_percent: stricter(both, entry),
            }
        }
        SignalKind::Text => {
            let categories = list(&c.categories, "categories")?;
            if let Some(spanned) = &c.categories {
                for (name, lowered) in spanned.get_ref().iter().zip(&categories) {
                    if !TEXT_CATEGORIES.contains(&lowered.as_str()) {
                        return invalid(
                            name.span(),
                            format!(
                                "unknown text category `{}` (known: {})",
                                name.get_ref(),
                                TEXT_CATEGORIES.join(", ")
                            ),
                        );
                    }
                }
            }
            SignalTest::Text {
                categories,
                min_score: share(&c.min_score, "min_score", 1.0)?,
                sender_is_child: c.sender_is_child.as_ref().map(|b| *b.get_ref()),
            }
        }
        SignalKind::Conversation => SignalTest::Conversation {
            labels: list(&c.labels, "labels")?,
            min_risk: share(&c.min_risk, "min_risk", 1.0)?,
            alert: c.alert.as_ref().map(|b| *b.get_ref()),
        },
        SignalKind::Report => SignalTest::Report {
            reasons: list(&c.reasons, "reasons")?,
            urgent: c.urgent.as_ref().map(|b| *b.get_ref()),
        },
    })
}

fn stricter(a: Option<f32>, b: Option<f32>) -> Option<f32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn action(raw: &Spanned<RawAction>) -> Result<Action, Invalid> {
    let a = raw.get_ref();
    let action_type = *a.action_type.get_ref();
    let type_name = match action_type {
        ActionType::OpenCase => "open_case",
        ActionType::PreserveEvidence => "preserve_evidence",
        ActionType::Webhook => "webhook",
        ActionType::BankOnConfirm => "bank_on_confirm",
        ActionType::Nudge => "nudge",
    };
    // Each optional key belongs to exactly one action type.
    let fields = [
        (
            "queue",
            a.queue.as_ref().map(Spanned::span),
            ActionType::OpenCase,
        ),
        (
            "priority",
            a.priority.as_ref().map(Spanned::span),
            ActionType::OpenCase,
        ),
        (
            "due_minutes",
            a.due_minutes.as_ref().map(Spanned::span),
            ActionType::OpenCase,
        ),
        (
            "event",
            a.event.as_ref().map(Spanned::span),
            ActionType::Webhook,
        ),
        (
            "bank",
            a.bank.as_ref().map(Spanned::span),
            ActionType::BankOnConfirm,
        ),
        (
            "kind",
            a.kind.as_ref().map(Spanned::span),
            ActionType::Nudge,
        ),
    ];
    for (key, span, belongs_to) in fields {
        if let Some(span) = span
            && belongs_to != action_type
        {
            return invalid(
                span,
                format!("`{key}` does not apply to an action of type \"{type_name}\""),
            );
        }
    }
    let missing = |key: &str| Invalid {
        span: raw.span(),
        message: format!("an action of type \"{type_name}\" needs `{key}`"),
    };
    Ok(match action_type {
        ActionType::OpenCase => Action::OpenCase {
            queue: *a.queue.as_ref().ok_or_else(|| missing("queue"))?.get_ref(),
            priority: *a
                .priority
                .as_ref()
                .ok_or_else(|| missing("priority"))?
                .get_ref(),
            due_minutes: a
                .due_minutes
                .as_ref()
                .map(|d| whole(d, "due_minutes", 1, MAX_DUE_MINUTES))
                .transpose()?,
        },
        ActionType::PreserveEvidence => Action::PreserveEvidence,
        ActionType::Webhook => Action::Webhook {
            event: identifier(
                a.event.as_ref().ok_or_else(|| missing("event"))?,
                "a webhook event",
            )?,
        },
        ActionType::BankOnConfirm => Action::BankOnConfirm {
            bank: check_name(a.bank.as_ref().ok_or_else(|| missing("bank"))?, "bank")?.to_string(),
        },
        ActionType::Nudge => Action::Nudge {
            kind: identifier(
                a.kind.as_ref().ok_or_else(|| missing("kind"))?,
                "a nudge kind",
            )?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn line_col_counts_characters() {
        let s = "ab\néé x\n";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        // 'x' is after two 2-byte characters and a space.
        assert_eq!(line_col(s, 3 + 5), (2, 4));
        assert_eq!(line_col(s, 999), (3, 1));
    }
}
