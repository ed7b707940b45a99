INSERT INTO debate_scores (debate_id, market_id, scoring_version, status, reason, winner, winner_not_debated, outcomes,
    dispersion_round1, dispersion_final, herding, scored_at)
VALUES (:debateId, :marketId, :scoringVersion, :status, :reason, :winner, :winnerNotDebated, :outcomes,
    :dispersionRound1, :dispersionFinal, :herding, :scoredAt)
ON CONFLICT (debate_id) DO NOTHING
