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
    let path = data.join(rel);
    let dir = path.parent().expect("blob paths have a folder");
    tokio::fs::create_dir_all(dir).await?;
    let tmp = path.with_extension("tmp");
    tokio::fs::write(&tmp, bytes).await?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tokio::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).await?;
    }
    let f = tokio::fs::File::open(&tmp).await?;
    f.sync_all().await?;
    tokio::fs::rename(&tmp, &path).await
}

pub async fn read_blob(data: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    // Stored paths are our own, but refuse anything that could leave the data folder.
    if rel.contains("..") || rel.starts_with('/') {
        return Err(std::io::Error::other("bad evidence path"));
    }
    tokio::fs::read(data.join(rel)).await
}
