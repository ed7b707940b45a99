package com.polydebate.debates;

/** Where the engine reports how fast each answered model call was (the metrics endpoint's timers). */
public interface ModelCallMetrics {
    ModelCallMetrics NONE = (modelId, firstTokenMillis, completionTokens, generationMillis) -> { };

    /**
     * One call that gave its turn a message: {@code firstTokenMillis} from the answering attempt's request to its
     * first token (null when unknown), {@code completionTokens} as reported (null when not), generated over
     * {@code generationMillis} (first token to the end of the answer).
     */
    void answered(String modelId, Long firstTokenMillis, Long completionTokens, long generationMillis);
}
