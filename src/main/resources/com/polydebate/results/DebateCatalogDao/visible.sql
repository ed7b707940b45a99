SELECT d.debate_id, d.market_id, d.market_question, d.market_category, d.status, d.rounds,
       (SELECT COUNT(*) FROM debate_models m WHERE m.debate_id = d.debate_id) AS models_count,
       d.total_tokens_used, d.created_at, d.completed_at
  FROM debates d
 WHERE d.debate_id IN (<debateIds>) AND d.is_deleted = FALSE
