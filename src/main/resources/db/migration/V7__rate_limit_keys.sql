-- One row per limit key, locked (UPDATE) by every attempt to record an event under that key before it counts:
-- on PostgreSQL (READ COMMITTED) concurrent attempts on one key then queue, so the count-and-insert cannot be
-- passed by two instances at once. SQLite's IMMEDIATE transactions already serialise writers.
CREATE TABLE rate_limit_keys (
    limit_key  TEXT PRIMARY KEY,
    touched_at TEXT NOT NULL
);
CREATE INDEX idx_rate_limit_keys_touched ON rate_limit_keys (touched_at);
