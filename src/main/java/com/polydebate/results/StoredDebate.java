package com.polydebate.results;

import com.polydebate.debates.MessageView;
import com.polydebate.debates.OutcomeFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A debate as stored by the engine, with everything a reader needs, loaded in a fixed number of queries; message
 * predictions are in stored (outcome) order.
 */
record StoredDebate(Row row, List<Model> models, List<StoredOutcome> outcomes, List<MessageView> messages) {

    /** The debates row; JSON columns are kept as their stored text. */
    record Row(String debateId, Long userId, String status, boolean paused, String marketId, String marketQuestion,
               String marketDescription, String marketCategory, String polymarketOdds, int rounds,
               boolean independentFirstRound, int currentRound, String finalSummary, String finalPredictions,
               String createdAt, String completedAt) {

        boolean isRunning() {
            return status.equals("initialized") || status.equals("in_progress") || status.equals("paused");
        }

        /** Whole seconds from creation to completion, never negative; empty until the debate completes. */
        Optional<Long> durationSeconds() {
            return completedAt == null ? Optional.empty() : Optional.of(Math.max(0,
                    Duration.between(Instant.parse(createdAt), Instant.parse(completedAt)).getSeconds()));
        }
    }

    record Model(String modelId, String modelName, String provider) {
    }

    record StoredOutcome(String name, String slug, double price, String shares, String volume, Double priceChange24h,
                         String imageUrl) implements OutcomeFilter.Facts {
    }

    List<String> outcomeNames() {
        return outcomes.stream().map(StoredOutcome::name).toList();
    }
}
