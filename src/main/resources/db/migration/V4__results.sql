-- When the current summary claim (summary_status = 'generating') was taken: a claim older than the
-- generation bound belongs to a crashed instance and may be taken over.
ALTER TABLE debates ADD COLUMN summary_claimed_at TEXT;
