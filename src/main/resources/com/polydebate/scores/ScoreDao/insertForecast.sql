INSERT INTO forecast_scores (debate_id, kind, subject, subject_name, category, debate_day, position, round1_round,
    final_round, predictions_round1, predictions_final, brier_round1, brier_final, log_round1, log_final, lift,
    market_brier, herding, calibration)
VALUES (:debateId, :kind, :subject, :subjectName, :category, :debateDay, :position, :round1Round, :finalRound,
    :predictionsRound1, :predictionsFinal, :brierRound1, :brierFinal, :logRound1, :logFinal, :lift, :marketBrier,
    :herding, :calibration)
