//! Reports from people and appeals from affected users: filing (flood control, triage, sealed
//! evidence, one case per subject), receipts and what they show, appeal codes and appeals.
//! The report page (`public`) and the platform API (`POST /v1/reports`, `/v1/appeals`) both
//! call these functions. Who reported is never shown to reviewers' webhooks for the affected
//! user, and never logged: a reporter is a keyed hash, a contact is sealed.

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Shared};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tutela_core::report::{self, Admission, AppealStatus, Outcome, ReportReason, ReportStatus};
use tutela_core::vault;
use tutela_core::*;

/// How the report reached Tutela.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The platform's own report button, through `POST /v1/reports`.
    Api,
    /// Tutela's report page.
    Page,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Api => "api",
            Channel::Page => "page",
        }
    }
}

/// A report as filed. Everything but the reason is optional: a child may only know that
/// something is wrong.
#[derive(Clone, Debug)]
pub struct ReportInput {
    pub reason: ReportReason,
    pub in_danger: bool,
    pub for_friend: bool,
    pub content_id: Option<String>,
    pub content_url: Option<String>,
    /// The reported account.
    pub account_id: Option<String>,
    pub surface: Surface,
    /// The reported message, pasted by the reporter or sent by the platform.
    pub message_text: Option<String>,
    /// The reporter's own words.
    pub details: Option<String>,
    pub screenshot: Option<Vec<u8>>,
    /// How to tell the reporter the outcome (sealed; only sent with the outcome webhook).
    pub contact: Option<String>,
    /// The platform's id of the reporter (API only): kept as a keyed hash, for flood control.
    pub reporter_ref: Option<String>,
    pub reporter_is_child: Option<bool>,
    pub lang: Option<String>,
    pub country: Option<String>,
    pub platform_report_id: Option<String>,
    /// The page's keyed hash of the client address (see [`client_key`]), for flood control.
    pub client_key: Option<String>,
}

impl ReportInput {
    pub fn new(reason: ReportReason) -> ReportInput {
        ReportInput {
            reason,
            in_danger: false,
            for_friend: false,
            content_id: None,
            content_url: None,
            account_id: None,
            surface: Surface::Other,
            message_text: None,
            details: None,
            screenshot: None,
            contact: None,
            reporter_ref: None,
            reporter_is_child: None,
            lang: None,
            country: None,
            platform_report_id: None,
            client_key: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportFiled {
    pub report_id: i64,
    pub receipt: String,
    pub case_id: i64,
    pub urgent: bool,
    pub due_at: Option<i64>,
    pub merged: bool,
}

/// What a receipt code shows.
#[derive(Clone, Debug, Serialize)]
pub struct StatusView {
    /// `report` or `appeal`.
    pub kind: &'static str,
    pub reason: Option<ReportReason>,
    pub status: ReportStatus,
    pub outcome: Option<Outcome>,
    pub received_at: i64,
    /// When someone will have looked at it.
    pub expected_by: Option<i64>,
    pub decided_at: Option<i64>,
}

/// A decision an affected user may appeal, as the appeal page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Appealable {
    pub case_id: i64,
    pub decision_id: i64,
    pub action: DecisionAction,
    pub ground: Ground,
    pub policy_id: String,
    pub explanation: String,
    pub decided_at: i64,
    pub appeal_until: i64,
    pub already_appealed: bool,
}

#[derive(Clone, Debug, Default)]
pub struct AppealInput {
    /// The appeal code the affected user got with the decision (page).
    pub code: Option<String>,
    /// Or the decision itself (platform API).
    pub decision_id: Option<i64>,
    pub statement: String,
    pub contact: Option<String>,
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AppealFiled {
    pub appeal_id: i64,
    pub receipt: String,
    pub case_id: i64,
}

const MAX_ID: usize = 512;
const MAX_URL: usize = 2048;
const MAX_MESSAGE: usize = 16 * 1024;
const MAX_WORDS: usize = 4000;
const MAX_CONTACT: usize = 320;
/// What a sealed contact is bound to.
const REPORT_CONTACT: &str = "tutela report contact";
const APPEAL_CONTACT: &str = "tutela appeal contact";
/// A reporter's record is judged over this window.
const RECORD_WINDOW: i64 = 90 * 86_400;

fn limited(field: &str, value: Option<String>, max: usize) -> ApiResult<Option<String>> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if let Some(v) = &value
        && v.len() > max
    {
        return Err(ApiError::bad_request(format!(
            "{field} is longer than {max} bytes"
        )));
    }
    Ok(value)
}

fn keyed_hash(state: &AppState, what: &str) -> String {
    blake3::keyed_hash(&state.reporter_key, what.as_bytes())
        .to_hex()
        .to_string()
}

/// A keyed hash of the client's address: enough to slow a flood from one place, useless to
/// find the person (the key never leaves the server, and no address is stored).
pub fn client_key(state: &AppState, addr: std::net::IpAddr) -> String {
    let addr = match addr {
        // A household or a phone network shares a /64.
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        v4 => v4.to_string(),
    };
    keyed_hash(state, &format!("client:{addr}"))
}

fn random_receipt() -> ApiResult<String> {
    let mut b = [0u8; 10];
    getrandom::fill(&mut b).map_err(ApiError::internal)?;
    Ok(report::receipt_from_random(&b))
}

fn seal_small(state: &AppState, text: &str, aad: &str) -> ApiResult<(Vec<u8>, Vec<u8>)> {
    let sealed =
        vault::seal(&state.master, text.as_bytes(), aad.as_bytes()).map_err(ApiError::internal)?;
    Ok((sealed.wrapped_key, sealed.blob))
}

fn open_small(state: &AppState, sealed: &(Vec<u8>, Vec<u8>), aad: &str) -> Option<String> {
    vault::open(&state.master, &sealed.0, &sealed.1, aad.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

/// Seals `bytes` to a blob in the vault; the record goes into the report's transaction.
async fn seal_evidence(
    state: &AppState,
    bytes: &[u8],
    media_type: &str,
    content_id: Option<&str>,
    now: i64,
) -> ApiResult<NewEvidence> {
    let sha = hex::encode(Sha256::digest(bytes));
    crate::vault_files::seal(
        state,
        bytes,
        sha,
        media_type.to_string(),
        content_id.map(str::to_string),
        now,
    )
    .await
}

/// The case a report belongs to: the content, else the account, else the link, else the
/// reported message itself (so the same message reported twice is one case), else the report
/// alone. A report with nothing but a reason still becomes a case (the Coop #661 lesson).
fn subject(input: &ReportInput, receipt: &str) -> (SubjectKind, String) {
    if let Some(c) = &input.content_id {
        (SubjectKind::Content, c.clone())
    } else if let Some(a) = &input.account_id {
        (SubjectKind::Account, a.clone())
    } else if let Some(u) = &input.content_url {
        (SubjectKind::Content, format!("url:{u}"))
    } else if let Some(t) = &input.message_text {
        let normalized: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let digest = hex::encode(&Sha256::digest(normalized.to_lowercase().as_bytes())[..16]);
        (SubjectKind::Content, format!("message:{digest}"))
    } else {
        (SubjectKind::Content, format!("report:{receipt}"))
    }
}

fn sniff_image(bytes: &[u8]) -> ApiResult<&'static str> {
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Png) => Ok("image/png"),
        Ok(image::ImageFormat::Jpeg) => Ok("image/jpeg"),
        Ok(image::ImageFormat::Gif) => Ok("image/gif"),
        Ok(image::ImageFormat::WebP) => Ok("image/webp"),
        _ => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_image",
            "the screenshot must be a PNG, JPEG, GIF or WebP image",
        )),
    }
}

/// Files a report: flood control, triage, sealed evidence, then one transaction that joins it
/// to its subject's open case (or opens one) with a `report.received` webhook.
pub async fn file_report(
    state: &Shared,
    input: ReportInput,
    channel: Channel,
    actor: &str,
) -> ApiResult<ReportFiled> {
    let mut input = input;
    input.content_id = limited("content_id", input.content_id.take(), MAX_ID)?;
    input.account_id = limited("account_id", input.account_id.take(), MAX_ID)?;
    input.content_url = limited("content_url", input.content_url.take(), MAX_URL)?;
    input.message_text = limited("message_text", input.message_text.take(), MAX_MESSAGE)?;
    input.details = limited("details", input.details.take(), MAX_WORDS)?;
    input.contact = limited("contact", input.contact.take(), MAX_CONTACT)?;
    input.reporter_ref = limited("reporter_ref", input.reporter_ref.take(), MAX_ID)?;
    input.platform_report_id = limited(
        "platform_report_id",
        input.platform_report_id.take(),
        MAX_ID,
    )?;
    input.lang = limited("lang", input.lang.take(), 35)?;
    input.country = limited("country", input.country.take(), 2)?.map(|c| c.to_ascii_uppercase());
    if let Some(c) = &input.country
        && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(ApiError::bad_request(
            "country is a two-letter code (ISO 3166-1)",
        ));
    }
    let screenshot_type = match &input.screenshot {
        Some(s) if s.len() > state.config.limits.max_upload_bytes => {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the screenshot is larger than limits.max_upload_bytes",
            ));
        }
        Some(s) if s.is_empty() => None,
        Some(s) => Some(sniff_image(s)?),
        None => None,
    };
    let now = crate::now();
    let reason = input.reason;
    let urgent = reason.is_urgent() || input.in_danger;

    // Flood control, then the reporter's record. Neither can drop an urgent report. The record
    // is looked up from a reporter's second report within the hour: a flood of false reports is
    // caught from its second report, and a one-off report costs no query.
    let reporter_key = match (&input.reporter_ref, &input.client_key) {
        (Some(r), _) => Some(keyed_hash(state, &format!("ref:{r}"))),
        (None, Some(k)) => Some(k.clone()),
        (None, None) => None,
    };
    let mut flagged = false;
    if let Some(key) = &reporter_key {
        let admission = state
            .flood
            .lock()
            .expect("flood lock")
            .admit(key, urgent, now);
        match admission {
            Admission::Accept { repeat: false } => {}
            Admission::Accept { repeat: true } => {
                let (rejected, decided) = state
                    .store
                    .reporter_record(key, now - RECORD_WINDOW)
                    .await?;
                flagged = report::is_flagged(rejected, decided);
            }
            Admission::AcceptFlagged => flagged = true,
            Admission::Refuse { retry_after } => {
                state.metrics.reports_refused.inc();
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_reports",
                    format!(
                        "too many reports in the last hour; try again in {} minutes",
                        (retry_after + 59) / 60
                    ),
                ));
            }
        }
    }

    // The reported message, if any, is classified like a scanned one: it can raise a report
    // (a child picking "something else" for grooming) and is marked for the reviewer.
    let classification = input
        .message_text
        .as_ref()
        .map(|t| crate::text::CLASSIFIER.classify(t, input.lang.as_deref()));
    let hits: Vec<&str> = classification
        .as_ref()
        .map(|c| c.labels.clone())
        .unwrap_or_default();
    let triage = report::triage(
        reason,
        input.in_danger,
        input.reporter_is_child == Some(true),
        &hits,
        flagged,
    );
    let due_at = now + i64::from(triage.due_minutes) * 60;

    let receipt = random_receipt()?;
    let (subject_kind, subject_id) = subject(&input, &receipt);
    let content_ref = input.content_id.as_deref();
    let mut evidence = Vec::new();
    let mut signal_evidence = Vec::new();
    let result = async {
        if let Some(t) = &input.message_text {
            evidence.push(
                seal_evidence(
                    state,
                    t.as_bytes(),
                    "text/plain; charset=utf-8",
                    content_ref,
                    now,
                )
                .await?,
            );
            signal_evidence.push("reported message");
        }
        if let Some(d) = &input.details {
            evidence.push(
                seal_evidence(
                    state,
                    d.as_bytes(),
                    "text/plain; charset=utf-8; profile=reporter-words",
                    content_ref,
                    now,
                )
                .await?,
            );
            signal_evidence.push("reporter's words");
        }
        if let (Some(s), Some(mt)) = (&input.screenshot, screenshot_type) {
            evidence.push(seal_evidence(state, s, mt, content_ref, now).await?);
            signal_evidence.push("screenshot");
        }
        let contact_sealed = match &input.contact {
            Some(c) => Some(seal_small(state, c, REPORT_CONTACT)?),
            None => None,
        };
        let text_signal = classification.as_ref().map(|c| {
            json!({
                "lang": c.lang,
                "labels": c.labels,
                "scores": c.labels.iter().map(|l| (l.to_string(), c.score(l)))
                    .collect::<std::collections::BTreeMap<_, _>>(),
                "spans": c.spans,
            })
        });
        let signal = json!({
            "reason": reason,
            "category": reason.category(),
            "in_danger": input.in_danger,
            "urgent": triage.urgent,
            "for_friend": input.for_friend,
            "reporter_is_child": input.reporter_is_child,
            "channel": channel.name(),
            "flagged_reporter": flagged,
            "lang": input.lang,
            "country": input.country,
            "content_url": input.content_url,
            "evidence": signal_evidence,
            "text": text_signal,
        });
        let case = CaseUpsert {
            subject_kind,
            subject_id: subject_id.clone(),
            content_id: input.content_id.clone(),
            uploader_id: input.account_id.clone(),
            surface: input.surface,
            queue: triage.queue,
            priority: triage.priority,
            due_at: Some(due_at),
            title: format!("report: {}", reason.category().replace('_', " ")),
            // The store gives a new case the hashes of the content's scan, if it was scanned.
            media_hashes: json!({}),
            bank_on_confirm: if reason == ReportReason::ChildSexualImagery {
                vec!["confirmed".into()]
            } else {
                vec![]
            },
            signals: vec![NewSignal {
                source: "report".into(),
                kind: "report".into(),
                details: signal,
            }],
        };
        let report = Report {
            id: 0,
            case_id: 0,
            reason,
            in_danger: input.in_danger,
            for_friend: input.for_friend,
            channel: channel.name().into(),
            content_id: input.content_id.clone(),
            account_id: input.account_id.clone(),
            content_url: input.content_url.clone(),
            platform_report_id: input.platform_report_id.clone(),
            reporter_is_child: input.reporter_is_child,
            lang: input.lang.clone(),
            country: input.country.clone(),
            flagged,
            created_at: now,
            due_at: Some(due_at),
            reporter_key: reporter_key.clone(),
            contact_sealed,
        };
        let outbox = vec![NewOutbox {
            event: "report.received".into(),
            content_id: input.content_id.clone(),
            payload: json!({
                "event": "report.received",
                "platform_report_id": input.platform_report_id,
                "content_id": input.content_id,
                "account_id": input.account_id,
                "reason": reason,
                "urgent": triage.urgent,
                "due_at": crate::rfc3339(due_at),
            }),
        }];
        state
            .store
            .commit_report(NewReport {
                receipt_hash: report::code_hash(&receipt),
                case,
                report,
                evidence: evidence.clone(),
                outbox,
            })
            .await
            .map_err(ApiError::from)
    }
    .await;
    let committed = match result {
        Ok(c) => c,
        Err(e) => {
            // Nothing refers to the blobs: remove them now rather than wait for the purge job.
            for ev in &evidence {
                let _ = crate::vault_files::remove(&state.data, ev.blob.file()).await;
            }
            return Err(e);
        }
    };
    let _ = actor;
    state.outbox_notify.notify_one();
    state
        .metrics
        .reports
        .get_or_create(&crate::metrics::ReasonLabel {
            reason: reason.name().to_string(),
        })
        .inc();
    Ok(ReportFiled {
        report_id: committed.report_id,
        receipt,
        case_id: committed.case_id,
        urgent: triage.urgent,
        due_at: Some(due_at),
        merged: committed.merged,
    })
}

fn being_reviewed(case: &Case, now: i64) -> bool {
    case.assigned_to.is_some() && case.lock_until.is_some_and(|t| t > now)
}

/// What a receipt code shows; `None` for a code that is not one (or not ours).
pub async fn status_by_receipt(state: &Shared, receipt: &str) -> ApiResult<Option<StatusView>> {
    let Some(code) = report::normalize_receipt(receipt) else {
        return Ok(None);
    };
    let now = crate::now();
    Ok(
        match state.store.receipt(&report::code_hash(&code)).await? {
            None => None,
            Some(Receipt::Report {
                report,
                case,
                latest,
            }) => {
                let (status, outcome) = report::report_status(
                    case.status,
                    being_reviewed(&case, now),
                    latest.as_ref().map(|d| d.action),
                );
                Some(StatusView {
                    kind: "report",
                    reason: Some(report.reason),
                    status,
                    outcome,
                    received_at: report.created_at,
                    expected_by: report.due_at,
                    decided_at: latest.map(|d| d.at),
                })
            }
            Some(Receipt::Appeal { appeal, case }) => {
                let (status, outcome) =
                    report::appeal_status_view(appeal.status, being_reviewed(&case, now));
                Some(StatusView {
                    kind: "appeal",
                    reason: None,
                    status,
                    outcome,
                    received_at: appeal.created_at,
                    expected_by: (appeal.status == AppealStatus::Open).then_some(
                        appeal.created_at + i64::from(state.config.reports.appeal_due_hours) * 3600,
                    ),
                    decided_at: appeal.decided_at,
                })
            }
        },
    )
}

fn appealable_view(state: &AppState, a: AppealableDecision) -> Appealable {
    let window = i64::from(state.config.reports.appeal_window_days) * 86_400;
    Appealable {
        case_id: a.case.id,
        decision_id: a.decision.id,
        action: a.decision.action,
        ground: a.decision.ground,
        policy_id: a.decision.policy_id.clone(),
        explanation: a.decision.explanation.clone(),
        decided_at: a.decision.at,
        appeal_until: a.appeal_until.unwrap_or(a.decision.at + window),
        already_appealed: a.appeal.is_some(),
    }
}

/// The decision an appeal code stands for; `None` for a code that is not one.
pub async fn appealable_by_code(state: &Shared, code: &str) -> ApiResult<Option<Appealable>> {
    let Some(code) = report::normalize_receipt(code) else {
        return Ok(None);
    };
    Ok(state
        .store
        .appealable_by_code(&report::code_hash(&code))
        .await?
        .map(|a| appealable_view(state, a)))
}

/// Files an appeal: the decision must act against someone, be the case's latest, be within
/// the appeal window and not appealed yet. The case goes back to the queue for a different
/// reviewer.
pub async fn file_appeal(
    state: &Shared,
    input: AppealInput,
    channel: Channel,
    actor: &str,
) -> ApiResult<AppealFiled> {
    let found = match (&input.code, input.decision_id) {
        (Some(code), _) => match report::normalize_receipt(code) {
            Some(c) => {
                state
                    .store
                    .appealable_by_code(&report::code_hash(&c))
                    .await?
            }
            None => None,
        },
        (None, Some(id)) => state.store.appealable(id).await?,
        (None, None) => {
            return Err(ApiError::bad_request(
                "send the appeal code (`code`) or the decision (`decision_id`)",
            ));
        }
    }
    .ok_or_else(|| ApiError::not_found("no decision with that appeal code or id"))?;
    let view = appealable_view(state, found.clone());
    let now = crate::now();
    if !report::is_appealable(view.action) {
        return Err(ApiError::bad_request(format!(
            "a `{}` decision takes no action against anyone, so there is nothing to appeal",
            view.action
        )));
    }
    if view.already_appealed {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "this decision has already been appealed",
        ));
    }
    if now > view.appeal_until {
        return Err(ApiError::new(
            StatusCode::GONE,
            "appeal_window_closed",
            format!(
                "the time to appeal this decision ended on {}",
                crate::rfc3339(view.appeal_until)
            ),
        ));
    }
    let statement = input.statement.trim().to_string();
    if statement.is_empty() || statement.len() > MAX_WORDS {
        return Err(ApiError::bad_request(format!(
            "say in 1 to {MAX_WORDS} bytes why the decision is wrong"
        )));
    }
    let contact = limited("contact", input.contact, MAX_CONTACT)?;
    let lang = limited("lang", input.lang, 35)?;
    let receipt = random_receipt()?;
    let contact_sealed = match &contact {
        Some(c) => Some(seal_small(state, c, APPEAL_CONTACT)?),
        None => None,
    };
    let priority = found.case.priority.max(Priority::High);
    let appeal = state
        .store
        .commit_appeal(NewAppeal {
            receipt_hash: report::code_hash(&receipt),
            decision_id: view.decision_id,
            statement,
            channel: channel.name().into(),
            lang,
            contact_sealed,
            at: now,
            priority,
            due_at: now + i64::from(state.config.reports.appeal_due_hours) * 3600,
            audit: vec![NewAudit {
                actor: actor.to_string(),
                action: "appeal.file".into(),
                subject: format!("case:{}", view.case_id),
                details: json!({"decision_id": view.decision_id, "channel": channel.name()}),
            }],
        })
        .await?;
    state
        .metrics
        .appeals
        .get_or_create(&crate::metrics::OutcomeLabel {
            outcome: "filed".into(),
        })
        .inc();
    Ok(AppealFiled {
        appeal_id: appeal.id,
        receipt,
        case_id: appeal.case_id,
    })
}

/// A link to a public page, absolute when `reports.public_url` is set.
pub fn public_link(state: &AppState, path_and_query: &str) -> String {
    match &state.config.reports.public_url {
        Some(base) => format!("{}{path_and_query}", base.trim_end_matches('/')),
        None => path_and_query.to_string(),
    }
}

/// What a decision owes the people involved.
pub struct Remedies {
    /// `report.outcome` webhooks, one per report on the case.
    pub outbox: Vec<NewOutbox>,
    /// The reports the reviewer saw.
    pub reports_seen: Vec<i64>,
    pub appeal_code: Option<NewAppealCode>,
    /// The `redress` section of the affected user's statement of reasons.
    pub redress: Value,
}

/// For a decision about to be committed: the outcome messages for the case's reporters (the
/// platform tells them in-app; a reporter who left a contact gets it here, and only here) and,
/// for a decision that can be appealed, the appeal code.
pub fn decision_remedies(
    state: &AppState,
    detail: &CaseDetail,
    action: DecisionAction,
    now: i64,
) -> ApiResult<Remedies> {
    let outcome = report::outcome_of(action);
    let outbox = detail
        .reports
        .iter()
        .map(|r| {
            let contact = r
                .contact_sealed
                .as_ref()
                .and_then(|sealed| open_small(state, sealed, REPORT_CONTACT));
            NewOutbox {
                event: "report.outcome".into(),
                content_id: r.content_id.clone(),
                payload: json!({
                    "event": "report.outcome",
                    "report_id": r.id,
                    "platform_report_id": r.platform_report_id,
                    "case_id": detail.case.id,
                    "content_id": r.content_id,
                    "reason": r.reason,
                    "outcome": outcome,
                    "decided_at": crate::rfc3339(now),
                    "lang": r.lang,
                    "contact": contact,
                }),
            }
        })
        .collect();
    let seen = detail.reports.iter().map(|r| r.id).collect();
    let (code, appeal) = if report::is_appealable(action) {
        let code = random_receipt()?;
        let until = now + i64::from(state.config.reports.appeal_window_days) * 86_400;
        let appeal = json!({
            "code": code,
            "url": public_link(state, &format!("/appeal?code={code}")),
            "until": crate::rfc3339(until),
            "api": "POST /v1/appeals",
        });
        (
            Some(NewAppealCode {
                code_hash: report::code_hash(&code),
                appeal_until: until,
            }),
            appeal,
        )
    } else {
        (None, Value::Null)
    };
    Ok(Remedies {
        outbox,
        reports_seen: seen,
        appeal_code: code,
        redress: appeal,
    })
}

// ---- HTTP: the platform API ----

use crate::auth::Principal;
use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use utoipa::ToSchema;

/// A report from the platform's own report button.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// sexual_solicitation, sextortion, bullying, self_harm, hate, dangerous_group,
    /// harmful_goods, scam, private_info, child_sexual_imagery or other.
    pub reason: String,
    #[serde(default)]
    pub in_danger: bool,
    #[serde(default)]
    pub for_friend: bool,
    pub content_id: Option<String>,
    pub content_url: Option<String>,
    pub account_id: Option<String>,
    /// post, message, profile, stream or other.
    pub surface: Option<String>,
    /// The reported message (text-only reports are fine).
    pub message_text: Option<String>,
    /// The reporter's own words.
    pub details: Option<String>,
    /// A screenshot, base64 (or the `screenshot` part of a multipart request).
    pub screenshot_base64: Option<String>,
    pub contact: Option<String>,
    /// Your id for the reporter: kept only as a keyed hash, for flood control.
    pub reporter_ref: Option<String>,
    pub reporter_is_child: Option<bool>,
    pub lang: Option<String>,
    pub country: Option<String>,
    /// Your id for this report, echoed in the `report.outcome` webhook.
    pub platform_report_id: Option<String>,
}

/// The help shown with a report's answer, serialised once per country: the same few kilobytes
/// would otherwise be rebuilt for every report.
fn help_for(country: Option<&str>) -> std::sync::Arc<RawValue> {
    static CACHE: std::sync::LazyLock<
        std::sync::RwLock<std::collections::HashMap<String, std::sync::Arc<RawValue>>>,
    > = std::sync::LazyLock::new(Default::default);
    let dir = tutela_helplines::directory();
    let help = country.and_then(|c| dir.for_country(c));
    // Countries without entries share the international list (key ""); keys are 2 letters.
    let key = help
        .as_ref()
        .map_or(String::new(), |_| country.unwrap_or_default().to_string());
    if let Some(cached) = CACHE.read().expect("help cache").get(&key) {
        return cached.clone();
    }
    let json = match help {
        Some(help) => serde_json::to_string(&help),
        None => serde_json::to_string(&json!({"international": dir.international()})),
    }
    .unwrap_or_else(|_| "null".into());
    let raw: std::sync::Arc<RawValue> = RawValue::from_string(json)
        .expect("serde_json writes valid JSON")
        .into();
    CACHE.write().expect("help cache").insert(key, raw.clone());
    raw
}

/// What `POST /v1/reports` answers.
#[derive(Serialize)]
struct ReportAnswer {
    report_id: i64,
    receipt: String,
    status_url: String,
    case_id: i64,
    urgent: bool,
    due_at: Option<String>,
    merged: bool,
    help: std::sync::Arc<RawValue>,
}

impl ReportRequest {
    fn into_input(self, screenshot: Option<Vec<u8>>) -> ApiResult<ReportInput> {
        let reason: ReportReason = self.reason.parse().map_err(ApiError::bad_request)?;
        let surface = match self.surface.as_deref() {
            None | Some("") => Surface::Other,
            Some(s) => s.parse().map_err(ApiError::bad_request)?,
        };
        let screenshot = match (screenshot, self.screenshot_base64) {
            (Some(s), _) => Some(s),
            (None, Some(b)) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(b.as_bytes())
                    .map_err(|e| {
                        ApiError::bad_request(format!("screenshot_base64 is not base64: {e}"))
                    })?,
            ),
            (None, None) => None,
        };
        Ok(ReportInput {
            reason,
            in_danger: self.in_danger,
            for_friend: self.for_friend,
            content_id: self.content_id,
            content_url: self.content_url,
            account_id: self.account_id,
            surface,
            message_text: self.message_text,
            details: self.details,
            screenshot,
            contact: self.contact,
            reporter_ref: self.reporter_ref,
            reporter_is_child: self.reporter_is_child,
            lang: self.lang,
            country: self.country,
            platform_report_id: self.platform_report_id,
            client_key: None,
        })
    }
}

async fn report_multipart(mut mp: Multipart) -> ApiResult<(ReportRequest, Option<Vec<u8>>)> {
    let mut meta = None;
    let mut shot = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(e.body_text()))?
    {
        match field.name() {
            Some("metadata") => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| ApiError::bad_request(e.body_text()))?;
                meta = Some(
                    serde_json::from_str(&text)
                        .map_err(|e| ApiError::bad_request(format!("metadata: {e}")))?,
                );
            }
            Some("screenshot") => {
                shot = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| ApiError::bad_request(e.body_text()))?
                        .to_vec(),
                );
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown multipart part {other:?}: use `metadata` and `screenshot`"
                )));
            }
        }
    }
    Ok((
        meta.ok_or_else(|| ApiError::bad_request("the `metadata` part is missing"))?,
        shot,
    ))
}

/// File a report (the platform's own report button). Urgent reasons jump the queue; repeated
/// reports of the same content join one case; a flooding reporter gets 429 (urgent reasons
/// are never refused). The answer has the receipt code for `/report/status` and the help to
/// show for the reporter's country.
#[utoipa::path(
    post, path = "/v1/reports", tag = "reports",
    request_body(content = ReportRequest, description = "JSON; or multipart (`metadata` JSON part + `screenshot` image part)"),
    responses(
        (status = 201, description = "Filed: receipt, case, due time, help"),
        (status = 400, description = "Bad request"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the report scope"),
        (status = 422, description = "The screenshot is not an image"),
        (status = 429, description = "Too many reports from this reporter")
    ),
    security(("api_key" = []))
)]
pub async fn post_report(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let result = async {
        principal.require_scope(Scope::Report)?;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let (req, shot) = if content_type.starts_with("multipart/form-data") {
            let mp = Multipart::from_request(request, &state)
                .await
                .map_err(|e| ApiError::bad_request(e.body_text()))?;
            report_multipart(mp).await?
        } else {
            let Json(req) = Json::<ReportRequest>::from_request(request, &state)
                .await
                .map_err(|e| ApiError::bad_request(e.body_text()))?;
            (req, None)
        };
        let input = req.into_input(shot)?;
        let country = input.country.clone();
        let filed = file_report(&state, input, Channel::Api, &principal.actor()).await?;
        Ok::<_, ApiError>(ReportAnswer {
            report_id: filed.report_id,
            status_url: public_link(&state, &format!("/report/status?code={}", filed.receipt)),
            receipt: filed.receipt,
            case_id: filed.case_id,
            urgent: filed.urgent,
            due_at: filed.due_at.map(crate::rfc3339),
            merged: filed.merged,
            help: help_for(country.as_deref()),
        })
    }
    .await;
    match result {
        Ok(body) => (StatusCode::CREATED, Json(body)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// What a receipt code (of a report or an appeal) shows: the status and, once decided, the
/// outcome. Never who reported or who decided.
#[utoipa::path(get, path = "/v1/receipts/{code}", tag = "reports",
    params(("code" = String, Path, description = "Receipt code, e.g. 7K2QD-M4XPA")),
    responses((status = 200, description = "Status and outcome"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the report scope"), (status = 404, description = "No such receipt")),
    security(("api_key" = [])))]
pub async fn get_receipt(
    State(state): State<Shared>,
    principal: Principal,
    Path(code): Path<String>,
) -> ApiResult<Json<StatusView>> {
    principal.require_scope(Scope::Report)?;
    status_by_receipt(&state, &code)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("receipt"))
}

/// An affected user's appeal, filed by the platform.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// The decision appealed (from the decision webhook), or its appeal `code`.
    pub decision_id: Option<i64>,
    pub code: Option<String>,
    /// Why the user thinks the decision is wrong, in their words.
    pub statement: String,
    pub contact: Option<String>,
    pub lang: Option<String>,
}

/// File an appeal against a decision (EU DSA art. 20), within `reports.appeal_window_days`
/// (at least 6 months). The case returns to the queue; a reviewer other than the one who
/// decided answers it; a granted appeal restores the content (`restore` webhook).
#[utoipa::path(post, path = "/v1/appeals", tag = "reports", request_body = AppealRequest,
    responses((status = 201, description = "Filed: receipt for /report/status"),
        (status = 400, description = "Bad request or nothing to appeal"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the report scope"), (status = 404, description = "No such decision"),
        (status = 409, description = "Already appealed"), (status = 410, description = "The appeal window has closed")),
    security(("api_key" = [])))]
pub async fn post_appeal(
    State(state): State<Shared>,
    principal: Principal,
    body: Result<Json<AppealRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let result = async {
        principal.require_scope(Scope::Report)?;
        let Json(req) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
        let filed = file_appeal(
            &state,
            AppealInput {
                code: req.code,
                decision_id: req.decision_id,
                statement: req.statement,
                contact: req.contact,
                lang: req.lang,
            },
            Channel::Api,
            &principal.actor(),
        )
        .await?;
        Ok::<_, ApiError>(json!({
            "appeal_id": filed.appeal_id,
            "receipt": filed.receipt,
            "status_url": public_link(&state, &format!("/report/status?code={}", filed.receipt)),
            "case_id": filed.case_id,
        }))
    }
    .await;
    match result {
        Ok(body) => (StatusCode::CREATED, Json(body)).into_response(),
        Err(e) => e.into_response(),
    }
}
