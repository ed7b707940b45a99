-- Portable between SQLite and PostgreSQL: ${auto_id} is the only dialect-specific piece.
-- Timestamps are fixed-width ISO-8601 UTC text (see Timestamps), so string order equals time order.

CREATE TABLE users (
    id                 ${auto_id},
    email              TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    last_login         TEXT,
    is_active          BOOLEAN NOT NULL DEFAULT TRUE,
    is_admin           BOOLEAN NOT NULL DEFAULT FALSE,
    avatar_url         TEXT,
    tokens_remaining   INTEGER NOT NULL DEFAULT 100000,
    daily_debate_count INTEGER NOT NULL DEFAULT 0,
    last_debate_date   TEXT
);

CREATE TABLE verification_codes (
    id         ${auto_id},
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    name       TEXT,
    code_hash  TEXT NOT NULL,
    code_type  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL,
    ip_address TEXT
);
CREATE INDEX idx_codes_email_type ON verification_codes (email, code_type, used_at);

CREATE TABLE debates (
    debate_id          TEXT PRIMARY KEY,
    user_id            INTEGER REFERENCES users (id),
    status             TEXT    NOT NULL,
    paused             BOOLEAN NOT NULL DEFAULT FALSE,
    is_deleted         BOOLEAN NOT NULL DEFAULT FALSE,
    market_id          TEXT    NOT NULL,
    market_question    TEXT    NOT NULL,
    market_description TEXT    NOT NULL DEFAULT '',
    market_category    TEXT,
    polymarket_odds    TEXT    NOT NULL,
    rounds             INTEGER NOT NULL,
    current_round      INTEGER NOT NULL DEFAULT 0,
    next_turn          INTEGER NOT NULL DEFAULT 0,
    total_tokens_used  INTEGER NOT NULL DEFAULT 0,
    final_summary      TEXT,
    final_predictions  TEXT,
    summary_status     TEXT    NOT NULL DEFAULT 'none',
    stopped_by         TEXT,
    created_at         TEXT    NOT NULL,
    started_at         TEXT,
    completed_at       TEXT,
    last_event_seq     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_debates_created ON debates (created_at);
CREATE INDEX idx_debates_user ON debates (user_id, created_at);
CREATE INDEX idx_debates_market ON debates (market_id, created_at);
CREATE INDEX idx_debates_status ON debates (status);

CREATE TABLE debate_models (
    debate_id  TEXT    NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    model_id   TEXT    NOT NULL,
    model_name TEXT    NOT NULL,
    provider   TEXT    NOT NULL,
    PRIMARY KEY (debate_id, position)
);
CREATE INDEX idx_debate_models_model ON debate_models (model_id);

CREATE TABLE debate_outcomes (
    debate_id        TEXT    NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    slug             TEXT,
    price            DOUBLE PRECISION NOT NULL,
    shares           TEXT,
    volume           TEXT,
    price_change_24h DOUBLE PRECISION,
    image_url        TEXT,
    PRIMARY KEY (debate_id, position)
);

CREATE TABLE messages (
    message_id     TEXT PRIMARY KEY,
    debate_id      TEXT    NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    round          INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    turn_index     INTEGER NOT NULL,
    model_id       TEXT    NOT NULL,
    model_name     TEXT    NOT NULL,
    message_type   TEXT    NOT NULL,
    text           TEXT    NOT NULL,
    audio_url      TEXT,
    audio_duration DOUBLE PRECISION,
    audio_error    TEXT,
    tokens_used    INTEGER NOT NULL DEFAULT 0,
    timestamp      TEXT    NOT NULL,
    UNIQUE (debate_id, sequence),
    UNIQUE (debate_id, turn_index)
);

CREATE TABLE message_predictions (
    message_id   TEXT    NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    outcome_name TEXT    NOT NULL,
    percentage   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (message_id, position)
);

CREATE TABLE debate_events (
    debate_id  TEXT    NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    event      TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (debate_id, seq)
);

CREATE TABLE user_favorites (
    id         ${auto_id},
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    market_id  TEXT    NOT NULL,
    debate_id  TEXT,
    created_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX uq_favorite_debate ON user_favorites (user_id, debate_id) WHERE debate_id IS NOT NULL;
CREATE UNIQUE INDEX uq_favorite_market ON user_favorites (user_id, market_id) WHERE debate_id IS NULL;
CREATE INDEX idx_favorites_user ON user_favorites (user_id, created_at);
