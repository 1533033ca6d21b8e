-- Reports from people and appeals from affected users (issue 5).

-- A report joins the case of its subject. What identifies the reporter is a keyed hash
-- (flood control only) and, if they asked for updates, a sealed contact.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    receipt_hash TEXT NOT NULL UNIQUE,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    reason TEXT NOT NULL,
    in_danger INTEGER NOT NULL,
    for_friend INTEGER NOT NULL,
    channel TEXT NOT NULL,
    content_id TEXT,
    account_id TEXT,
    content_url TEXT,
    platform_report_id TEXT,
    reporter_key TEXT,
    reporter_is_child INTEGER,
    lang TEXT,
    country TEXT,
    contact_key BLOB,
    contact_blob BLOB,
    flagged INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    due_at BIGINT
);
CREATE INDEX reports_by_case ON reports(case_id);
CREATE INDEX reports_by_reporter ON reports(reporter_key, created_at);

-- The code an affected user appeals with: one per appealable decision.
CREATE TABLE appeal_codes (
    code_hash TEXT PRIMARY KEY,
    decision_id BIGINT NOT NULL UNIQUE REFERENCES decisions(id),
    case_id BIGINT NOT NULL REFERENCES cases(id),
    appeal_until BIGINT NOT NULL
);

-- One appeal per decision; decided by a reviewer other than the appealed decision's.
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    receipt_hash TEXT NOT NULL UNIQUE,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    decision_id BIGINT NOT NULL UNIQUE REFERENCES decisions(id),
    appealed_reviewer_id BIGINT NOT NULL REFERENCES users(id),
    statement TEXT NOT NULL,
    channel TEXT NOT NULL,
    lang TEXT,
    contact_key BLOB,
    contact_blob BLOB,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    resolved_by BIGINT REFERENCES decisions(id)
);
CREATE INDEX appeals_by_case ON appeals(case_id, status);
