INSERT INTO debates (debate_id, user_id, status, market_id, market_question, market_description, market_category,
                     polymarket_odds, rounds, independent_first_round, created_at)
VALUES (:debateId, :userId, 'initialized', :marketId, :question, :description, :category,
        :oddsJson, :rounds, :independentFirstRound, :createdAt)
