//! Request bodies that may be videos: the first bytes decide (by content, never by name). An
//! image stays in memory under `limits.max_upload_bytes`; a video is streamed to a file in
//! `DATA/uploads/` under `video.max_bytes`, so memory stays at one chunk whatever its size.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::http::StatusCode;
use futures_util::{Stream, StreamExt};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// The folder of uploads, relative to the data folder.
pub const UPLOADS: &str = "uploads";

/// A video upload on disk, removed when dropped unless handed to a job.
#[derive(Debug)]
pub struct TempUpload {
    pub path: PathBuf,
    pub size: u64,
    keep: bool,
}

impl TempUpload {
    /// Moves the file to `DATA/uploads/<job_id>.upload` for a job; returns its relative path.
    pub async fn persist_for_job(mut self, data: &Path, job_id: &str) -> std::io::Result<String> {
        let rel = format!("{UPLOADS}/{job_id}.upload");
        tokio::fs::rename(&self.path, data.join(&rel)).await?;
        self.keep = true;
        Ok(rel)
    }
}

impl Drop for TempUpload {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A body after sniffing: an in-memory non-video, or a video on disk.
#[derive(Debug)]
pub enum Spooled {
    Memory(Vec<u8>),
    Video(TempUpload),
}

fn too_large(what: &str, limit: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("the {what} is larger than {limit} bytes"),
    )
}

/// A new, unique temporary upload path (`scan-<random>.part`: swept at start-up).
pub fn temp_path(data: &Path) -> PathBuf {
    data.join(UPLOADS)
        .join(format!("{}.part", crate::auth::random_token("scan-")))
}

/// Reads `body` chunk by chunk: up to `memory_limit` bytes in memory if its first bytes are
/// not a video container, else everything to a temporary file, up to `video_limit` bytes.
pub async fn spool<S, E>(
    data: &Path,
    body: S,
    memory_limit: usize,
    video_limit: u64,
) -> Result<Spooled, ApiError>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: std::fmt::Display,
{
    let mut body = std::pin::pin!(body);
    let read_error = |e: E| ApiError::bad_request(format!("reading the upload failed: {e}"));
    let mut head: Vec<u8> = Vec::new();
    let mut ended = false;
    while head.len() < tutela_video::SNIFF_LEN {
        match body.next().await {
            Some(chunk) => head.extend_from_slice(&chunk.map_err(read_error)?),
            None => {
                ended = true;
                break;
            }
        }
    }
    if tutela_video::sniff(&head).is_none() {
        if head.len() > memory_limit {
            return Err(too_large("body", memory_limit as u64));
        }
        while !ended {
            match body.next().await {
                Some(chunk) => {
                    let chunk = chunk.map_err(read_error)?;
                    if head.len() + chunk.len() > memory_limit {
                        return Err(too_large("body", memory_limit as u64));
                    }
                    head.extend_from_slice(&chunk);
                }
                None => ended = true,
            }
        }
        return Ok(Spooled::Memory(head));
    }
    let path = temp_path(data);
    tokio::fs::create_dir_all(path.parent().expect("uploads live in a folder"))
        .await
        .map_err(ApiError::internal)?;
    let file = tokio::fs::File::create(&path)
        .await
        .map_err(ApiError::internal)?;
    // From here on the file is removed on every early return.
    let mut upload = TempUpload {
        path,
        size: 0,
        keep: false,
    };
    let mut out = tokio::io::BufWriter::with_capacity(1 << 20, file);
    let mut write = async |bytes: &[u8], upload: &mut TempUpload| -> Result<(), ApiError> {
        upload.size += bytes.len() as u64;
        if upload.size > video_limit {
            return Err(too_large("video", video_limit));
        }
        out.write_all(bytes).await.map_err(ApiError::internal)
    };
    write(&head, &mut upload).await?;
    drop(head);
    while !ended {
        match body.next().await {
            Some(chunk) => write(&chunk.map_err(read_error)?, &mut upload).await?,
            None => ended = true,
        }
    }
    out.flush().await.map_err(ApiError::internal)?;
    out.into_inner()
        .sync_data()
        .await
        .map_err(ApiError::internal)?;
    Ok(Spooled::Video(upload))
}

/// Writes in-memory video bytes (a base64 JSON upload) to a temporary upload for ffmpeg.
pub async fn from_bytes(data: &Path, bytes: &[u8]) -> Result<TempUpload, ApiError> {
    let path = temp_path(data);
    tokio::fs::create_dir_all(path.parent().expect("uploads live in a folder"))
        .await
        .map_err(ApiError::internal)?;
    let upload = TempUpload {
        path,
        size: bytes.len() as u64,
        keep: false,
    };
    tokio::fs::write(&upload.path, bytes)
        .await
        .map_err(ApiError::internal)?;
    Ok(upload)
}

/// At start-up: temporary uploads of requests that never finished (a crash) are removed; job
/// uploads stay for their jobs.
pub fn sweep_partial(data: &Path) {
    let Ok(dir) = std::fs::read_dir(data.join(UPLOADS)) else {
        return;
    };
    for entry in dir.flatten() {
        if entry.file_name().to_string_lossy().ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: Vec<Vec<u8>>) -> impl Stream<Item = Result<Bytes, String>> + Unpin {
        futures_util::stream::iter(parts.into_iter().map(|p| Ok(Bytes::from(p))))
    }

    fn mp4_head() -> Vec<u8> {
        let mut v = vec![0, 0, 0, 24];
        v.extend_from_slice(b"ftypisom");
        v.resize(1000, 7);
        v
    }

    #[tokio::test]
    async fn images_stay_in_memory_and_videos_go_to_disk_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let png = vec![vec![0x89, b'P', b'N', b'G'], vec![1; 2000]];
        match spool(dir.path(), chunks(png), 10_000, 1 << 20)
            .await
            .unwrap()
        {
            Spooled::Memory(b) => assert_eq!(b.len(), 2004),
            other => panic!("{other:?}"),
        }
        // A video in small chunks, larger than the in-memory limit: accepted, on disk.
        let head = mp4_head();
        let parts: Vec<Vec<u8>> = std::iter::once(head[..10].to_vec())
            .chain(std::iter::once(head[10..].to_vec()))
            .chain((0..50).map(|_| vec![9; 1000]))
            .collect();
        let path = match spool(dir.path(), chunks(parts), 10_000, 1 << 20)
            .await
            .unwrap()
        {
            Spooled::Video(u) => {
                assert_eq!(u.size, 51_000);
                assert_eq!(std::fs::metadata(&u.path).unwrap().len(), 51_000);
                assert!(std::fs::read(&u.path).unwrap().starts_with(&head));
                u.path.clone()
            }
            other => panic!("{other:?}"),
        };
        assert!(!path.exists(), "dropped uploads are removed");
    }

    #[tokio::test]
    async fn limits_are_enforced_and_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = spool(
            dir.path(),
            chunks(vec![vec![1; 5000], vec![1; 6000]]),
            10_000,
            1 << 20,
        )
        .await
        .unwrap_err();
        assert_eq!(err.status, StatusCode::PAYLOAD_TOO_LARGE);
        let parts = vec![mp4_head(), vec![0; 5000]];
        let err = spool(dir.path(), chunks(parts), 10_000, 4000)
            .await
            .unwrap_err();
        assert_eq!(err.status, StatusCode::PAYLOAD_TOO_LARGE);
        let left: Vec<_> = std::fs::read_dir(dir.path().join(UPLOADS))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
