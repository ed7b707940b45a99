SELECT debate_id, market_id, market_question, user_id, status, is_deleted AS deleted, created_at,
       total_tokens_used AS total_tokens,
       CASE WHEN calls_without_cost = 0 THEN total_cost END AS total_cost
  FROM debates
 ORDER BY created_at DESC, debate_id DESC
 LIMIT :limit
