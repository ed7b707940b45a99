package com.polydebate.debates;

import java.util.ArrayList;
import java.util.List;

/**
 * What one model call did, for its trace: the request body sent (the API key travels only in a header and is never
 * here), every attempt, the raw answer text and the usage OpenRouter reported. Filled by the call's thread and read
 * by the job once the call's future is done (which orders the two).
 */
final class ModelCallLog {
    /** One HTTP attempt; {@code status} null when no answer came, {@code firstTokenMillis} null before any token. */
    record Attempt(int number, Integer status, String error, long latencyMillis, Long firstTokenMillis) {
    }

    /** Token counts and cost as OpenRouter reported them; each null when it did not say. */
    record Usage(Long promptTokens, Long completionTokens, Long reasoningTokens, Long totalTokens, Double cost) {
        static final Usage NONE = new Usage(null, null, null, null, null);
    }

    private String request;
    private final List<Attempt> attempts = new ArrayList<>();
    private String rawAnswer;
    private Usage usage = Usage.NONE;
    private boolean streamed;
    private long totalMillis;
    private String parseFallback;

    void request(String body) {
        this.request = body;
    }

    void attempt(Attempt attempt) {
        attempts.add(attempt);
    }

    void answer(String raw, Usage usage, boolean streamed) {
        this.rawAnswer = raw;
        this.usage = usage;
        this.streamed = streamed;
    }

    /** Usage of a failed attempt still counts: OpenRouter bills tokens generated before a mid-stream error. */
    void usage(Usage usage) {
        this.usage = usage;
    }

    void totalMillis(long millis) {
        this.totalMillis = millis;
    }

    void parseFallback(String fallback) {
        this.parseFallback = fallback;
    }

    /** The whole call, waits between attempts included. */
    long totalMillis() {
        return totalMillis;
    }

    String parseFallback() {
        return parseFallback;
    }

    String request() {
        return request;
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    String rawAnswer() {
        return rawAnswer;
    }

    Usage usage() {
        return usage;
    }

    boolean streamed() {
        return streamed;
    }

    /** Time to first token of the last attempt that produced one (the answering attempt when the call succeeded). */
    Long firstTokenMillis() {
        return attempts.stream().filter(a -> a.firstTokenMillis() != null).map(Attempt::firstTokenMillis)
                .reduce((first, later) -> later).orElse(null);
    }
}
