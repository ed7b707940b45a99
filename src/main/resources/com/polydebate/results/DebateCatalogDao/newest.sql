SELECT debate_id, market_id, market_question, user_id, status, is_deleted AS deleted, created_at
  FROM debates
 ORDER BY created_at DESC, debate_id DESC
 LIMIT :limit
