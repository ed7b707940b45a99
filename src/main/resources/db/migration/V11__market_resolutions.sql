-- How each market that has a debate settled on Polymarket, as the resolution tracker last read it from Gamma.
-- market_id is the Gamma event id (debates.market_id). state: unknown (not read yet) | open | closing (closed,
-- not settled) | proposed | disputed (UMA) | resolved | void (settled 50/50). resolved and void are final.
-- winner_*: the settled outcome of a resolved market (the Yes market of a categorical event, or the side of a binary
-- one), NULL when no listed outcome won; winner_count > 1 when several did. raw holds the Gamma fields the state was
-- read from, as Gamma sent them. Times are fixed-width ISO-8601 UTC text; settled_at and closed_at are Gamma's,
-- NULL when Gamma gives none.
CREATE TABLE market_resolutions (
    market_id     TEXT PRIMARY KEY,
    state         TEXT    NOT NULL,
    winner_name   TEXT,
    winner_token  TEXT,
    winner_count  INTEGER NOT NULL DEFAULT 0,
    settled_at    TEXT,
    closed_at     TEXT,
    raw           TEXT,
    first_seen_at TEXT    NOT NULL,
    checked_at    TEXT,
    changed_at    TEXT    NOT NULL,
    next_check_at TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX idx_market_resolutions_due ON market_resolutions (next_check_at);
CREATE INDEX idx_market_resolutions_changed ON market_resolutions (changed_at);

-- Every state a market was seen in, in order, for the admin view and audits.
CREATE TABLE market_resolution_changes (
    id          ${auto_id},
    market_id   TEXT NOT NULL REFERENCES market_resolutions (market_id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    winner_name TEXT,
    observed_at TEXT NOT NULL
);
CREATE INDEX idx_market_resolution_changes_market ON market_resolution_changes (market_id, id);

-- The tracker's lease: several instances may share this database, and only the holder polls Gamma. The holder
-- renews it after every market; a dead holder's lease expires and another instance takes it.
CREATE TABLE resolution_tracker (
    id               INTEGER PRIMARY KEY,
    lease_owner      TEXT,
    lease_expires_at TEXT,
    last_poll_at     TEXT
);
INSERT INTO resolution_tracker (id) VALUES (1);
