package com.polydebate.debates;

import java.util.Map;

/** The Message object of §18.7, as stored and as sent in the {@code message} event. */
record MessageView(String messageId, int round, int sequence, String modelId, String modelName, String messageType,
                   String text, Map<String, Double> predictions, String audioUrl, Double audioDuration,
                   String audioError, String timestamp) {
}
