SELECT debate_id, user_id, status, paused, is_deleted AS deleted, market_id, market_question AS question,
       market_description AS description, rounds, independent_first_round, current_round, next_turn,
       started_at, created_at
  FROM debates
 WHERE debate_id = :debateId
