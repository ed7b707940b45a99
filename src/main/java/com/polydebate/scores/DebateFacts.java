package com.polydebate.scores;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What scoring needs of a stored debate: its outcomes with the market price at the start, its models in order,
 * and every message that carried predictions (percentages, as stored), in emission order.
 */
record DebateFacts(String debateId, String marketId, String status, String category, Instant createdAt,
                   List<OutcomeFact> outcomes, List<ModelFact> models, List<Forecast> forecasts) {

    record OutcomeFact(String name, String slug, double price) {
    }

    record ModelFact(String modelId, String modelName) {
    }

    /** One message's non-empty predictions: outcome name → percentage (0–100). */
    record Forecast(String modelId, int round, int sequence, Map<String, Double> percentages) {
    }

    /**
     * How the debate's market settled: the winning outcome (its name and CLOB token, both empty when no listed
     * outcome won), how many outcomes won, and the moment after which a new debate no longer forecast anything.
     */
    record Settlement(Optional<String> winnerName, Optional<String> winnerToken, int winnerCount,
                      Optional<Instant> cutoff) {
    }
}
