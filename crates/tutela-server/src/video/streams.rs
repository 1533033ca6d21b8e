//! Live streams: `POST /v1/streams/{id}/frames` and `DELETE /v1/streams/{id}`.
//!
//! The platform sends a stream's frames as they air: image files, PDQ hashes it computed
//! itself, or short video segments (hashed with ffmpeg), each with its time in seconds from the
//! stream's start. Every frame is matched against the image banks and the video banks' frames;
//! the stream's [`StreamWindow`] says when matched frames cross the threshold. Each crossing is
//! an alert: the rules run on the stream's signals, the answer's verdict is `block`, one case
//! per stream (subject `account` / `stream:<id>`: later alerts add signals to the same open
//! case), the rules' webhooks and a `stream.alert` webhook, all in one commit. The window keeps
//! verdicts and counters only; frames are hashed and dropped.

use super::window::{Alert, Hit, MatchKey, StreamWindow, WindowConfig, WindowStats};
use super::{Hashing, upload::Spooled};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::{LoadedBanks, Shared};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::HashMap;
use tutela_bank::{Query as BankQuery, VideoQuery};
use tutela_core::*;
use tutela_pdq::Hash256;
use tutela_policy as policy;
use utoipa::ToSchema;

/// Every watched stream, by id.
#[derive(Default)]
pub struct Streams {
    map: HashMap<String, StreamState>,
    last_sweep: i64,
}

struct StreamState {
    window: StreamWindow,
    last_seen: i64,
}

impl Streams {
    /// Forgets streams idle for longer than `idle_seconds` (at most once a second).
    fn sweep(&mut self, now: i64, idle_seconds: u64) {
        if now == self.last_sweep {
            return;
        }
        self.last_sweep = now;
        let idle = i64::try_from(idle_seconds).unwrap_or(i64::MAX);
        self.map
            .retain(|_, s| now.saturating_sub(s.last_seen) <= idle);
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Frames as JSON.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FramesRequest {
    pub frames: Vec<FrameInput>,
    /// The stream ends after these frames (same as `DELETE /v1/streams/{id}`).
    #[serde(default)]
    pub end: bool,
    pub uploader_id: Option<String>,
    /// The platform's context (at most 4 KiB), put on the case with an alert.
    #[schema(value_type = Option<Object>)]
    pub context: Option<Value>,
}

/// One frame: its time and either the image (base64) or its PDQ hash.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameInput {
    /// Seconds from the stream's start.
    pub t: f64,
    /// The frame as an image file (PNG, JPEG, ...), base64.
    pub image_base64: Option<String>,
    /// Or its PDQ hash (64 hex digits)...
    pub pdq: Option<String>,
    /// ...and that hash's quality (0..=100; default 100).
    pub quality: Option<u8>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFrameParams {
    /// The frame's time, or the segment's start, in seconds from the stream's start.
    pub t: Option<f64>,
    pub end: Option<bool>,
    pub uploader_id: Option<String>,
}

/// A frame ready to match.
struct Hashed {
    t: f64,
    hash: Hash256,
    quality: u8,
    /// Kept only until the request ends, to seal if an alert's rule preserves evidence.
    image: Option<Vec<u8>>,
}

/// What a frame matched: the first standing block match, image banks first.
#[derive(Clone, Debug)]
struct FrameHit {
    bank: String,
    entry_id: u32,
    distance: u32,
}

thread_local! {
    static HASHER: RefCell<tutela_pdq::PdqHasher> = RefCell::new(tutela_pdq::PdqHasher::new());
}

fn hash_image(bytes: &[u8], limits: &tutela_image::Limits) -> ApiResult<(Hash256, u8)> {
    let decoded = tutela_image::decode(bytes, tutela_image::Mode::Exact, limits).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "undecodable_media",
            format!("a frame: {e}"),
        )
    })?;
    let h = HASHER
        .with(|h| {
            h.borrow_mut()
                .hash(decoded.pixels(), decoded.width, decoded.height)
        })
        .map_err(ApiError::internal)?;
    Ok((h.hash, h.quality))
}

/// The frame's match, if a block bank (image or video) has it and no allow bank suppresses it.
fn match_frame(banks: &LoadedBanks, hash: &Hash256, quality: u8) -> ApiResult<Option<FrameHit>> {
    let query = BankQuery::new()
        .with_pdq_hex(&[hash.to_string()], Some(quality))
        .map_err(ApiError::internal)?;
    let images = banks.matcher.query(&query).map_err(ApiError::internal)?;
    if let Some(m) = images.matches.iter().find(|m| m.bank_kind == "block") {
        return Ok((!m.suppressed).then(|| FrameHit {
            bank: m.bank.clone(),
            entry_id: m.entry_id,
            distance: m.distance,
        }));
    }
    let frame = tutela_video::FrameHash {
        frame_number: 0,
        quality,
        hash: *hash,
        seconds: 0.0,
    };
    let videos = banks
        .matcher
        .query_video(&VideoQuery::new().with_frames(&[frame]))
        .map_err(ApiError::internal)?;
    Ok(videos
        .matches
        .iter()
        .find(|m| m.bank_kind == "block" && m.variant == "vpdq")
        .filter(|m| !m.suppressed)
        .map(|m| FrameHit {
            bank: m.bank.clone(),
            entry_id: m.entry_id,
            distance: m.distance,
        }))
}

fn valid_stream_id(id: &str) -> ApiResult<()> {
    if id.is_empty() || id.len() > 256 || id.chars().any(char::is_control) {
        return Err(ApiError::bad_request("a stream id is 1 to 256 characters"));
    }
    Ok(())
}

fn window_config(state: &Shared) -> WindowConfig {
    let s = &state.config.video.streams;
    WindowConfig {
        seconds: s.window_seconds,
        max_frames: s.window_frames,
        min_matched_frames: s.min_matched_frames,
        min_matched_share: s.min_matched_share,
    }
}

/// Frames of a live stream: matched, added to the stream's window; an alert when the window
/// crosses the threshold.
#[utoipa::path(
    post, path = "/v1/streams/{id}/frames", tag = "streams",
    params(("id" = String, Path, description = "The platform's stream id"),
        ("t" = Option<f64>, Query, description = "Raw bodies: the frame's time (or the segment's start) in seconds"),
        ("end" = Option<bool>, Query, description = "The stream ends after these frames"),
        ("uploader_id" = Option<String>, Query, description = "Who is streaming")),
    request_body(content = FramesRequest, description = "JSON frames (base64 images or PDQ hashes with times); or one raw image (`?t=`); or a raw video segment (`?t=` its start)"),
    responses(
        (status = 200, description = "The window after these frames; `verdict` is `block` while it is over the threshold, `alert` when this request raised one"),
        (status = 400, description = "Bad request"), (status = 401, description = "No credentials"),
        (status = 403, description = "Key lacks the scan scope"),
        (status = 413, description = "Too large"),
        (status = 422, description = "A frame or segment could not be decoded"),
        (status = 429, description = "Too many streams watched at once")
    ),
    security(("api_key" = []))
)]
pub async fn stream_frames(
    State(state): State<Shared>,
    principal: Principal,
    Path(stream_id): Path<String>,
    headers: HeaderMap,
    Query(params): Query<RawFrameParams>,
    request: Request,
) -> Response {
    match frames_inner(&state, &principal, stream_id, &headers, params, request).await {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn frames_inner(
    state: &Shared,
    principal: &Principal,
    stream_id: String,
    headers: &HeaderMap,
    params: RawFrameParams,
    request: Request,
) -> ApiResult<Value> {
    principal.require_scope(Scope::Scan)?;
    valid_stream_id(&stream_id)?;
    let config = &state.config.video.streams;
    let image_limits = tutela_image::Limits {
        max_bytes: state.config.limits.max_upload_bytes as u64,
        ..Default::default()
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut frames: Vec<Hashed> = Vec::new();
    let (end, uploader_id, context);
    if content_type.starts_with("application/json") {
        let body = axum::body::to_bytes(
            request.into_body(),
            crate::scan::json_body_limit(&state.config.limits),
        )
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the JSON body is too large",
            )
        })?;
        let req: FramesRequest = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("invalid frames JSON: {e}")))?;
        drop(body);
        if req.frames.len() > config.max_frames_per_request {
            return Err(ApiError::bad_request(format!(
                "at most {} frames per request",
                config.max_frames_per_request
            )));
        }
        if req
            .context
            .as_ref()
            .is_some_and(|c| c.to_string().len() > 4096)
        {
            return Err(ApiError::bad_request("context is larger than 4 KiB"));
        }
        end = req.end;
        uploader_id = req.uploader_id;
        context = req.context;
        let inputs = req.frames;
        frames = tokio::task::spawn_blocking(move || -> ApiResult<Vec<Hashed>> {
            inputs
                .into_iter()
                .map(|f| match (f.image_base64, f.pdq) {
                    (Some(b64), None) => {
                        let bytes = base64::engine::general_purpose::STANDARD
                            .decode(b64.as_bytes())
                            .map_err(|e| {
                                ApiError::bad_request(format!("image_base64 is not base64: {e}"))
                            })?;
                        let (hash, quality) = hash_image(&bytes, &image_limits)?;
                        Ok(Hashed {
                            t: f.t,
                            hash,
                            quality,
                            image: Some(bytes),
                        })
                    }
                    (None, Some(hex)) => Ok(Hashed {
                        t: f.t,
                        hash: hex
                            .trim()
                            .parse()
                            .map_err(|_| ApiError::bad_request("a frame's pdq is 64 hex digits"))?,
                        quality: f.quality.unwrap_or(100).min(100),
                        image: None,
                    }),
                    _ => Err(ApiError::bad_request(
                        "each frame has either image_base64 or pdq (with its time t)",
                    )),
                })
                .collect()
        })
        .await
        .map_err(ApiError::internal)??;
    } else {
        end = params.end.unwrap_or(false);
        uploader_id = params.uploader_id;
        context = None;
        let spooled = super::upload::spool(
            &state.data,
            request.into_body().into_data_stream(),
            state.config.limits.max_upload_bytes,
            config.max_segment_bytes,
        )
        .await?;
        match spooled {
            Spooled::Memory(bytes) if bytes.is_empty() => {}
            Spooled::Memory(bytes) => {
                let t = params.t.ok_or_else(|| {
                    ApiError::bad_request("a raw frame needs its time: ?t=<seconds>")
                })?;
                frames = tokio::task::spawn_blocking(move || -> ApiResult<Vec<Hashed>> {
                    let (hash, quality) = hash_image(&bytes, &image_limits)?;
                    Ok(vec![Hashed {
                        t,
                        hash,
                        quality,
                        image: Some(bytes),
                    }])
                })
                .await
                .map_err(ApiError::internal)??;
            }
            Spooled::Video(segment) => {
                let start = params.t.unwrap_or(0.0);
                let sph = config.segment_seconds_per_hash;
                match super::hash_upload(state, &segment.path, sph, None).await? {
                    Hashing::Hashed(h) => {
                        if h.frames.len() > config.max_frames_per_request {
                            return Err(ApiError::bad_request(format!(
                                "the segment has {} sampled frames; at most {} per request",
                                h.frames.len(),
                                config.max_frames_per_request
                            )));
                        }
                        frames = h
                            .frames
                            .iter()
                            .map(|f| Hashed {
                                t: start + f.seconds,
                                hash: f.hash,
                                quality: f.quality,
                                image: None,
                            })
                            .collect();
                    }
                    Hashing::TooLong(_) => return Err(ApiError::internal("no limit was set")),
                }
            }
        }
    }
    if frames.iter().any(|f| !f.t.is_finite() || f.t < 0.0) {
        return Err(ApiError::bad_request(
            "a frame time t must be a finite number of seconds, 0 or more",
        ));
    }

    // Match every frame (index work: on the blocking pool).
    let banks = state.matcher().ok_or_else(super::not_ready)?;
    let (frames, hits) = {
        let banks = banks.clone();
        tokio::task::spawn_blocking(move || -> ApiResult<(Vec<Hashed>, Vec<Option<FrameHit>>)> {
            let hits = frames
                .iter()
                .map(|f| match_frame(&banks, &f.hash, f.quality))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok((frames, hits))
        })
        .await
        .map_err(ApiError::internal)??
    };

    // The window: one lock, no I/O under it.
    let now = crate::now();
    let (alerts, stats) = {
        let mut streams = state.video.streams.lock().expect("streams lock");
        streams.sweep(now, config.idle_seconds);
        if !streams.map.contains_key(&stream_id) && streams.map.len() >= config.max_streams {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_streams",
                format!(
                    "{} streams are watched already (video.streams.max_streams)",
                    config.max_streams
                ),
            ));
        }
        let stream = streams
            .map
            .entry(stream_id.clone())
            .or_insert_with(|| StreamState {
                window: StreamWindow::new(window_config(state)),
                last_seen: now,
            });
        stream.last_seen = now;
        let mut alerts = Vec::new();
        for (i, (f, hit)) in frames.iter().zip(&hits).enumerate() {
            let hit = hit.as_ref().map(|h| Hit {
                key: MatchKey {
                    bank: h.bank.clone(),
                    entry_id: h.entry_id,
                },
                distance: h.distance,
            });
            if let Some(alert) = stream
                .window
                .push(f.t, hit)
                .map_err(|e| ApiError::bad_request(e.to_string()))?
            {
                alerts.push((i, alert));
            }
        }
        let stats = stream.window.stats();
        if end {
            streams.map.remove(&stream_id);
        }
        (alerts, stats)
    };

    let actor = principal.actor();
    let mut case_id = None;
    let mut alert_answers = Vec::new();
    for (at_frame, alert) in &alerts {
        // Evidence: the image of a matched frame of this request, if the platform sent images.
        let image = frames[..=*at_frame]
            .iter()
            .zip(&hits)
            .rev()
            .find(|(f, h)| h.is_some() && f.image.is_some())
            .and_then(|(f, _)| f.image.as_deref());
        let pdq = frames[..=*at_frame]
            .iter()
            .zip(&hits)
            .rev()
            .find(|(_, h)| h.is_some())
            .map(|(f, _)| f.hash.to_string());
        let committed = commit_alert(
            state,
            &actor,
            &stream_id,
            uploader_id.as_deref(),
            context.as_ref(),
            alert,
            &banks,
            image,
            pdq,
        )
        .await?;
        case_id = committed["case_id"].as_i64().or(case_id);
        alert_answers.push(committed);
    }
    let matched: Vec<Value> = frames
        .iter()
        .zip(&hits)
        .filter_map(|(f, h)| {
            h.as_ref().map(|h| {
                json!({"t": f.t, "bank": h.bank, "entry_id": h.entry_id, "distance": h.distance})
            })
        })
        .collect();
    Ok(json!({
        "stream_id": stream_id,
        "verdict": if stats.alerting || !alerts.is_empty() { "block" } else { "allow" },
        "frames_received": frames.len(),
        "frames_matched": matched.len(),
        "matches": matched,
        "alert": !alerts.is_empty(),
        "alerts": alert_answers,
        "case_id": case_id,
        "window": window_json(&stats),
        "ended": end,
    }))
}

fn window_json(stats: &WindowStats) -> Value {
    json!(stats)
}

/// Rules, one case per stream, webhooks (`stream.alert` and the rules'), evidence and audit
/// for one alert, in one commit.
#[allow(clippy::too_many_arguments)]
async fn commit_alert(
    state: &Shared,
    actor: &str,
    stream_id: &str,
    uploader_id: Option<&str>,
    context: Option<&Value>,
    alert: &Alert,
    banks: &LoadedBanks,
    image: Option<&[u8]>,
    pdq: Option<String>,
) -> ApiResult<Value> {
    // One signal per bank: its frames' share of the window, its best distance.
    let mut per_bank: Vec<(String, usize, u32)> = Vec::new();
    for e in &alert.entries {
        match per_bank.iter_mut().find(|(b, _, _)| *b == e.key.bank) {
            Some(p) => {
                p.1 += e.frames;
                p.2 = p.2.min(e.best_distance);
            }
            None => per_bank.push((e.key.bank.clone(), e.frames, e.best_distance)),
        }
    }
    let signals: Vec<policy::Signal> = per_bank
        .iter()
        .map(|(bank, frames, distance)| {
            let categories = super::categories(banks, bank, &[]);
            let kind = super::hash_kind(banks, bank);
            if kind == "vpdq" {
                policy::Signal::VideoMatch {
                    bank: bank.clone(),
                    categories,
                    query_match_percent: (100.0 * *frames as f64 / alert.frames as f64) as f32,
                    // Unknown for a live window: how much of the known video aired.
                    entry_match_percent: 0.0,
                }
            } else {
                policy::Signal::HashMatch {
                    bank: bank.clone(),
                    categories,
                    hash_kind: kind,
                    distance: *distance,
                }
            }
        })
        .collect();
    let any_csam = signals.iter().any(|s| match s {
        policy::Signal::VideoMatch { categories, .. }
        | policy::Signal::HashMatch { categories, .. } => categories.iter().any(|c| c == "csam"),
        _ => false,
    });
    let content_id = format!(
        "stream:{stream_id}#alert-{}-{}",
        alert.number,
        &crate::auth::random_token("")[..12]
    );
    let event = policy::Event {
        event_id: content_id.clone(),
        content_id: Some(content_id.clone()),
        surface: policy::Surface::Stream,
        signals,
    };
    let decided = state.policy.evaluate(&event);
    let now = crate::now();
    let entries: Vec<Value> = alert
        .entries
        .iter()
        .map(|e| {
            json!({
                "bank": e.key.bank,
                "entry_id": e.key.entry_id,
                "frames": e.frames,
                "best_distance": e.best_distance,
                "categories": super::categories(banks, &e.key.bank, &[]),
                "hash_kind": super::hash_kind(banks, &e.key.bank),
            })
        })
        .collect();
    let details = json!({
        "stream_id": stream_id,
        "alert": alert.number,
        "window_frames": alert.frames,
        "matched_frames": alert.matched,
        "share": alert.share,
        "from_t": alert.from_t,
        "to_t": alert.to_t,
        "entries": entries,
    });
    let live_rules: Vec<String> = decided
        .fired
        .iter()
        .filter(|f| matches!(f.mode, policy::RuleMode::Live))
        .map(|f| f.rule_id.clone())
        .collect();
    // The alert is the threshold the platform configured: the stream is blocked whatever the
    // rules add; they decide the case's queue and priority, evidence and further webhooks.
    let mut case = None;
    let mut preserve = false;
    let mut bank_on_confirm = Vec::new();
    let mut outbox = vec![NewOutbox {
        event: "stream.alert".into(),
        content_id: Some(content_id.clone()),
        payload: json!({
            "event": "stream.alert",
            "stream_id": stream_id,
            "uploader_id": uploader_id,
            "verdict": "block",
            "reason": "automated: frames of the stream matched known material",
            "alert": details,
            "rules": live_rules,
        }),
    }];
    for action in &decided.actions {
        match action {
            policy::Action::OpenCase {
                queue,
                priority,
                due_minutes,
            } => {
                case = Some((
                    crate::scan::core_queue(*queue),
                    crate::scan::core_priority(*priority),
                    *due_minutes,
                ))
            }
            policy::Action::PreserveEvidence => preserve = true,
            policy::Action::Webhook { event: name } => outbox.push(NewOutbox {
                event: name.clone(),
                content_id: Some(content_id.clone()),
                payload: json!({
                    "event": name,
                    "stream_id": stream_id,
                    "uploader_id": uploader_id,
                    "verdict": "block",
                    "reason": "automated: matched a rule",
                    "rules": live_rules,
                }),
            }),
            policy::Action::BankOnConfirm { bank } => bank_on_confirm.push(bank.clone()),
            policy::Action::Nudge { .. } => {}
        }
    }
    let (queue, priority, due) = case.unwrap_or((
        if any_csam {
            Queue::ChildSafety
        } else {
            Queue::General
        },
        Priority::Critical,
        Some(15),
    ));

    let mut evidence = None;
    let mut blob_file = None;
    if preserve && let Some(bytes) = image {
        let media_type = image::guess_format(bytes)
            .map(|f| f.to_mime_type().to_string())
            .unwrap_or_else(|_| "application/octet-stream".into());
        let sealed = crate::vault_files::seal(
            state,
            bytes,
            hex::encode(Sha256::digest(bytes)),
            media_type,
            Some(content_id.clone()),
            now,
        )
        .await?;
        blob_file = sealed.blob.file().map(str::to_owned);
        evidence = Some(sealed);
    }
    let mut audit = vec![NewAudit {
        actor: actor.to_string(),
        action: "stream.alert".into(),
        subject: format!("stream:{stream_id}"),
        details: json!({"alert": alert.number, "rules": live_rules,
            "banks": per_bank.iter().map(|p| p.0.clone()).collect::<Vec<_>>()}),
    }];
    if evidence.is_some() {
        audit.push(NewAudit {
            actor: actor.to_string(),
            action: "evidence.preserve".into(),
            subject: format!("stream:{stream_id}"),
            details: json!({"retention_days": state.config.evidence.retention_days}),
        });
    }
    let rules: Vec<Value> = decided
        .fired
        .iter()
        .map(|f| json!({"rule_id": f.rule_id, "mode": f.mode, "verdict": f.verdict}))
        .collect();
    let response = json!({
        "content_id": content_id,
        "stream_id": stream_id,
        "verdict": "block",
        "alert": details,
        "actions": decided.actions,
        "rules": rules,
        "evidence_preserved": evidence.is_some(),
    });
    let committed = state
        .store
        .commit_scan(NewScan {
            content_id: content_id.clone(),
            uploader_id: uploader_id.map(str::to_string),
            surface: Surface::Stream,
            event: serde_json::to_value(&event).map_err(ApiError::internal)?,
            outcome: serde_json::to_value(&decided).map_err(ApiError::internal)?,
            response,
            at: now,
            case: Some(CaseUpsert {
                subject_kind: SubjectKind::Account,
                subject_id: format!("stream:{stream_id}"),
                content_id: None,
                uploader_id: uploader_id.map(str::to_string),
                surface: Surface::Stream,
                queue,
                priority,
                due_at: due.map(|m| now + i64::from(m) * 60),
                title: format!(
                    "live stream {stream_id}: {} of {} frames matched {}",
                    alert.matched,
                    alert.frames,
                    per_bank
                        .iter()
                        .map(|p| p.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                media_hashes: json!({"pdq": pdq}),
                bank_on_confirm,
                signals: std::iter::once(NewSignal {
                    source: "stream".into(),
                    kind: "stream_alert".into(),
                    details,
                })
                .chain(context.map(|c| NewSignal {
                    source: "stream".into(),
                    kind: "context".into(),
                    details: c.clone(),
                }))
                .collect(),
            }),
            evidence,
            outbox,
            audit,
        })
        .await;
    match committed {
        Ok(c) => {
            state.outbox_notify.notify_one();
            state
                .metrics
                .scans
                .get_or_create(&crate::metrics::VerdictLabel {
                    verdict: "block".into(),
                })
                .inc();
            Ok(c.response)
        }
        Err(e) => {
            let _ = crate::vault_files::remove(&state.data, blob_file.as_deref()).await;
            Err(e.into())
        }
    }
}

/// Ends a stream: its window is forgotten (cases and alerts stay).
#[utoipa::path(
    delete, path = "/v1/streams/{id}", tag = "streams",
    params(("id" = String, Path, description = "The platform's stream id")),
    responses((status = 200, description = "The stream's final counters"),
        (status = 401, description = "No credentials"), (status = 403, description = "Key lacks the scan scope"),
        (status = 404, description = "Not watched (never sent, ended or expired)")),
    security(("api_key" = []))
)]
pub async fn end_stream(
    State(state): State<Shared>,
    principal: Principal,
    Path(stream_id): Path<String>,
) -> ApiResult<Json<Value>> {
    principal.require_scope(Scope::Scan)?;
    let removed = state
        .video
        .streams
        .lock()
        .expect("streams lock")
        .map
        .remove(&stream_id);
    let stream = removed.ok_or_else(|| ApiError::not_found("this stream is not watched"))?;
    Ok(Json(json!({
        "stream_id": stream_id,
        "ended": true,
        "window": window_json(&stream.window.stats()),
    })))
}
