-- Several instances share one database: a debate's job runs on whichever instance holds its lease. The owner
-- renews the lease while it runs and every write of the job is fenced by it; an instance that dies simply stops
-- renewing, and another claims the debate once lease_expires_at (fixed-width ISO-8601 text) has passed.
ALTER TABLE debates ADD COLUMN lease_owner TEXT;
ALTER TABLE debates ADD COLUMN lease_expires_at TEXT;
