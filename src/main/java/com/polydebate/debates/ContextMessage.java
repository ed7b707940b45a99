package com.polydebate.debates;

import java.util.Map;

/** An earlier debate message as the next prompts quote it. */
record ContextMessage(String modelName, String text, Map<String, Double> predictions) {
}
