SELECT m.model_id, m.model_name, COUNT(DISTINCT d.debate_id) AS usage_count
  FROM debate_models m
  JOIN debates d ON d.debate_id = m.debate_id
 WHERE d.user_id = :userId AND d.is_deleted = FALSE
 GROUP BY m.model_id, m.model_name
 ORDER BY usage_count DESC, m.model_id ASC, m.model_name ASC
 LIMIT 3
