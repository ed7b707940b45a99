-- Issue 14 §1: with independent_first_round, every model answers round 1 from the market alone (a blind
-- forecast) and the round-1 calls run together. Debates created before this column ran round 1 in turn, each
-- model seeing the earlier answers, so they read as FALSE.
ALTER TABLE debates ADD COLUMN independent_first_round BOOLEAN NOT NULL DEFAULT FALSE;
