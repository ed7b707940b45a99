package com.polydebate.debates;

import java.util.Map;

/**
 * The Message object of §18.7, as stored and as sent in the {@code message} event; public because the results
 * documents render the same shape from the stored rows, and one record keeps the two from drifting apart.
 */
public record MessageView(String messageId, int round, int sequence, String modelId, String modelName, String messageType,
                   String text, Map<String, Double> predictions, String audioUrl, Double audioDuration,
                   String audioError, String timestamp) {
}
