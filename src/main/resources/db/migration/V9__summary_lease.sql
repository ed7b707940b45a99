-- The summary's single-flight claim is a lease, like a debate's job (V8): the instance generating a summary
-- (summary_owner, its INSTANCE_ID) holds it under a claim token of its own (summary_claim) until
-- summary_lease_expires_at (fixed-width ISO-8601 text), renews it while it generates, and stores the summary only
-- while the token is still the current one. Another instance takes the claim over only once the lease has expired
-- (its holder died), never because of the claim's age, which replaces summary_claimed_at.
ALTER TABLE debates ADD COLUMN summary_owner TEXT;
ALTER TABLE debates ADD COLUMN summary_claim TEXT;
ALTER TABLE debates ADD COLUMN summary_lease_expires_at TEXT;
ALTER TABLE debates DROP COLUMN summary_claimed_at;
