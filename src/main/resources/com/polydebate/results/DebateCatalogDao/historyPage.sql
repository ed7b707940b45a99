SELECT d.debate_id, d.market_id, d.market_question, d.market_category, d.status, d.rounds,
       (SELECT COUNT(*) FROM debate_models m WHERE m.debate_id = d.debate_id) AS models_count,
       d.total_tokens_used, d.created_at, d.completed_at
  FROM debates d
 WHERE d.user_id = :userId AND d.is_deleted = FALSE
   AND (:allCategories OR LOWER(d.market_category) IN (<categories>))
   AND (CAST(:status AS TEXT) IS NULL OR d.status = :status)
   AND (CAST(:createdFrom AS TEXT) IS NULL OR d.created_at >= :createdFrom)
   AND (CAST(:createdBefore AS TEXT) IS NULL OR d.created_at < :createdBefore)
 ORDER BY CASE WHEN :byRounds THEN d.rounds ELSE 0 END DESC, d.created_at DESC, d.debate_id ASC
 LIMIT :limit OFFSET :offset
