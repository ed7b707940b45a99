UPDATE debate_scores
   SET scoring_version = :scoringVersion, status = :status, reason = :reason, winner = :winner,
       winner_not_debated = :winnerNotDebated, outcomes = :outcomes, dispersion_round1 = :dispersionRound1,
       dispersion_final = :dispersionFinal, herding = :herding, scored_at = :scoredAt
 WHERE debate_id = :debateId AND scoring_version = :oldVersion
