package com.polydebate.debates;

/**
 * Stores a finished debate's {@code final_predictions} and summary (§11.12 step 4). The engine calls it after
 * persisting {@code completed} and before emitting {@code debate_complete}; the results feature implements it.
 */
@FunctionalInterface
public interface DebateFinalizer {
    void finalizeResults(String debateId);
}
