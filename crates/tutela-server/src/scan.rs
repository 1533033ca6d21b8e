//! `POST /v1/scan`: hash the upload (or take the platform's hashes), match every bank, run the
//! rules, and commit the scan with everything it causes (case, sealed evidence, webhooks, audit
//! entries) in one transaction before answering. Idempotent on the platform's content id: a
//! repeated id gets the first answer back and changes nothing.

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::{LoadedBanks, Shared};
use axum::Json;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use md5::Md5;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Instant;
use tutela_bank::{MatchOutcome, Query as BankQuery};
use tutela_core::*;
use tutela_policy as policy;
use utoipa::ToSchema;

/// What the platform sends (as JSON; or as multipart with a `metadata` JSON part and a `media`
/// file part; or as the raw file with these fields in the query string).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// The platform's own id for this content; scanning the same id again returns the first answer.
    pub content_id: String,
    pub uploader_id: Option<String>,
    /// post, message, profile, stream or other (default post).
    pub surface: Option<String>,
    pub media: Option<MediaInput>,
    pub hashes: Option<HashInput>,
    /// The platform's own context (at most 4 KiB of JSON), shown to reviewers on the case; never
    /// put message text or personal data here.
    #[schema(value_type = Option<Object>)]
    pub context: Option<Value>,
    /// A message (chat, comment, caption): classified for the 11 text-risk categories and, with
    /// a `conversation_id`, fed to that conversation's grooming/sextortion tracker.
    pub text: Option<TextInput>,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    pub text: String,
    /// BCP-47 language hint (detected when absent); also the nudge's language.
    pub lang: Option<String>,
    /// True when a child wrote it, false when a child received it, absent when unknown.
    pub sender_is_child: Option<bool>,
    pub conversation_id: Option<String>,
    /// The sender's id within the conversation (default: `uploader_id`).
    pub from: Option<String>,
    /// child, teen, adult or unknown.
    pub age_band: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaInput {
    /// The file, base64-encoded (standard alphabet).
    pub base64: String,
    pub media_type: Option<String>,
}

/// Hashes the platform computed itself (nothing is decoded then).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HashInput {
    /// One PDQ hash, or the 8 dihedral hashes, as 64 hex digits each.
    #[serde(default)]
    pub pdq: Vec<String>,
    pub quality: Option<u8>,
    pub md5: Option<String>,
    pub sha256: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawScanParams {
    pub content_id: Option<String>,
    pub uploader_id: Option<String>,
    pub surface: Option<String>,
    /// Videos: always answer 202 with a job (any body kind).
    #[serde(rename = "async")]
    pub run_async: Option<bool>,
}

/// Largest JSON body: base64 of the largest upload, plus room for the other fields.
pub(crate) fn json_body_limit(limits: &crate::config::LimitsConfig) -> usize {
    limits.max_upload_bytes / 3 * 4 + 1024 * 1024
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct BatchRequest {
    pub items: Vec<ScanRequest>,
}

/// One scan's answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScanResponse {
    pub scan_id: i64,
    pub content_id: String,
    /// allow, hold or block.
    pub verdict: String,
    #[schema(value_type = Vec<Object>)]
    pub matches: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub actions: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<Value>,
    pub case_id: Option<i64>,
    #[schema(value_type = Object)]
    pub hashes: Value,
    pub evidence_preserved: bool,
}

/// The content and what is known of it, after hashing.
struct Hashed {
    pdq: Vec<String>,
    quality: Option<u8>,
    md5: Option<String>,
    sha256: Option<String>,
    media: Option<(Vec<u8>, String)>,
}

thread_local! {
    static HASHER: RefCell<tutela_pdq::PdqHasher> = RefCell::new(tutela_pdq::PdqHasher::new());
}

fn sniff_media_type(bytes: &[u8]) -> String {
    image::guess_format(bytes)
        .map(|f| f.to_mime_type().to_string())
        .unwrap_or_else(|_| "application/octet-stream".into())
}

/// Decode and hash (CPU work: runs on the blocking pool).
fn hash_media(bytes: Vec<u8>, media_type: Option<String>) -> Result<Hashed, ApiError> {
    let decoded = tutela_image::decode(&bytes, tutela_image::Mode::Exact, &Default::default())
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "undecodable_media",
                e.to_string(),
            )
        })?;
    let (plain, all) = HASHER
        .with(|h| {
            h.borrow_mut()
                .hash_with_dihedral(decoded.pixels(), decoded.width, decoded.height)
        })
        .map_err(ApiError::internal)?;
    let mut pdq = vec![plain.hash.to_string()];
    pdq.extend(all.hashes.iter().skip(1).map(|h| h.to_string()));
    let media_type = media_type.unwrap_or_else(|| sniff_media_type(&bytes));
    Ok(Hashed {
        pdq,
        quality: Some(plain.quality),
        md5: Some(hex::encode(Md5::digest(&bytes))),
        sha256: Some(hex::encode(Sha256::digest(&bytes))),
        media: Some((bytes, media_type)),
    })
}

fn parse_surface(s: Option<&str>) -> ApiResult<Surface> {
    match s {
        None => Ok(Surface::Post),
        Some(s) => s.parse().map_err(ApiError::bad_request),
    }
}

fn policy_surface(s: Surface) -> policy::Surface {
    match s {
        Surface::Post => policy::Surface::Post,
        Surface::Message => policy::Surface::Message,
        Surface::Profile => policy::Surface::Profile,
        Surface::Stream => policy::Surface::Stream,
        Surface::Other => policy::Surface::Other,
    }
}

pub fn core_queue(q: policy::Queue) -> Queue {
    match q {
        policy::Queue::ChildSafety => Queue::ChildSafety,
        policy::Queue::General => Queue::General,
    }
}

pub fn core_priority(p: policy::Priority) -> Priority {
    match p {
        policy::Priority::Low => Priority::Low,
        policy::Priority::Normal => Priority::Normal,
        policy::Priority::High => Priority::High,
        policy::Priority::Critical => Priority::Critical,
    }
}

fn verdict_name(v: policy::Verdict) -> &'static str {
    match v {
        policy::Verdict::Allow => "allow",
        policy::Verdict::Hold => "hold",
        policy::Verdict::Block => "block",
    }
}

/// The standing block matches, as rule signals and as the answer's match list.
fn match_signals(banks: &LoadedBanks, outcome: &MatchOutcome) -> (Vec<policy::Signal>, Vec<Value>) {
    let mut signals = Vec::new();
    let mut shown = Vec::new();
    for m in &outcome.matches {
        let (bank_labels, hash_kind) = banks
            .categories
            .get(&m.bank)
            .cloned()
            .unwrap_or_else(|| (Vec::new(), "pdq".into()));
        let categories: Vec<String> = bank_labels
            .iter()
            .chain(m.labels.iter())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        shown.push(json!({
            "bank": m.bank,
            "bank_kind": m.bank_kind,
            "entry_id": m.entry_id,
            "hash_kind": hash_kind,
            "distance": m.distance,
            "variant": m.variant,
            "categories": categories,
            "suppressed": m.suppressed,
        }));
        if m.bank_kind == "block" && !m.suppressed {
            signals.push(policy::Signal::HashMatch {
                bank: m.bank.clone(),
                categories,
                hash_kind,
                distance: m.distance,
            });
        }
    }
    (signals, shown)
}

fn bank_query(h: &Hashed) -> ApiResult<BankQuery> {
    let mut q = BankQuery::new();
    if !h.pdq.is_empty() {
        q = q
            .with_pdq_hex(&h.pdq, h.quality)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    if let Some(s) = &h.sha256 {
        q = q
            .with_sha256_hex(s)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    if let Some(m) = &h.md5 {
        q = q
            .with_md5_hex(m)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    Ok(q)
}

/// A request that passed the checks and was not scanned before.
pub(crate) struct Admitted {
    pub content_id: String,
    pub surface: Surface,
    pub started: Instant,
}

pub(crate) enum Admission {
    New(Admitted),
    /// This content id was scanned before: its stored answer.
    Replay(Value),
}

/// The checks every scan passes before any work, and the idempotency look-up.
pub(crate) async fn admit(state: &Shared, req: &ScanRequest) -> ApiResult<Admission> {
    let started = Instant::now();
    let content_id = req.content_id.trim().to_string();
    if content_id.is_empty() || content_id.len() > 512 {
        return Err(ApiError::bad_request(
            "content_id must be 1 to 512 characters",
        ));
    }
    let surface = parse_surface(req.surface.as_deref())?;
    if req
        .context
        .as_ref()
        .is_some_and(|c| c.to_string().len() > 4096)
    {
        return Err(ApiError::bad_request("context is larger than 4 KiB"));
    }
    if let Some(prev) = state.store.scan_by_content_id(&content_id).await? {
        return Ok(Admission::Replay(prev.response));
    }
    Ok(Admission::New(Admitted {
        content_id,
        surface,
        started,
    }))
}

/// Content to seal if a rule preserves evidence.
pub(crate) enum EvidenceSource {
    Bytes {
        bytes: Vec<u8>,
        media_type: String,
        sha256: Option<String>,
    },
    /// A video upload on disk (read whole to seal: at most `video.max_bytes`).
    File {
        path: std::path::PathBuf,
        media_type: String,
        sha256: String,
    },
}

/// What the media step found: rule signals, the answer's match list and hashes, and the
/// content to preserve.
pub(crate) struct Found {
    pub signals: Vec<policy::Signal>,
    pub shown: Vec<Value>,
    pub hashes: Value,
    pub evidence: Option<EvidenceSource>,
}

/// Scan one item: the whole pipeline. Returns the stored answer and whether it was a replay.
pub async fn scan_one(
    state: &Shared,
    actor: &str,
    mut req: ScanRequest,
    media_bytes: Option<(Vec<u8>, Option<String>)>,
) -> ApiResult<(Value, bool)> {
    let admitted = match admit(state, &req).await? {
        Admission::Replay(prev) => return Ok((prev, true)),
        Admission::New(a) => a,
    };
    let media = match (media_bytes, req.media.take()) {
        (Some(m), _) => Some(m),
        (None, Some(m)) => Some((
            base64::engine::general_purpose::STANDARD
                .decode(m.base64.as_bytes())
                .map_err(|e| ApiError::bad_request(format!("media.base64 is not base64: {e}")))?,
            m.media_type,
        )),
        (None, None) => None,
    };
    if let Some((bytes, media_type)) = &media
        && tutela_video::sniff(&bytes[..bytes.len().min(tutela_video::SNIFF_LEN)]).is_some()
    {
        // A video sent in memory (base64 JSON, batch): hashed from a temporary file.
        if bytes.len() > state.config.limits.max_upload_bytes {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "a video in JSON is limited to limits.max_upload_bytes: send larger ones raw or as multipart",
            ));
        }
        let upload = crate::video::upload::from_bytes(&state.data, bytes).await?;
        return crate::video::scan_video(state, actor, req, admitted, upload, media_type.clone())
            .await;
    }
    let hashed = match (media, req.hashes.take()) {
        (Some((bytes, media_type)), _) => {
            if bytes.len() > state.config.limits.max_upload_bytes {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!(
                        "media is larger than {} bytes",
                        state.config.limits.max_upload_bytes
                    ),
                ));
            }
            tokio::task::spawn_blocking(move || hash_media(bytes, media_type))
                .await
                .map_err(ApiError::internal)??
        }
        (None, Some(h)) => Hashed {
            pdq: h.pdq,
            quality: h.quality,
            md5: h.md5.map(|s| s.to_ascii_lowercase()),
            sha256: h.sha256.map(|s| s.to_ascii_lowercase()),
            media: None,
        },
        (None, None) if req.text.is_some() => Hashed {
            pdq: vec![],
            quality: None,
            md5: None,
            sha256: None,
            media: None,
        },
        (None, None) => {
            return Err(ApiError::bad_request(
                "send the content (media), its hashes (hashes.pdq, hashes.md5, hashes.sha256) or a message (text.text)",
            ));
        }
    };
    let (signals, shown) =
        if hashed.pdq.is_empty() && hashed.md5.is_none() && hashed.sha256.is_none() {
            (Vec::new(), Vec::new())
        } else {
            let query = bank_query(&hashed)?;
            let banks = state.matcher().ok_or_else(|| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not_ready",
                    "the banks are still loading",
                )
            })?;
            let loaded = banks.clone();
            let outcome = tokio::task::spawn_blocking(move || loaded.matcher.query(&query))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?;
            match_signals(&banks, &outcome)
        };
    let media_hashes = json!({
        "pdq": hashed.pdq.first(),
        "pdq_dihedral": if hashed.pdq.len() == 8 { json!(hashed.pdq) } else { Value::Null },
        "quality": hashed.quality,
        "md5": hashed.md5,
        "sha256": hashed.sha256,
    });
    let evidence = hashed
        .media
        .map(|(bytes, media_type)| EvidenceSource::Bytes {
            bytes,
            media_type,
            sha256: hashed.sha256.clone(),
        });
    let found = Found {
        signals,
        shown,
        hashes: media_hashes,
        evidence,
    };
    decide_and_commit(state, actor, req, admitted, found).await
}

/// Rules, case, sealed evidence, webhooks and audit entries for what the media step found,
/// committed in one transaction; then the answer.
pub(crate) async fn decide_and_commit(
    state: &Shared,
    actor: &str,
    req: ScanRequest,
    admitted: Admitted,
    found: Found,
) -> ApiResult<(Value, bool)> {
    let Admitted {
        content_id,
        surface,
        started,
    } = admitted;
    let Found {
        mut signals,
        shown: shown_matches,
        hashes: media_hashes,
        evidence: media_evidence,
    } = found;
    let text_result = match &req.text {
        Some(t) => Some(crate::text::assess(state, t, req.uploader_id.as_deref())?),
        None => None,
    };
    if let Some(t) = &text_result {
        signals.extend(t.signals.iter().cloned());
    }

    let event = policy::Event {
        event_id: content_id.clone(),
        content_id: Some(content_id.clone()),
        surface: policy_surface(surface),
        signals,
    };
    let decided = state.policy.evaluate(&event);
    let verdict = verdict_name(decided.verdict);
    let now = crate::now();

    let mut case = None;
    let mut outbox = Vec::new();
    let mut preserve = false;
    let mut bank_on_confirm = Vec::new();
    let mut nudge_kinds: Vec<String> = Vec::new();
    for action in &decided.actions {
        match action {
            policy::Action::OpenCase {
                queue,
                priority,
                due_minutes,
            } => {
                case = Some((core_queue(*queue), core_priority(*priority), *due_minutes));
            }
            policy::Action::PreserveEvidence => preserve = true,
            policy::Action::Webhook { event: name } => outbox.push(NewOutbox {
                event: name.clone(),
                content_id: Some(content_id.clone()),
                payload: json!({
                    "event": name,
                    "content_id": content_id,
                    "uploader_id": req.uploader_id,
                    "verdict": verdict,
                    "reason": "automated: matched a rule",
                    "rules": decided.fired.iter().filter(|f| matches!(f.mode, policy::RuleMode::Live)).map(|f| f.rule_id.clone()).collect::<Vec<_>>(),
                }),
            }),
            policy::Action::BankOnConfirm { bank } => bank_on_confirm.push(bank.clone()),
            policy::Action::Nudge { kind } => nudge_kinds.push(kind.clone()),
        }
    }

    // Seal the content before the commit; an orphaned blob (failed commit) is swept by the purge job.
    let mut evidence = None;
    let mut blob_file = None;
    let text_evidence = req.text.as_ref().map(|t| EvidenceSource::Bytes {
        bytes: t.text.as_bytes().to_vec(),
        media_type: "text/plain; charset=utf-8".to_string(),
        sha256: None,
    });
    let to_preserve = media_evidence.or(text_evidence);
    if preserve && let Some(source) = to_preserve {
        let (bytes, media_type, sha) = match source {
            EvidenceSource::Bytes {
                bytes,
                media_type,
                sha256,
            } => {
                let sha = sha256.unwrap_or_else(|| hex::encode(Sha256::digest(&bytes)));
                (bytes, media_type, sha)
            }
            EvidenceSource::File {
                path,
                media_type,
                sha256,
            } => (
                tokio::fs::read(&path).await.map_err(ApiError::internal)?,
                media_type,
                sha256,
            ),
        };
        let sealed = crate::vault_files::seal(
            state,
            &bytes,
            sha,
            media_type,
            Some(content_id.clone()),
            now,
        )
        .await?;
        blob_file = sealed.blob.file().map(str::to_owned);
        evidence = Some(sealed);
    }

    let rules: Vec<Value> = decided
        .fired
        .iter()
        .map(|f| json!({"rule_id": f.rule_id, "mode": f.mode, "verdict": f.verdict}))
        .collect();
    let mut audit = Vec::new();
    if verdict != "allow" || case.is_some() {
        audit.push(NewAudit {
            actor: actor.to_string(),
            action: format!("scan.{verdict}"),
            subject: format!("content:{content_id}"),
            details: json!({
                "rules": rules,
                "banks": shown_matches.iter().map(|m| m["bank"].clone()).collect::<Vec<_>>(),
            }),
        });
    }
    if evidence.is_some() {
        audit.push(NewAudit {
            actor: actor.to_string(),
            action: "evidence.preserve".into(),
            subject: format!("content:{content_id}"),
            details: json!({"retention_days": state.config.evidence.retention_days}),
        });
    }
    let response = json!({
        "content_id": content_id,
        "verdict": verdict,
        "matches": shown_matches,
        "actions": decided.actions,
        "rules": rules,
        "hashes": media_hashes,
        "evidence_preserved": evidence.is_some(),
        "text": text_result.as_ref().map(|t| &t.summary),
        "nudge": crate::text::nudge_for_kinds(&nudge_kinds, text_result.as_ref()),
    });
    let case_upsert = case.map(|(queue, priority, due)| CaseUpsert {
        subject_kind: SubjectKind::Content,
        subject_id: content_id.clone(),
        content_id: Some(content_id.clone()),
        uploader_id: req.uploader_id.clone(),
        surface,
        queue,
        priority,
        due_at: due.map(|m| now + i64::from(m) * 60),
        title: match &text_result {
            Some(t) if shown_matches.is_empty() => t.title(verdict),
            _ => case_title(&shown_matches, verdict),
        },
        media_hashes: media_hashes.clone(),
        bank_on_confirm: bank_on_confirm.clone(),
        signals: shown_matches
            .iter()
            .filter(|m| m["bank_kind"] == "block" && m["suppressed"] == false)
            .map(|m| NewSignal {
                source: "scan".into(),
                kind: if m["hash_kind"] == "vpdq" {
                    "video_match".into()
                } else {
                    "hash_match".into()
                },
                details: m.clone(),
            })
            .chain(text_result.iter().flat_map(|t| t.case_signals()))
            .chain(req.context.iter().map(|c| NewSignal {
                source: "scan".into(),
                kind: "context".into(),
                details: c.clone(),
            }))
            .collect(),
    });
    let has_outbox = !outbox.is_empty();
    let committed = state
        .store
        .commit_scan(NewScan {
            content_id: content_id.clone(),
            uploader_id: req.uploader_id.clone(),
            surface,
            event: serde_json::to_value(&event).map_err(ApiError::internal)?,
            outcome: serde_json::to_value(&decided).map_err(ApiError::internal)?,
            response,
            at: now,
            case: case_upsert,
            evidence,
            outbox,
            audit,
        })
        .await;
    let committed = match committed {
        Ok(c) => c,
        Err(StoreError::Conflict(_)) => {
            // Another request with the same content id won the race: answer as it did.
            let _ = crate::vault_files::remove(&state.data, blob_file.as_deref()).await;
            let prev = state
                .store
                .scan_by_content_id(&content_id)
                .await?
                .ok_or_else(|| ApiError::internal("scan vanished after a conflict"))?;
            return Ok((prev.response, true));
        }
        Err(e) => {
            let _ = crate::vault_files::remove(&state.data, blob_file.as_deref()).await;
            return Err(e.into());
        }
    };
    if has_outbox {
        state.outbox_notify.notify_one();
    }
    state
        .metrics
        .scans
        .get_or_create(&crate::metrics::VerdictLabel {
            verdict: verdict.to_string(),
        })
        .inc();
    state
        .metrics
        .scan_seconds
        .observe(started.elapsed().as_secs_f64());
    Ok((committed.response, false))
}

fn case_title(matches: &[Value], verdict: &str) -> String {
    let banks: BTreeSet<&str> = matches
        .iter()
        .filter(|m| m["bank_kind"] == "block" && m["suppressed"] == false)
        .filter_map(|m| m["bank"].as_str())
        .collect();
    if banks.is_empty() {
        format!("scan {verdict}")
    } else {
        format!(
            "match in {} ({verdict})",
            banks.into_iter().collect::<Vec<_>>().join(", ")
        )
    }
}

fn respond_video(result: ApiResult<crate::video::VideoAnswer>, state: &Shared) -> Response {
    match result {
        Ok(crate::video::VideoAnswer::Queued(body)) => {
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Ok(crate::video::VideoAnswer::Scanned(body, replay)) => respond(Ok((body, replay)), state),
        Err(e) => respond(Err(e), state),
    }
}

fn respond(result: ApiResult<(Value, bool)>, state: &Shared) -> Response {
    match result {
        Ok((body, replay)) => {
            let mut resp = Json(body).into_response();
            if replay {
                resp.headers_mut().insert(
                    "idempotent-replayed",
                    header::HeaderValue::from_static("true"),
                );
            }
            resp
        }
        Err(e) => {
            if e.status.is_client_error() {
                state.metrics.scan_errors.inc();
            }
            e.into_response()
        }
    }
}

/// Scan one item.
#[utoipa::path(
    post, path = "/v1/scan", tag = "scan",
    request_body(content = ScanRequest, description = "JSON; or multipart (`metadata` JSON part + `media` file part); or the raw file with `content_id` etc. in the query string. Images or videos, told apart by content; videos are streamed to disk"),
    responses(
        (status = 200, description = "The verdict, matches and actions", body = ScanResponse),
        (status = 400, description = "Bad request"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the scan scope"),
        (status = 202, description = "A video queued as a job (large, long, or `?async=true`): `job_id`, `status_url`"),
        (status = 413, description = "Larger than limits.max_upload_bytes (images) or video.max_bytes (videos)"),
        (status = 422, description = "The media could not be decoded")
    ),
    security(("api_key" = []))
)]
pub async fn scan(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Query(raw_params): Query<RawScanParams>,
    request: Request,
) -> Response {
    if let Err(e) = principal.require_scope(Scope::Scan) {
        return e.into_response();
    }
    let actor = principal.actor();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let run_async = raw_params.run_async.unwrap_or(false);
    if content_type.starts_with("application/json") {
        // This route takes large videos, so the JSON body is bounded here, not by the router.
        let result =
            match axum::body::to_bytes(request.into_body(), json_body_limit(&state.config.limits))
                .await
            {
                Ok(bytes) => match Json::<ScanRequest>::from_bytes(&bytes) {
                    Ok(Json(req)) => scan_one(&state, &actor, req, None).await,
                    Err(e) => Err(ApiError::bad_request(e.body_text())),
                },
                Err(_) => Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "the JSON body is too large",
                )),
            };
        respond(result, &state)
    } else if content_type.starts_with("multipart/form-data") {
        match Multipart::from_request(request, &state).await {
            Ok(mp) => respond_video(scan_multipart(&state, &actor, mp, run_async).await, &state),
            Err(e) => respond(Err(ApiError::bad_request(e.body_text())), &state),
        }
    } else {
        let result = match raw_params.content_id.clone() {
            Some(content_id) => {
                let p = raw_params;
                let req = ScanRequest {
                    content_id,
                    uploader_id: p.uploader_id,
                    surface: p.surface,
                    ..Default::default()
                };
                let mt = (!content_type.is_empty() && content_type != "application/octet-stream")
                    .then(|| content_type.clone());
                // Sniffed by content: an image stays in memory, a video streams to disk.
                match crate::video::upload::spool(
                    &state.data,
                    request.into_body().into_data_stream(),
                    state.config.limits.max_upload_bytes,
                    state.config.video.max_bytes,
                )
                .await
                {
                    Ok(crate::video::upload::Spooled::Memory(b)) => {
                        scan_one(&state, &actor, req, Some((b, mt)))
                            .await
                            .map(|(v, r)| crate::video::VideoAnswer::Scanned(v, r))
                    }
                    Ok(crate::video::upload::Spooled::Video(upload)) => {
                        crate::video::scan_upload(&state, &actor, req, upload, mt, run_async).await
                    }
                    Err(e) => Err(e),
                }
            }
            None => Err(ApiError::bad_request(
                "send JSON, multipart, or the raw file with ?content_id=... in the query string",
            )),
        };
        respond_video(result, &state)
    }
}

async fn scan_multipart(
    state: &Shared,
    actor: &str,
    mut mp: Multipart,
    run_async: bool,
) -> ApiResult<crate::video::VideoAnswer> {
    use crate::video::upload::{Spooled, spool};
    let mut meta: Option<ScanRequest> = None;
    let mut media: Option<(Spooled, Option<String>)> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(e.body_text()))?
    {
        match field.name() {
            Some("metadata") => {
                // Metadata is never a video; at most the JSON limit, in memory.
                let limit = json_body_limit(&state.config.limits);
                let text = match spool(&state.data, field, limit, 0).await {
                    Ok(Spooled::Memory(b)) => b,
                    Ok(Spooled::Video(_)) | Err(_) => {
                        return Err(ApiError::bad_request("the `metadata` part is not JSON"));
                    }
                };
                meta = Some(
                    serde_json::from_slice(&text)
                        .map_err(|e| ApiError::bad_request(format!("metadata: {e}")))?,
                );
            }
            Some("media") => {
                let mt = field
                    .content_type()
                    .map(str::to_string)
                    .filter(|t| t != "application/octet-stream");
                let spooled = spool(
                    &state.data,
                    field,
                    state.config.limits.max_upload_bytes,
                    state.config.video.max_bytes,
                )
                .await?;
                media = Some((spooled, mt));
            }
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "unknown multipart part {other:?}: use `metadata` and `media`"
                )));
            }
            None => return Err(ApiError::bad_request("a multipart part has no name")),
        }
    }
    let meta = meta.ok_or_else(|| ApiError::bad_request("the `metadata` part is missing"))?;
    match media {
        Some((Spooled::Video(upload), mt)) => {
            crate::video::scan_upload(state, actor, meta, upload, mt, run_async).await
        }
        Some((Spooled::Memory(bytes), mt)) => scan_one(state, actor, meta, Some((bytes, mt)))
            .await
            .map(|(v, r)| crate::video::VideoAnswer::Scanned(v, r)),
        None => scan_one(state, actor, meta, None)
            .await
            .map(|(v, r)| crate::video::VideoAnswer::Scanned(v, r)),
    }
}

/// Scan up to `limits.max_batch` items; each gets its own answer or error, in order.
#[utoipa::path(
    post, path = "/v1/scan/batch", tag = "scan",
    request_body = BatchRequest,
    responses((status = 200, description = "One result per item, in order"),
        (status = 400, description = "Bad request"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the scan scope")),
    security(("api_key" = []))
)]
pub async fn scan_batch(
    State(state): State<Shared>,
    principal: Principal,
    body: Result<Json<BatchRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if let Err(e) = principal.require_scope(Scope::Scan) {
        return e.into_response();
    }
    let Json(batch) = match body {
        Ok(b) => b,
        Err(e) => return ApiError::bad_request(e.body_text()).into_response(),
    };
    if batch.items.len() > state.config.limits.max_batch {
        return ApiError::bad_request(format!(
            "at most {} items per batch",
            state.config.limits.max_batch
        ))
        .into_response();
    }
    let actor = principal.actor();
    let mut results = Vec::with_capacity(batch.items.len());
    for item in batch.items {
        let content_id = item.content_id.clone();
        results.push(match scan_one(&state, &actor, item, None).await {
            Ok((body, _)) => body,
            Err(e) => {
                if e.status.is_client_error() {
                    state.metrics.scan_errors.inc();
                }
                json!({"content_id": content_id, "error": {"code": e.code, "message": e.message}})
            }
        });
    }
    Json(json!({"results": results})).into_response()
}

/// The stored answer for a content id.
#[utoipa::path(
    get, path = "/v1/scans/{content_id}", tag = "scan",
    params(("content_id" = String, Path, description = "The platform's content id")),
    responses((status = 200, description = "The stored answer"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the read scope"), (status = 404, description = "Never scanned")),
    security(("api_key" = []))
)]
pub async fn get_scan(
    State(state): State<Shared>,
    principal: Principal,
    axum::extract::Path(content_id): axum::extract::Path<String>,
) -> ApiResult<Json<Value>> {
    principal.require_scope(Scope::Read)?;
    let scan = state
        .store
        .scan_by_content_id(&content_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no scan with this content id"))?;
    Ok(Json(scan.response))
}

#[derive(Debug, Deserialize)]
pub struct EventsParams {
    pub after: Option<i64>,
    pub limit: Option<i64>,
}

/// Recorded scan events with their outcomes, as JSON lines (input of `tutela rules test`).
#[utoipa::path(
    get, path = "/v1/events", tag = "scan",
    params(("after" = Option<i64>, Query, description = "Only scans with a larger id"),
        ("limit" = Option<i64>, Query, description = "At most this many (default 1000, max 10000)")),
    responses((status = 200, description = "JSON lines"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the read scope")),
    security(("api_key" = []))
)]
pub async fn events(
    State(state): State<Shared>,
    principal: Principal,
    Query(p): Query<EventsParams>,
) -> ApiResult<Response> {
    principal.require_scope(Scope::Read)?;
    let scans = state
        .store
        .scans_after(
            p.after.unwrap_or(0),
            p.limit.unwrap_or(1000).clamp(1, 10_000),
        )
        .await?;
    let mut out = String::new();
    for s in scans {
        let mut line = s.event.clone();
        if let Value::Object(map) = &mut line {
            map.insert("outcome".into(), s.outcome.clone());
            map.insert("at".into(), json!(crate::rfc3339(s.at)));
            map.insert("scan_id".into(), json!(s.id));
        }
        out.push_str(&line.to_string());
        out.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response())
}
