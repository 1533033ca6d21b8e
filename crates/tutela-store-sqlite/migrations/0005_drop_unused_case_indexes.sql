-- No query looks cases up by content id or uploader alone (the console's case search matches
-- several columns and a title substring, which SQLite answers with a scan either way), yet every
-- new case paid a random-key insert into each of these indexes: on a stream of reports they were
-- a log page per report for nothing.
DROP INDEX IF EXISTS cases_by_content;
DROP INDEX IF EXISTS cases_by_uploader;
