SELECT d.debate_id, d.status, d.stopped_by, d.rounds, d.next_turn, d.created_at, d.completed_at,
       (SELECT COUNT(*) FROM messages m WHERE m.debate_id = d.debate_id) AS messages,
       (SELECT COUNT(*) FROM debate_models dm WHERE dm.debate_id = d.debate_id) AS models
  FROM debates d
 WHERE d.status IN ('completed', 'stopped', 'failed')
   AND NOT EXISTS (SELECT 1 FROM debate_events e WHERE e.debate_id = d.debate_id AND e.is_terminal)
   AND (d.lease_owner IS NULL OR d.lease_owner = :me OR d.lease_expires_at < :now)
