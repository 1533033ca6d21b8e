//! Asynchronous video scan jobs: a large upload is hashed in the background and its scan
//! committed later. The job row survives a restart; the upload waits in the data folder.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// Where a job is in its life: `queued` -> `running` -> `done` | `failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub const ALL: [JobStatus; 4] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Done,
        JobStatus::Failed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    /// Done or failed: nothing more happens to the job.
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::Failed)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for JobStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<JobStatus, String> {
        JobStatus::ALL
            .into_iter()
            .find(|j| j.name() == s)
            .ok_or_else(|| format!("unknown job status {s:?}: use queued, running, done or failed"))
    }
}

/// A job to create: the scan request's metadata (never content) and where the upload waits.
#[derive(Clone, Debug)]
pub struct NewVideoJob {
    /// Unguessable, e.g. `job_<random hex>`.
    pub id: String,
    pub content_id: String,
    /// Who asked (`apikey:<name>`, `user:<name>`): the scan is committed in their name.
    pub actor: String,
    /// The scan request without media (`content_id`, `uploader_id`, `surface`, `context`).
    pub request: Value,
    /// The upload, relative to the data folder.
    pub upload_path: String,
    pub media_type: Option<String>,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VideoJob {
    pub id: String,
    pub content_id: String,
    pub actor: String,
    pub request: Value,
    pub upload_path: String,
    pub media_type: Option<String>,
    pub status: JobStatus,
    /// Times the job was started (more than 1 after a restart interrupted it).
    pub attempts: i64,
    /// The scan answer, once done.
    pub result: Option<Value>,
    /// Why it failed (a reason, never content).
    pub error: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// How a job ended, with the webhooks that announce it (written in the same transaction).
#[derive(Clone, Debug)]
pub struct JobFinish {
    pub id: String,
    /// `Done` or `Failed`.
    pub status: JobStatus,
    pub result: Option<Value>,
    pub error: Option<String>,
    /// The case the scan joined, if any (recorded on the outbox rows).
    pub case_id: Option<i64>,
    pub outbox: Vec<crate::NewOutbox>,
    pub at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_unknown_ones_are_refused() {
        for s in JobStatus::ALL {
            assert_eq!(s.name().parse::<JobStatus>().unwrap(), s);
        }
        assert!("paused".parse::<JobStatus>().is_err());
        assert!(JobStatus::Done.is_final() && !JobStatus::Running.is_final());
    }
}
