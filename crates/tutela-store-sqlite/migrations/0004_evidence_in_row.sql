-- Small sealed evidence (a reported message, the reporter's words, a screenshot) is kept in its
-- row instead of a file of its own: creating one file per text report was the report path's
-- largest cost. Rows kept this way have blob_path '' (the column cannot lose NOT NULL here).
ALTER TABLE evidence ADD COLUMN sealed_blob BLOB;
