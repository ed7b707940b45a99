package com.polydebate.scores;

import java.util.List;
import java.util.Map;

/**
 * The scores of one debate on a resolved market: {@code scored} with a row per forecaster (each model, the ensemble,
 * the market), or {@code skipped} with the reason. Predictions are percentages over the debated outcomes, in order.
 */
record DebateScore(String debateId, String marketId, String status, String reason, String winner,
                   boolean winnerNotDebated, List<String> outcomes, Double dispersionRound1, Double dispersionFinal,
                   Double herding, String category, String debateDay, List<ForecastScore> forecasts) {
    static final String SCORED = "scored";
    static final String SKIPPED = "skipped";

    static DebateScore skipped(DebateFacts debate, String reason, List<String> outcomes) {
        return new DebateScore(debate.debateId(), debate.marketId(), SKIPPED, reason, null, false, outcomes, null,
                null, null, DebateScorer.category(debate), DebateScorer.day(debate), List.of());
    }

    /**
     * One forecaster's scores. {@code round1Round} is 1 when it forecast in round 1 (else null: a model that failed
     * round 1 has no blind forecast, and none is invented); {@code finalRound} is the round of its last successful
     * forecast. {@code marketBrier} is the market's Brier score on the same debate (null for the market itself).
     */
    record ForecastScore(String kind, String subject, String subjectName, int position, Integer round1Round,
                         Integer finalRound, Map<String, Double> predictionsRound1,
                         Map<String, Double> predictionsFinal,
                         Double brierRound1, double brierFinal, Double logRound1, double logFinal, Double lift,
                         Double marketBrier, Double herding, Calibration calibration) {
        static final String MODEL = "model";
        static final String ENSEMBLE = "ensemble";
        static final String MARKET = "market";

        /** 1 − Brier / Brier(market); null without a market Brier or when the market was perfect. */
        Double skill() {
            return marketBrier == null || marketBrier == 0 ? null : 1 - brierFinal / marketBrier;
        }
    }
}
