-- A reporter's record counts only their reports whose case has been decided, so only those need
-- to be found by reporter. Indexing every report by its (random) reporter key cost a log page per
-- report on a stream of reports; now a report enters the index when its case is decided (rare,
-- by a reviewer), through `decided`, which the decision's transaction sets.
ALTER TABLE reports ADD COLUMN decided INTEGER NOT NULL DEFAULT 0;
UPDATE reports SET decided = 1 WHERE case_id IN (SELECT case_id FROM decisions);
DROP INDEX IF EXISTS reports_by_reporter;
CREATE INDEX reports_by_reporter ON reports(reporter_key, created_at) WHERE decided = 1;
