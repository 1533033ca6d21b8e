//! Sealed evidence blobs: small ones travel in their database row, larger ones are files
//! `DATA/evidence/<yyyy-mm>/<random>.bin`, written to a temporary name and renamed, owner-only
//! permissions. Either way what is stored is ciphertext only.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use std::path::Path;
use tutela_core::{EvidenceItem, NewEvidence, SealedBlob, vault};

/// Largest sealed blob kept in its database row. Reported messages and most screenshots fit;
/// images and videos from scans go to files so the database stays small.
pub const IN_ROW_MAX: usize = 64 * 1024;

/// Seals `bytes` (whose SHA-256 hex is `sha256`) under a fresh item key; a large blob is written
/// to a file. The returned record goes into the caller's transaction (an orphaned file, if that
/// commit fails, is swept by the purge job).
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
    let blob = if sealed.blob.len() <= IN_ROW_MAX {
        SealedBlob::InRow(sealed.blob)
    } else {
        let rel = new_blob_path(now);
        write_blob(&state.data, &rel, &sealed.blob)
            .await
            .map_err(ApiError::internal)?;
        SealedBlob::InFile(rel)
    };
    Ok(NewEvidence {
        content_id,
        sha256,
        size: bytes.len() as i64,
        media_type,
        blob,
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

/// Opens a live evidence item: reads its blob (row or file) and decrypts it.
pub async fn open(state: &AppState, item: &EvidenceItem) -> anyhow::Result<Vec<u8>> {
    let read;
    let blob = match &item.blob {
        SealedBlob::InRow(bytes) => bytes,
        SealedBlob::InFile(rel) => {
            read = read_blob(&state.data, rel).await?;
            &read
        }
    };
    Ok(vault::open(
        &state.master,
        &item.wrapped_key,
        blob,
        item.sha256.as_bytes(),
    )?)
}

/// Deletes a sealed blob's file (`SealedBlob::file`), if it has one; a missing file is not an
/// error.
pub async fn remove(data: &Path, file: Option<&str>) -> std::io::Result<()> {
    let Some(rel) = file else {
        return Ok(());
    };
    match tokio::fs::remove_file(data.join(rel)).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

pub async fn read_blob(data: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    // Stored paths are our own, but refuse anything that could leave the data folder.
    if rel.contains("..") || rel.starts_with('/') {
        return Err(std::io::Error::other("bad evidence path"));
    }
    tokio::fs::read(data.join(rel)).await
}
