-- Scores of debates whose market resolved, written by the scores feature only (derived data: every row can be
-- recomputed from the debate tables and market_resolutions; rows of an older scoring_version are recomputed).
-- status: scored | skipped (reason says why: debate_after_close, no_forecasts, several_outcomes_won).
CREATE TABLE debate_scores (
    debate_id          TEXT PRIMARY KEY REFERENCES debates (debate_id) ON DELETE CASCADE,
    market_id          TEXT    NOT NULL,
    scoring_version    INTEGER NOT NULL,
    status             TEXT    NOT NULL,
    reason             TEXT,
    winner             TEXT,
    winner_not_debated BOOLEAN NOT NULL DEFAULT FALSE,
    outcomes           TEXT    NOT NULL,
    dispersion_round1  DOUBLE PRECISION,
    dispersion_final   DOUBLE PRECISION,
    herding            DOUBLE PRECISION,
    scored_at          TEXT    NOT NULL
);

-- One row per scored forecaster of a debate: each model (kind 'model', subject = model id), the ensemble and the
-- market at debate start (subject 'ensemble' / 'market'). Probabilities are fractions; predictions_* keep the
-- forecasts as percentages (the API's unit). category (lower case) and debate_day (UTC date of the debate) are
-- copies of the debate's, so that the leaderboard filters without joining.
CREATE TABLE forecast_scores (
    debate_id          TEXT    NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    subject_name       TEXT    NOT NULL,
    category           TEXT    NOT NULL,
    debate_day         TEXT    NOT NULL,
    position           INTEGER NOT NULL,
    round1_round       INTEGER,
    final_round        INTEGER,
    predictions_round1 TEXT,
    predictions_final  TEXT    NOT NULL,
    brier_round1       DOUBLE PRECISION,
    brier_final        DOUBLE PRECISION NOT NULL,
    log_round1         DOUBLE PRECISION,
    log_final          DOUBLE PRECISION NOT NULL,
    lift               DOUBLE PRECISION,
    market_brier       DOUBLE PRECISION,
    herding            DOUBLE PRECISION,
    calibration        TEXT    NOT NULL,
    PRIMARY KEY (kind, subject, debate_id)
);
CREATE INDEX idx_forecast_scores_debate ON forecast_scores (debate_id);

-- The lifts of forecast_scores again (rows that have one), narrow: the leaderboard's bootstrap reads every lift of a
-- forecaster, and from this table that costs a few pages instead of the wide rows. Written with forecast_scores.
CREATE TABLE forecast_lifts (
    debate_id  TEXT NOT NULL REFERENCES debates (debate_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    category   TEXT NOT NULL,
    debate_day TEXT NOT NULL,
    lift       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (kind, subject, debate_id)
);
CREATE INDEX idx_forecast_lifts_debate ON forecast_lifts (debate_id);
CREATE INDEX idx_forecast_lifts_filter ON forecast_lifts (kind, subject, category, debate_day, lift, debate_id);

-- Sums of forecast_scores per forecaster and category, for each UTC month (granularity 'month', bucket 'YYYY-MM')
-- and each UTC day (granularity 'day', bucket 'YYYY-MM-DD') of the debates, kept in the same transaction as the rows
-- they sum. A leaderboard adds up the months (and, from a date in mid-month, that month's remaining days): a few
-- thousand rows instead of every scored forecast. cal_n/p/o{b}: the final forecast's probabilities in bin
-- b = [b/10, (b+1)/10) (1.0 in bin 9): how many, their sum, how many came true.
CREATE TABLE score_rollups (
    granularity     TEXT    NOT NULL,
    bucket          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    subject_name    TEXT    NOT NULL,
    debates         INTEGER NOT NULL,
    n_round1        INTEGER NOT NULL,
    sum_brier_round1 DOUBLE PRECISION NOT NULL,
    sum_log_round1  DOUBLE PRECISION NOT NULL,
    sum_brier_final DOUBLE PRECISION NOT NULL,
    sum_log_final   DOUBLE PRECISION NOT NULL,
    n_lift          INTEGER NOT NULL,
    sum_lift        DOUBLE PRECISION NOT NULL,
    n_skill         INTEGER NOT NULL,
    sum_skill_brier DOUBLE PRECISION NOT NULL,
    sum_skill_market DOUBLE PRECISION NOT NULL,
    n_herding       INTEGER NOT NULL,
    sum_herding     DOUBLE PRECISION NOT NULL,
    cal_n0 INTEGER NOT NULL, cal_p0 DOUBLE PRECISION NOT NULL, cal_o0 INTEGER NOT NULL,
    cal_n1 INTEGER NOT NULL, cal_p1 DOUBLE PRECISION NOT NULL, cal_o1 INTEGER NOT NULL,
    cal_n2 INTEGER NOT NULL, cal_p2 DOUBLE PRECISION NOT NULL, cal_o2 INTEGER NOT NULL,
    cal_n3 INTEGER NOT NULL, cal_p3 DOUBLE PRECISION NOT NULL, cal_o3 INTEGER NOT NULL,
    cal_n4 INTEGER NOT NULL, cal_p4 DOUBLE PRECISION NOT NULL, cal_o4 INTEGER NOT NULL,
    cal_n5 INTEGER NOT NULL, cal_p5 DOUBLE PRECISION NOT NULL, cal_o5 INTEGER NOT NULL,
    cal_n6 INTEGER NOT NULL, cal_p6 DOUBLE PRECISION NOT NULL, cal_o6 INTEGER NOT NULL,
    cal_n7 INTEGER NOT NULL, cal_p7 DOUBLE PRECISION NOT NULL, cal_o7 INTEGER NOT NULL,
    cal_n8 INTEGER NOT NULL, cal_p8 DOUBLE PRECISION NOT NULL, cal_o8 INTEGER NOT NULL,
    cal_n9 INTEGER NOT NULL, cal_p9 DOUBLE PRECISION NOT NULL, cal_o9 INTEGER NOT NULL,
    PRIMARY KEY (granularity, bucket, kind, subject, category)
);

-- The leaderboard leaves out soft-deleted debates; they are few, and this finds them without reading every debate.
CREATE INDEX idx_debates_deleted ON debates (debate_id) WHERE is_deleted = TRUE;
