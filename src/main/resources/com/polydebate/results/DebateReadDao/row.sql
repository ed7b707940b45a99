SELECT debate_id, user_id, status, paused, market_id, market_question, market_description, market_category,
       polymarket_odds, rounds, independent_first_round, current_round, final_summary, final_predictions, created_at, completed_at
  FROM debates
 WHERE debate_id = :debateId AND is_deleted = FALSE
