-- Issue 15 §3: the trace of every model call of a debate, kept TRACE_RETENTION_DAYS (then purged by a background
-- task). request is the JSON body sent to OpenRouter (model, messages, parameters); the API key travels in a
-- header and is never stored. attempts is a JSON array of {attempt, status, error, latency_ms,
-- time_to_first_token_ms}. Token counts and cost are NULL when OpenRouter did not report them.
CREATE TABLE model_call_traces (
    id                     ${auto_id},
    debate_id              TEXT    NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    turn                   INTEGER NOT NULL,
    round                  INTEGER NOT NULL,
    model_id               TEXT    NOT NULL,
    message_id             TEXT,
    outcome                TEXT    NOT NULL,
    error                  TEXT,
    request                TEXT    NOT NULL,
    attempts               TEXT    NOT NULL,
    raw_answer             TEXT,
    parse_fallback         TEXT,
    streamed               BOOLEAN NOT NULL,
    prompt_tokens          BIGINT,
    completion_tokens      BIGINT,
    reasoning_tokens       BIGINT,
    total_tokens           BIGINT,
    cost                   DOUBLE PRECISION,
    latency_ms             BIGINT  NOT NULL,
    time_to_first_token_ms BIGINT,
    created_at             TEXT    NOT NULL
);
CREATE INDEX idx_traces_debate ON model_call_traces (debate_id, id);
CREATE INDEX idx_traces_created ON model_call_traces (created_at);
CREATE INDEX idx_traces_model ON model_call_traces (model_id);

-- Per debate totals that outlive the traces: total_cost sums the costs OpenRouter reported; calls_without_cost
-- counts the calls that reported none, so a total with gaps is shown as unknown (NULL) rather than too low.
ALTER TABLE debates ADD COLUMN total_cost DOUBLE PRECISION;
ALTER TABLE debates ADD COLUMN calls_without_cost INTEGER NOT NULL DEFAULT 0;
