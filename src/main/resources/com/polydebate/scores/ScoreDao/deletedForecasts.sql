SELECT kind, subject, subject_name, category, debate_day, position, round1_round, final_round, predictions_round1,
       predictions_final, brier_round1, brier_final, log_round1, log_final, lift, market_brier, herding, calibration
  FROM forecast_scores
 WHERE debate_id IN (SELECT debate_id FROM debates WHERE is_deleted = TRUE)
   AND (CAST(:category AS TEXT) IS NULL OR category = :category)
   AND (CAST(:since AS TEXT) IS NULL OR debate_day >= :since)
