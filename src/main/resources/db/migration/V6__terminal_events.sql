-- A debate ends with exactly one terminal event (debate_complete, debate_stopped or a fatal debate_error):
-- marked in a column, so that readers need not match JSON text, and unique per debate, so that two writers
-- (a stop request and start-up recovery, or two instances) cannot both append one.
ALTER TABLE debate_events ADD COLUMN is_terminal BOOLEAN NOT NULL DEFAULT FALSE;

-- Older databases may already hold a duplicate; the first terminal event of each debate is the one kept marked.
UPDATE debate_events SET is_terminal = TRUE
 WHERE seq = (SELECT MIN(e.seq) FROM debate_events e
               WHERE e.debate_id = debate_events.debate_id
                 AND (e.event IN ('debate_complete', 'debate_stopped')
                      OR (e.event = 'debate_error' AND e.data LIKE '%"fatal":true%')));

CREATE UNIQUE INDEX ux_debate_events_terminal ON debate_events (debate_id) WHERE is_terminal;
