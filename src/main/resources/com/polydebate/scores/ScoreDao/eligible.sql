SELECT d.debate_id
  FROM debates d
  JOIN market_resolutions r ON r.market_id = d.market_id
 WHERE r.state = 'resolved'
   AND d.status = 'completed'
   AND d.is_deleted = FALSE
   AND NOT EXISTS (SELECT 1 FROM debate_scores s WHERE s.debate_id = d.debate_id AND s.scoring_version = :version)
 ORDER BY d.created_at, d.debate_id
 LIMIT :limit
