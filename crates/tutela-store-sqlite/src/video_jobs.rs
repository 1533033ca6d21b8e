//! The `video_jobs` table (migration 0002): asynchronous video scans.

use super::{backend, insert_outbox_tx, json, parse};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use tutela_core::*;

fn job_from(r: &SqliteRow) -> StoreResult<VideoJob> {
    Ok(VideoJob {
        id: r.get("id"),
        content_id: r.get("content_id"),
        actor: r.get("actor"),
        request: json(r.get::<&str, _>("request"))?,
        upload_path: r.get("upload_path"),
        media_type: r.get("media_type"),
        status: parse(r.get::<&str, _>("status"))?,
        attempts: r.get("attempts"),
        result: r.get::<Option<&str>, _>("result").map(json).transpose()?,
        error: r.get("error"),
        created_at: r.get("created_at"),
        started_at: r.get("started_at"),
        finished_at: r.get("finished_at"),
    })
}

pub(crate) async fn create(write: &SqlitePool, job: NewVideoJob) -> StoreResult<VideoJob> {
    let inserted = sqlx::query(
        "INSERT INTO video_jobs (id, content_id, actor, request, upload_path, media_type, status, \
         attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&job.id)
    .bind(&job.content_id)
    .bind(&job.actor)
    .bind(job.request.to_string())
    .bind(&job.upload_path)
    .bind(&job.media_type)
    .bind(job.at)
    .execute(write)
    .await
    .map_err(backend)?
    .rows_affected();
    if inserted == 0 {
        return Err(StoreError::Conflict(format!("job {:?} exists", job.id)));
    }
    get(write, &job.id)
        .await?
        .ok_or_else(|| StoreError::Backend("a new job vanished".into()))
}

pub(crate) async fn get(pool: &SqlitePool, id: &str) -> StoreResult<Option<VideoJob>> {
    sqlx::query("SELECT * FROM video_jobs WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(backend)?
        .as_ref()
        .map(job_from)
        .transpose()
}

pub(crate) async fn claim(write: &SqlitePool, now: i64) -> StoreResult<Option<VideoJob>> {
    // One writer connection: the select and the update cannot interleave with another claim.
    let mut tx = crate::begin_write(write).await?;
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM video_jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(backend)?;
    let Some(id) = id else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE video_jobs SET status = 'running', attempts = attempts + 1, started_at = ? \
         WHERE id = ?",
    )
    .bind(now)
    .bind(&id)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    let row = sqlx::query("SELECT * FROM video_jobs WHERE id = ?")
        .bind(&id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
    tx.commit().await.map_err(backend)?;
    job_from(&row).map(Some)
}

pub(crate) async fn requeue_running(write: &SqlitePool) -> StoreResult<u64> {
    Ok(
        sqlx::query("UPDATE video_jobs SET status = 'queued' WHERE status = 'running'")
            .execute(write)
            .await
            .map_err(backend)?
            .rows_affected(),
    )
}

pub(crate) async fn finish(write: &SqlitePool, f: JobFinish) -> StoreResult<()> {
    if !f.status.is_final() {
        return Err(StoreError::Conflict(format!(
            "a job ends done or failed, not {}",
            f.status
        )));
    }
    let mut tx = crate::begin_write(write).await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM video_jobs WHERE id = ?")
        .bind(&f.id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
    match status.as_deref() {
        None => return Err(StoreError::NotFound(format!("job {}", f.id))),
        Some("done" | "failed") => {
            return Err(StoreError::Conflict(format!("job {} already ended", f.id)));
        }
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE video_jobs SET status = ?, result = ?, error = ?, finished_at = ? WHERE id = ?",
    )
    .bind(f.status.name())
    .bind(f.result.as_ref().map(|v| v.to_string()))
    .bind(&f.error)
    .bind(f.at)
    .bind(&f.id)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    insert_outbox_tx(&mut tx, &f.outbox, f.case_id, f.at).await?;
    tx.commit().await.map_err(backend)?;
    Ok(())
}
