package com.polydebate.debates;

/** A model taking part in a debate (§18.4 DebateModel). */
record DebateModel(String modelId, String modelName, String provider) {
}
