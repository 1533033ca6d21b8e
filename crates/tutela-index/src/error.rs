use std::path::PathBuf;

/// Everything the index and exact-set APIs can refuse.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("not a Tutela {expected} file (bad magic bytes)")]
    BadMagic { expected: &'static str },
    #[error("unsupported file format version {found} (this build reads version {supported})")]
    UnsupportedVersion { found: u32, supported: u32 },
    #[error("file truncated: {needed} bytes needed, {actual} present")]
    Truncated { needed: u64, actual: u64 },
    #[error("{what} checksum mismatch: stored {stored:#018x}, computed {computed:#018x}")]
    ChecksumMismatch {
        what: &'static str,
        stored: u64,
        computed: u64,
    },
    #[error("corrupt file: {0}")]
    Corrupt(String),
    #[error("unknown id {0}")]
    UnknownId(u32),
    #[error("index full: at most {max} entries")]
    Full { max: u64 },
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl IndexError {
    pub(crate) fn corrupt(msg: impl Into<String>) -> Self {
        IndexError::Corrupt(msg.into())
    }
}
