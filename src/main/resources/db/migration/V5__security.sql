-- Every guess at a verification code is counted on the code itself, whichever IP it comes from:
-- a code with MAX_VERIFICATION_ATTEMPTS guesses is dead.
ALTER TABLE verification_codes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX idx_codes_ip_created ON verification_codes (ip_address, created_at);

-- Timestamped events per limit key (code requests per e-mail and per IP, admin log-in failures per IP
-- and in total), in the database so that every instance sees the same counts.
CREATE TABLE rate_limit_events (
    id          ${auto_id},
    limit_key   TEXT NOT NULL,
    occurred_at TEXT NOT NULL
);
CREATE INDEX idx_rate_limit_key_time ON rate_limit_events (limit_key, occurred_at);
CREATE INDEX idx_rate_limit_time ON rate_limit_events (occurred_at);

-- Signed-out session tokens (their jti), kept until the token would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
CREATE INDEX idx_revoked_tokens_expiry ON revoked_tokens (expires_at);
