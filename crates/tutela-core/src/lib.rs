//! Tutela's domain, with no I/O: what a case, a decision, a role and an evidence item are; the
//! hash chain of the audit log and its signed checkpoints; sealing evidence with a per-item key
//! wrapped by a master key; and the [`Store`] trait every storage backend implements.
//!
//! The server (`tutela-server`) does the I/O: it drives a `Store` (SQLite by default,
//! `tutela-store-sqlite`), writes sealed blobs to disk and sends webhooks.

pub mod access;
pub mod audit;
pub mod jobs;
pub mod model;
pub mod report;
pub mod store;
pub mod vault;

pub use access::{Role, Scope};
pub use jobs::{JobFinish, JobStatus, NewVideoJob, VideoJob};
pub use model::*;
pub use report::{AppealStatus, Outcome, ReportReason, ReportStatus};
pub use store::{Store, StoreError, StoreResult};
