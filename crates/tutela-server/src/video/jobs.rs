//! Asynchronous video scans: the job workers and `GET /v1/jobs/{id}`.
//!
//! A job is a row in `video_jobs` (it survives a restart: jobs left running are queued again
//! at start) and its upload in `DATA/uploads/<job id>.upload`. A worker claims the oldest
//! queued job, scans the video exactly as an answered scan would (idempotent on the content
//! id, so a job interrupted after its scan committed only finishes), then ends the job and
//! writes the `scan.completed` webhook in one transaction, and removes the upload.

use super::Hashing;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::jobs::tokio_util_shim::CancelToken;
use crate::scan::{Admission, ScanRequest};
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use std::time::Duration;
use tutela_core::{JobFinish, JobStatus, NewOutbox, Scope, VideoJob};

/// Runs `video.job_concurrency` job loops until shutdown.
pub async fn job_worker(state: Shared, cancel: CancelToken) {
    super::upload::sweep_partial(&state.data);
    match state.store.requeue_running_video_jobs().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            jobs = n,
            "video jobs interrupted by a stop are queued again"
        ),
        Err(e) => tracing::error!(error = %e, "requeueing interrupted video jobs"),
    }
    let loops: Vec<_> = (0..state.config.video.job_concurrency.max(1))
        .map(|_| tokio::spawn(job_loop(state.clone(), cancel.clone())))
        .collect();
    for l in loops {
        let _ = l.await;
    }
}

async fn job_loop(state: Shared, mut cancel: CancelToken) {
    loop {
        if cancel.is_cancelled() {
            return;
        }
        // Jobs wait for the banks: a scan before they load would fail for nothing.
        if state.matcher().is_some() {
            match state.store.claim_video_job(crate::now()).await {
                Ok(Some(job)) => {
                    tokio::select! {
                        // At shutdown the job stays `running` and is queued again at start.
                        _ = cancel.cancelled() => return,
                        _ = run_job(&state, job) => {},
                    }
                    continue;
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "claiming a video job"),
            }
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = state.video.job_notify.notified() => {},
            _ = tokio::time::sleep(Duration::from_secs(1)) => {},
        }
    }
}

async fn scan_job(state: &Shared, job: &VideoJob) -> ApiResult<(Value, bool)> {
    let req: ScanRequest = serde_json::from_value(job.request.clone())
        .map_err(|e| ApiError::internal(format!("stored job request: {e}")))?;
    let admitted = match crate::scan::admit(state, &req).await? {
        Admission::Replay(prev) => return Ok((prev, true)),
        Admission::New(a) => a,
    };
    let path = state.data.join(&job.upload_path);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Err(ApiError::internal("the job's upload is missing"));
    }
    let seconds_per_hash = state.config.video.seconds_per_hash;
    match super::hash_upload(state, &path, seconds_per_hash, None).await? {
        Hashing::Hashed(h) => {
            super::commit_hashed_video(
                state,
                &job.actor,
                req,
                admitted,
                &path,
                h,
                job.media_type.clone(),
            )
            .await
        }
        Hashing::TooLong(_) => Err(ApiError::internal("no duration limit was set")),
    }
}

async fn run_job(state: &Shared, job: VideoJob) {
    let outcome = scan_job(state, &job).await;
    let (status, result, error, case_id) = match outcome {
        Ok((answer, _)) => {
            let case_id = answer["case_id"].as_i64();
            (JobStatus::Done, Some(answer), None, case_id)
        }
        Err(e) => (
            JobStatus::Failed,
            None,
            Some(json!({"code": e.code, "message": e.message})),
            None,
        ),
    };
    let payload = json!({
        "event": "scan.completed",
        "job_id": job.id,
        "content_id": job.content_id,
        "status": status,
        "result": result,
        "error": error,
    });
    let finish = JobFinish {
        id: job.id.clone(),
        status,
        result,
        error: error.map(|e| e.to_string()),
        case_id,
        outbox: vec![NewOutbox {
            event: "scan.completed".into(),
            content_id: Some(job.content_id.clone()),
            payload,
        }],
        at: crate::now(),
    };
    match state.store.finish_video_job(finish).await {
        Ok(()) => {
            state.outbox_notify.notify_one();
            let _ = tokio::fs::remove_file(state.data.join(&job.upload_path)).await;
            tracing::info!(job = %job.id, status = %status, "video job ended");
        }
        // The job stays `running`: it runs again after a restart (its scan is idempotent).
        Err(e) => tracing::error!(error = %e, job = %job.id, "recording the end of a video job"),
    }
}

/// A job's status; once done, the scan's answer (as `POST /v1/scan` gives it).
#[utoipa::path(
    get, path = "/v1/jobs/{id}", tag = "scan",
    params(("id" = String, Path, description = "The job id from the 202 answer")),
    responses(
        (status = 200, description = "`status`: queued, running, done (with `result`) or failed (with `error`)"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Key has neither the scan nor the read scope"),
        (status = 404, description = "No such job")
    ),
    security(("api_key" = []))
)]
pub async fn get_job(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    principal
        .require_scope(Scope::Scan)
        .or_else(|_| principal.require_scope(Scope::Read))?;
    let job = state
        .store
        .video_job(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("no job with this id"))?;
    let error = job
        .error
        .as_deref()
        .map(|e| serde_json::from_str::<Value>(e).unwrap_or_else(|_| json!({"message": e})));
    Ok(Json(json!({
        "job_id": job.id,
        "content_id": job.content_id,
        "status": job.status,
        "attempts": job.attempts,
        "created_at": crate::rfc3339(job.created_at),
        "started_at": job.started_at.map(crate::rfc3339),
        "finished_at": job.finished_at.map(crate::rfc3339),
        "result": job.result,
        "error": error,
    })))
}
