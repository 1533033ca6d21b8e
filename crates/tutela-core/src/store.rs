//! The storage seam. Every write that must be atomic (a scan with its case, evidence record,
//! webhooks and audit entries; a decision with its webhooks and audit entries) is one method, so a
//! backend can run it in one transaction. SQLite implements this in `tutela-store-sqlite`;
//! a PostgreSQL backend implements the same trait and must pass the same test suite.

use crate::access::{Role, Scope};
use crate::audit::{AuditEntry, Checkpoint, Head};
use crate::jobs::{JobFinish, NewVideoJob, VideoJob};
use crate::model::*;
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    /// The write contradicts the current state (a lock held by someone else, a duplicate name).
    #[error("{0}")]
    Conflict(String),
    #[error("storage error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // ---- people ----
    async fn user_count(&self) -> StoreResult<i64>;
    /// Fails with `Conflict` if the name is taken.
    async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<User>;
    async fn user_by_name(&self, username: &str) -> StoreResult<Option<User>>;
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    async fn set_user_role(
        &self,
        user_id: i64,
        role: Role,
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<()>;
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: i64,
    ) -> StoreResult<()>;
    /// The session's user and CSRF token, if the session exists, has not expired and its user
    /// is not disabled.
    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<(User, String)>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    // ---- platform API keys (stored as hashes) ----
    async fn create_api_key(
        &self,
        name: &str,
        key_hash: &str,
        scopes: &[Scope],
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<ApiKey>;
    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKey>>;
    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    async fn revoke_api_key(&self, id: i64, at: i64, audit: NewAudit) -> StoreResult<()>;

    // ---- scans ----
    async fn scan_by_content_id(&self, content_id: &str) -> StoreResult<Option<ScanRecord>>;
    /// Writes the scan and everything it caused in one transaction. If a scan with the same
    /// content id exists, writes nothing and returns `Conflict`.
    async fn commit_scan(&self, scan: NewScan) -> StoreResult<ScanCommitted>;
    /// Scans with id > `after_id`, oldest first (for rule backtests).
    async fn scans_after(&self, after_id: i64, limit: i64) -> StoreResult<Vec<ScanRecord>>;

    // ---- cases ----
    /// Open and escalated cases of these queues: highest priority first, then earliest due,
    /// then oldest.
    async fn queue(&self, queues: &[Queue], limit: i64) -> StoreResult<Vec<Case>>;
    async fn search_cases(&self, query: &CaseQuery) -> StoreResult<Vec<Case>>;
    async fn case_detail(&self, case_id: i64) -> StoreResult<Option<CaseDetail>>;
    /// Take (or renew) the case's lock; `Conflict` if another reviewer holds it.
    async fn assign_case(
        &self,
        case_id: i64,
        user_id: i64,
        lock_until: i64,
        now: i64,
        audit: NewAudit,
    ) -> StoreResult<Case>;
    async fn release_case(&self, case_id: i64, user_id: i64) -> StoreResult<()>;
    /// Appends the decision, sets the case status, writes the webhooks to the outbox and the
    /// audit entries, atomically. `Conflict` if another reviewer holds the lock, if a report
    /// arrived that the reviewer has not seen, or if the decision answers an open appeal and the
    /// reviewer made the appealed decision (an appeal goes to someone else). Resolves an open
    /// appeal (see [`crate::report::resolve_appeal`]) and stores the appeal code, if any.
    async fn commit_decision(&self, decision: NewDecision) -> StoreResult<Decision>;

    // ---- reports and appeals ----
    /// Writes the report, joins it to the open case of its subject or opens one, with its sealed
    /// evidence records and webhooks, in one transaction. A case the report opens takes the
    /// media hashes of its content's scan, if the platform scanned it (so confirming the case
    /// banks the content and a re-upload is blocked); otherwise the upsert's own hashes.
    async fn commit_report(&self, report: NewReport) -> StoreResult<ReportCommitted>;
    /// The reporter's record: (reports decided `no_violation`, reports decided) since `since`.
    async fn reporter_record(&self, reporter_key: &str, since: i64) -> StoreResult<(i64, i64)>;
    /// What a receipt code (by its hash) opens: a report or an appeal, with its case.
    async fn receipt(&self, code_hash: &str) -> StoreResult<Option<Receipt>>;
    /// A decision by the hash of its appeal code.
    async fn appealable_by_code(&self, code_hash: &str) -> StoreResult<Option<AppealableDecision>>;
    async fn appealable(&self, decision_id: i64) -> StoreResult<Option<AppealableDecision>>;
    /// Files the appeal and reopens its case. `Conflict` if the decision was already appealed.
    async fn commit_appeal(&self, appeal: NewAppeal) -> StoreResult<Appeal>;

    // ---- evidence ----
    async fn evidence(&self, id: i64) -> StoreResult<Option<EvidenceItem>>;
    async fn set_legal_hold(
        &self,
        id: i64,
        hold: bool,
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<()>;
    /// Unpurged items past retention and not on legal hold.
    async fn expired_evidence(&self, now: i64, limit: i64) -> StoreResult<Vec<EvidenceItem>>;
    async fn mark_purged(&self, id: i64, at: i64, audit: NewAudit) -> StoreResult<()>;
    /// Blob paths of every evidence record (to find orphaned blobs).
    async fn evidence_blob_paths(&self) -> StoreResult<Vec<String>>;

    // ---- webhook outbox ----
    async fn due_outbox(&self, now: i64, limit: i64) -> StoreResult<Vec<OutboxMessage>>;
    async fn outbox_delivered(&self, id: i64, at: i64) -> StoreResult<()>;
    /// Records a failed attempt; `next_attempt_at: None` gives up (status `failed`).
    async fn outbox_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Option<i64>,
    ) -> StoreResult<()>;
    async fn failed_outbox(&self, limit: i64) -> StoreResult<Vec<OutboxMessage>>;
    /// Puts a failed message back in the queue.
    async fn retry_outbox(&self, id: i64, at: i64, audit: NewAudit) -> StoreResult<()>;

    // ---- audit log ----
    async fn append_audit(&self, entries: Vec<NewAudit>, at: i64) -> StoreResult<()>;
    async fn audit_head(&self) -> StoreResult<Option<Head>>;
    /// Entries with seq > `after_seq`, in order.
    async fn audit_entries(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    async fn add_checkpoint(&self, checkpoint: &Checkpoint) -> StoreResult<()>;
    async fn checkpoints(&self) -> StoreResult<Vec<Checkpoint>>;

    // ---- asynchronous video scan jobs ----
    /// `Conflict` if a job with this id exists.
    async fn create_video_job(&self, job: NewVideoJob) -> StoreResult<VideoJob>;
    async fn video_job(&self, id: &str) -> StoreResult<Option<VideoJob>>;
    /// Takes the oldest queued job: it becomes `running` (attempts + 1, started now). Two
    /// callers never get the same job.
    async fn claim_video_job(&self, now: i64) -> StoreResult<Option<VideoJob>>;
    /// At start-up: jobs left `running` by a stopped process go back to `queued`; returns how many.
    async fn requeue_running_video_jobs(&self) -> StoreResult<u64>;
    /// Ends a running job (`done` or `failed`) and writes its webhooks to the outbox, in one
    /// transaction. `NotFound` if no such job; `Conflict` if it already ended.
    async fn finish_video_job(&self, finish: JobFinish) -> StoreResult<()>;

    async fn counts(&self) -> StoreResult<Counts>;

    /// Flushes and closes (at shutdown); the store is not used afterwards.
    async fn close(&self) {}
}
