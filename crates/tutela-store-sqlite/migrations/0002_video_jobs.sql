-- Asynchronous video scan jobs (large uploads hashed in the background). A row holds the scan
-- request's metadata and where the upload waits in the data folder, never content; it survives
-- a restart (jobs left running are queued again at start-up).
CREATE TABLE video_jobs (
    id TEXT PRIMARY KEY,
    content_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    request TEXT NOT NULL,
    upload_path TEXT NOT NULL,
    media_type TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);

CREATE INDEX video_jobs_by_status ON video_jobs (status, created_at);
