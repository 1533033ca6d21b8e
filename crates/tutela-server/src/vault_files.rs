//! Sealed evidence blobs on disk: `DATA/evidence/<yyyy-mm>/<random>.bin`, written to a temporary
//! name and renamed, owner-only permissions. What is on disk is ciphertext only.

use std::path::Path;

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
