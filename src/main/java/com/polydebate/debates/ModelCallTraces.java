package com.polydebate.debates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** Turns what a model call logged into its stored trace row (issue 15 §3). */
final class ModelCallTraces {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelCallTraces() {
    }

    /** {@code error} null for a call that gave the turn its message. */
    static DebateStore.TraceRow row(String debateId, int turn, int round, String modelId, String messageId,
                                    ModelCallException error, ModelCallLog log, String now) {
        ArrayNode attempts = JSON.createArrayNode();
        for (ModelCallLog.Attempt a : log.attempts()) {
            attempts.addObject()
                    .put("attempt", a.number())
                    .put("status", a.status())
                    .put("error", a.error())
                    .put("latency_ms", a.latencyMillis())
                    .put("time_to_first_token_ms", a.firstTokenMillis());
        }
        ModelCallLog.Usage usage = log.usage();
        try {
            return new DebateStore.TraceRow(debateId, turn, round, modelId, error == null ? messageId : null,
                    error == null ? "message" : error.errorType(), error == null ? null : error.getMessage(),
                    log.request() == null ? "{}" : log.request(), JSON.writeValueAsString(attempts),
                    log.rawAnswer(), log.parseFallback(), log.streamed(), usage.promptTokens(),
                    usage.completionTokens(), usage.reasoningTokens(), usage.totalTokens(), usage.cost(),
                    log.totalMillis(), log.firstTokenMillis(), now);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
