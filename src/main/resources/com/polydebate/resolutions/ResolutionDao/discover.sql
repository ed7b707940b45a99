INSERT INTO market_resolutions (market_id, state, first_seen_at, changed_at, next_check_at)
SELECT DISTINCT d.market_id, 'unknown', :now, :now, :now
  FROM debates d
 WHERE d.is_deleted = FALSE
   AND NOT EXISTS (SELECT 1 FROM market_resolutions r WHERE r.market_id = d.market_id)
ON CONFLICT (market_id) DO NOTHING
