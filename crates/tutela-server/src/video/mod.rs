//! Videos and live streams in `tutela serve`.
//!
//! * [`upload`]: bodies are sniffed by their first bytes; a video is streamed to
//!   `DATA/uploads/` (never held in memory) under `video.max_bytes`.
//! * this module: a video scan: ffmpeg hashing (`tutela-video`, a child process) on the
//!   blocking pool under a semaphore of `video.workers` permits, `Matcher::query_video`
//!   (video banks by frames, exact banks by the file's MD5/SHA-256), then the same rules,
//!   case, evidence, webhooks and single commit as an image (`scan::decide_and_commit`).
//! * [`jobs`]: large or long videos (or `?async=true`): `202` + a persisted job, run by
//!   `video.job_concurrency` workers, `GET /v1/jobs/{id}`, webhook `scan.completed`.
//! * [`streams`] + [`window`] (pure): live streams, one sliding window per stream, one case
//!   per stream, webhook `stream.alert`.

pub mod config;
pub mod jobs;
pub mod streams;
pub mod upload;
pub mod window;

pub use config::VideoConfig;

use crate::error::{ApiError, ApiResult};
use crate::scan::{Admission, Admitted, EvidenceSource, Found, ScanRequest};
use crate::state::{LoadedBanks, Shared};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tutela_bank::{VideoMatchOutcome, VideoQuery};
use tutela_core::NewVideoJob;
use tutela_policy as policy;
use tutela_video::{VideoError, VideoFrames, VideoHashes, VideoOptions};
use upload::TempUpload;

/// The video parts of the shared state.
pub struct VideoRuntime {
    /// One permit per ffmpeg allowed to run (`video.workers`).
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Wakes the job workers when a job is queued.
    pub job_notify: tokio::sync::Notify,
    /// Live streams' windows: hashes' verdicts and counters, never frames.
    pub streams: std::sync::Mutex<streams::Streams>,
}

impl VideoRuntime {
    pub fn new(config: &VideoConfig) -> VideoRuntime {
        VideoRuntime {
            hashing: Arc::new(tokio::sync::Semaphore::new(config.workers.max(1))),
            job_notify: tokio::sync::Notify::new(),
            streams: Default::default(),
        }
    }
}

/// ffmpeg's options from the config.
pub(crate) fn options(config: &VideoConfig, seconds_per_hash: f64) -> VideoOptions {
    let mut o = VideoOptions {
        seconds_per_hash,
        ..VideoOptions::default()
    };
    o.limits.max_bytes = config.max_bytes;
    o.limits.max_duration_seconds = config.max_duration_seconds;
    o.limits.max_run_time = Duration::from_secs(config.max_run_seconds.max(1));
    o
}

/// A video that cannot be hashed is the caller's problem (4xx, the reason named); a missing
/// or failing ffmpeg is ours (500, logged).
pub(crate) fn video_error(e: VideoError) -> ApiError {
    let unprocessable = |code| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string());
    match &e {
        VideoError::Empty
        | VideoError::NotVideo(_)
        | VideoError::NoVideoStream
        | VideoError::Decode(_)
        | VideoError::Truncated { .. } => unprocessable("undecodable_media"),
        VideoError::Limit(_) => unprocessable("video_limit"),
        VideoError::TimedOut(_) => unprocessable("video_timeout"),
        VideoError::Io { .. }
        | VideoError::FfmpegMissing(_)
        | VideoError::Spawn(_)
        | VideoError::Options(_) => ApiError::internal(e),
    }
}

pub(crate) enum Hashing {
    Hashed(VideoHashes),
    /// Longer than the caller allowed for an answered scan: its duration.
    TooLong(f64),
}

/// ffprobe, then (unless longer than `async_over_seconds`) ffmpeg to the end, the file's
/// digests and the frames. Blocking: call on the blocking pool.
fn hash_file(
    path: &Path,
    options: &VideoOptions,
    async_over_seconds: Option<f64>,
) -> Result<Hashing, VideoError> {
    let mut frames_iter = VideoFrames::open(path, options)?;
    if let (Some(limit), Some(d)) = (async_over_seconds, frames_iter.info().duration_seconds)
        && d > limit
    {
        return Ok(Hashing::TooLong(d)); // dropping the iterator kills and reaps ffmpeg
    }
    let (sha256, md5, bytes) = tutela_video::file_digests(path)?;
    let mut frames = Vec::new();
    for frame in frames_iter.by_ref() {
        frames.push(frame?);
    }
    let info = frames_iter.info().clone();
    let frame_mod = frames_iter.sampling().frame_mod;
    frames_iter.finish(frames.len() as u64)?;
    Ok(Hashing::Hashed(VideoHashes {
        info,
        seconds_per_hash: options.seconds_per_hash,
        frame_mod,
        frames,
        sha256,
        md5,
        bytes,
    }))
}

/// Hashes a video file with one of the `video.workers` permits.
pub(crate) async fn hash_upload(
    state: &Shared,
    path: &Path,
    seconds_per_hash: f64,
    async_over_seconds: Option<f64>,
) -> ApiResult<Hashing> {
    let permit = state
        .video
        .hashing
        .clone()
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    let options = options(&state.config.video, seconds_per_hash);
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        hash_file(&path, &options, async_over_seconds)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(video_error)
}

pub(crate) fn not_ready() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
        "the banks are still loading",
    )
}

/// A bank's categories: its labels and the entry's.
pub(crate) fn categories(banks: &LoadedBanks, bank: &str, entry_labels: &[String]) -> Vec<String> {
    banks
        .categories
        .get(bank)
        .map(|(labels, _)| labels.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(entry_labels)
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

pub(crate) fn hash_kind(banks: &LoadedBanks, bank: &str) -> String {
    banks
        .categories
        .get(bank)
        .map(|(_, kind)| kind.clone())
        .unwrap_or_else(|| "vpdq".into())
}

/// Standing block matches as rule signals (frames: `video_match`; the file's digest in an
/// MD5/SHA-256 bank: `hash_match`), and every match for the answer.
pub(crate) fn video_signals(
    banks: &LoadedBanks,
    outcome: &VideoMatchOutcome,
) -> (Vec<policy::Signal>, Vec<Value>) {
    let mut signals = Vec::new();
    let mut shown = Vec::new();
    for m in &outcome.matches {
        let categories = categories(banks, &m.bank, &m.labels);
        let kind = hash_kind(banks, &m.bank);
        shown.push(json!({
            "bank": m.bank,
            "bank_kind": m.bank_kind,
            "entry_id": m.entry_id,
            "hash_kind": kind,
            "variant": m.variant,
            "distance": m.distance,
            "query_match_percent": m.query_match_percent,
            "compared_match_percent": m.compared_match_percent,
            "query_frames_matched": m.query_frames_matched,
            "query_frames": m.query_frames,
            "external_id": m.external_id,
            "categories": categories,
            "suppressed": m.suppressed,
        }));
        if m.bank_kind == "block" && !m.suppressed {
            signals.push(if kind == "vpdq" {
                policy::Signal::VideoMatch {
                    bank: m.bank.clone(),
                    categories,
                    query_match_percent: m.query_match_percent as f32,
                    entry_match_percent: m.compared_match_percent as f32,
                }
            } else {
                policy::Signal::HashMatch {
                    bank: m.bank.clone(),
                    categories,
                    hash_kind: kind,
                    distance: 0,
                }
            });
        }
    }
    (signals, shown)
}

/// Matches a hashed video and commits its scan like an image's.
pub(crate) async fn commit_hashed_video(
    state: &Shared,
    actor: &str,
    req: ScanRequest,
    admitted: Admitted,
    path: &Path,
    hashes: VideoHashes,
    media_type: Option<String>,
) -> ApiResult<(Value, bool)> {
    let banks = state.matcher().ok_or_else(not_ready)?;
    let query = VideoQuery::new()
        .with_frames(&hashes.frames)
        .with_md5(hashes.md5)
        .with_sha256(hashes.sha256);
    let loaded = banks.clone();
    let outcome = tokio::task::spawn_blocking(move || loaded.matcher.query_video(&query))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let (signals, shown) = video_signals(&banks, &outcome);
    let sha256 = hex::encode(hashes.sha256);
    let info = &hashes.info;
    let found = Found {
        signals,
        shown,
        hashes: json!({
            "pdq": Value::Null,
            "md5": hex::encode(hashes.md5),
            "sha256": sha256,
            "video": {
                "frames_hashed": hashes.frames.len(),
                "seconds_per_hash": hashes.seconds_per_hash,
                "duration_seconds": info.duration_seconds,
                "frame_rate": info.frame_rate,
                "width": info.width,
                "height": info.height,
                "codec": info.codec,
                "container": info.container,
                "bytes": hashes.bytes,
            },
        }),
        evidence: Some(EvidenceSource::File {
            path: path.to_path_buf(),
            // The caller's type only if it says video; else from the container ffprobe found.
            media_type: media_type
                .filter(|t| t.starts_with("video/"))
                .unwrap_or_else(|| container_media_type(&info.container)),
            sha256,
        }),
    };
    crate::scan::decide_and_commit(state, actor, req, admitted, found).await
}

fn container_media_type(container: &str) -> String {
    let names: Vec<&str> = container.split(',').collect();
    let t = if names.contains(&"mp4") {
        "mp4"
    } else if names.contains(&"webm") || names.contains(&"matroska") {
        "x-matroska"
    } else if names.contains(&"avi") {
        "x-msvideo"
    } else if names.contains(&"mpegts") {
        "mp2t"
    } else {
        names.first().copied().unwrap_or("octet-stream")
    };
    format!("video/{t}")
}

/// An answered (synchronous) scan of a video already on disk.
pub(crate) async fn scan_video(
    state: &Shared,
    actor: &str,
    req: ScanRequest,
    admitted: Admitted,
    upload: TempUpload,
    media_type: Option<String>,
) -> ApiResult<(Value, bool)> {
    let seconds_per_hash = state.config.video.seconds_per_hash;
    match hash_upload(state, &upload.path, seconds_per_hash, None).await? {
        Hashing::Hashed(h) => {
            commit_hashed_video(state, actor, req, admitted, &upload.path, h, media_type).await
        }
        Hashing::TooLong(_) => Err(ApiError::internal("no duration limit was set")),
    }
}

/// The answer to a video upload: scanned now, or queued as a job.
pub(crate) enum VideoAnswer {
    Scanned(Value, bool),
    Queued(Value),
}

/// A streamed video upload from `POST /v1/scan`: answered now, or (large, long, or asked
/// for) queued as a job.
pub(crate) async fn scan_upload(
    state: &Shared,
    actor: &str,
    req: ScanRequest,
    upload: TempUpload,
    media_type: Option<String>,
    want_async: bool,
) -> ApiResult<VideoAnswer> {
    let admitted = match crate::scan::admit(state, &req).await? {
        Admission::Replay(prev) => return Ok(VideoAnswer::Scanned(prev, true)),
        Admission::New(a) => a,
    };
    let config = &state.config.video;
    if want_async || upload.size > config.async_over_bytes {
        return queue_job(state, actor, &req, &admitted, upload, media_type).await;
    }
    match hash_upload(
        state,
        &upload.path,
        config.seconds_per_hash,
        Some(config.async_over_seconds),
    )
    .await?
    {
        Hashing::Hashed(h) => {
            let (answer, replay) =
                commit_hashed_video(state, actor, req, admitted, &upload.path, h, media_type)
                    .await?;
            Ok(VideoAnswer::Scanned(answer, replay))
        }
        Hashing::TooLong(seconds) => {
            tracing::info!(seconds, "a long video goes to a job");
            queue_job(state, actor, &req, &admitted, upload, media_type).await
        }
    }
}

async fn queue_job(
    state: &Shared,
    actor: &str,
    req: &ScanRequest,
    admitted: &Admitted,
    upload: TempUpload,
    media_type: Option<String>,
) -> ApiResult<VideoAnswer> {
    if req.text.is_some() {
        // The job row would have to keep the message until the job runs: not done.
        return Err(ApiError::bad_request(
            "a video scanned as a job cannot carry a message (text): scan the message separately",
        ));
    }
    let id = crate::auth::random_token("job_");
    let upload_path = upload
        .persist_for_job(&state.data, &id)
        .await
        .map_err(ApiError::internal)?;
    let job = NewVideoJob {
        id: id.clone(),
        content_id: admitted.content_id.clone(),
        actor: actor.to_string(),
        request: json!({
            "content_id": admitted.content_id,
            "uploader_id": req.uploader_id,
            "surface": req.surface,
            "context": req.context,
        }),
        upload_path: upload_path.clone(),
        media_type,
        at: crate::now(),
    };
    if let Err(e) = state.store.create_video_job(job).await {
        let _ = tokio::fs::remove_file(state.data.join(&upload_path)).await;
        return Err(e.into());
    }
    state.video.job_notify.notify_one();
    Ok(VideoAnswer::Queued(json!({
        "job_id": id,
        "content_id": admitted.content_id,
        "status": "queued",
        "status_url": format!("/v1/jobs/{id}"),
    })))
}
