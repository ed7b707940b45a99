SELECT debate_id, user_id, status, paused, market_id, market_question, market_description, market_category,
       polymarket_odds, rounds, independent_first_round, current_round, final_summary, final_predictions, created_at, completed_at,
       (SELECT COUNT(*) FROM messages m WHERE m.debate_id = debates.debate_id) AS total_messages
  FROM debates
 WHERE is_deleted = FALSE
   AND (CAST(:status AS TEXT) IS NULL OR status = :status)
 ORDER BY created_at DESC, debate_id DESC
 LIMIT :limit OFFSET :offset
