-- Tutela engine schema (SQLite). Times are Unix seconds. JSON columns hold JSON text.
-- Portable on purpose (BIGINT ids, no RETURNING * guessing) so a PostgreSQL backend can mirror it.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    content_id TEXT NOT NULL UNIQUE,
    uploader_id TEXT,
    surface TEXT NOT NULL,
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    response TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    content_id TEXT,
    uploader_id TEXT,
    surface TEXT NOT NULL,
    queue TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    due_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    assigned_to BIGINT REFERENCES users(id),
    lock_until BIGINT,
    media_hashes TEXT NOT NULL,
    bank_on_confirm TEXT NOT NULL
);
CREATE INDEX cases_by_queue ON cases(status, priority DESC, due_at, created_at);
CREATE INDEX cases_by_subject ON cases(subject_kind, subject_id, status);
CREATE INDEX cases_by_content ON cases(content_id);
CREATE INDEX cases_by_uploader ON cases(uploader_id);

CREATE TABLE signals (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    scan_id BIGINT REFERENCES scans(id),
    details TEXT NOT NULL
);
CREATE INDEX signals_by_case ON signals(case_id);

-- Every decision is history: never updated, never deleted.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    policy_id TEXT NOT NULL,
    ground TEXT NOT NULL,
    explanation TEXT NOT NULL,
    action TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX decisions_by_case ON decisions(case_id);
CREATE TRIGGER decisions_are_append_only_u BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_are_append_only_d BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    case_id BIGINT REFERENCES cases(id),
    content_id TEXT,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    blob_path TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    retain_until BIGINT NOT NULL,
    legal_hold INTEGER NOT NULL DEFAULT 0,
    purged_at BIGINT
);
CREATE INDEX evidence_by_case ON evidence(case_id);
CREATE INDEX evidence_by_retention ON evidence(purged_at, legal_hold, retain_until);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    case_id BIGINT REFERENCES cases(id),
    content_id TEXT,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    last_error TEXT,
    delivered_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_case ON outbox(case_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    head_hash TEXT NOT NULL,
    at BIGINT NOT NULL,
    signature TEXT NOT NULL
);
