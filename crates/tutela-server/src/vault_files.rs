//! Sealed evidence blobs on disk: `DATA/evidence/<yyyy-mm>/<random>.bin`, written to a temporary
//! name and renamed, owner-only permissions. What is on disk is ciphertext only.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use std::path::Path;
use tutela_core::{NewEvidence, vault};

/// Seals `bytes` (whose SHA-256 hex is `sha256`) under a fresh item key and writes the blob;
/// the returned record goes into the caller's transaction (an orphaned blob, if that commit
/// fails, is swept by the purge job).
pub async fn seal(
    state: &AppState,
    bytes: &[u8],
    sha256: String,
    media_type: String,
    content_id: Option<String>,
    now: i64,
) -> ApiResult<NewEvidence> {
    let sealed =
        vault::seal(&state.master, bytes, sha256.as_bytes()).map_err(ApiError::internal)?;
    let rel = new_blob_path(now);
    write_blob(&state.data, &rel, &sealed.blob)
        .await
        .map_err(ApiError::internal)?;
    Ok(NewEvidence {
        content_id,
        sha256,
        size: bytes.len() as i64,
        media_type,
        blob_path: rel,
        wrapped_key: sealed.wrapped_key,
        retain_until: now + i64::from(state.config.evidence.retention_days) * 86_400,
    })
}

pub fn new_blob_path(now: i64) -> String {
    let month = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| format!("{:04}-{:02}", t.year(), u8::from(t.month())))
        .unwrap_or_else(|_| "undated".into());
    format!("evidence/{month}/{}.bin", crate::auth::random_token(""))
}

pub async fn write_blob(data: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    // One trip to the blocking pool for the whole sequence (not one per step), and the file is
    // owner-only from its creation.
    let path = data.join(rel);
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let dir = path.parent().expect("blob paths have a folder");
        std::fs::create_dir_all(dir)?;
        let tmp = path.with_extension("tmp");
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })
    .await
    .map_err(std::io::Error::other)?
}

pub async fn read_blob(data: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    // Stored paths are our own, but refuse anything that could leave the data folder.
    if rel.contains("..") || rel.starts_with('/') {
        return Err(std::io::Error::other("bad evidence path"));
    }
    tokio::fs::read(data.join(rel)).await
}
