package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.upstream.RetryPolicy;
import com.polydebate.upstream.Sleeper;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gemini {@code generateContent} (§12.3) on the shared transport. 429 and 5xx are retried ({@link RetryPolicy}:
 * 3 attempts, waits from 2, 4 s or the {@code google.rpc.RetryInfo} delay when the error body carries one), but
 * never past the overall budget of {@code GEMINI_TIMEOUT_SECONDS}: a summary must not hold up debate completion
 * longer than that.
 */
final class GeminiClient {
    private static final Logger log = LoggerFactory.getLogger(GeminiClient.class);
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The answer text, or why there is none. */
    record Result(String text, Failure failure, String detail) {
        static Result text(String text) {
            return new Result(text, null, null);
        }

        static Result failed(Failure failure, String detail) {
            return new Result(null, failure, detail);
        }

        boolean ok() {
            return failure == null;
        }
    }

    enum Failure { ERROR, UNPARSEABLE }

    private final UpstreamHttp http;
    private final ObjectMapper mapper;
    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final RetryPolicy retries;

    GeminiClient(UpstreamHttp http, ObjectMapper mapper, URI apiUrl, String model, String apiKey,
                 Duration timeout, Clock clock, Sleeper sleeper, RandomGenerator jitter) {
        this.http = http;
        this.mapper = mapper;
        this.endpoint = UpstreamHttp.endpoint(apiUrl, "/models/" + model + ":generateContent");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.retries = new RetryPolicy(MAX_ATTEMPTS, FIRST_BACKOFF, MAX_WAIT, clock, sleeper, jitter)
                .withBudget(timeout);
    }

    Result generate(String prompt) {
        byte[] body = requestBody(prompt);
        RetryPolicy.Attempts attempts = retries.start();
        String lastProblem = "no attempt made";
        while (true) {
            Optional<Duration> attemptTimeout = attempts.timeout(timeout);
            if (attemptTimeout.isEmpty()) {
                break;
            }
            UpstreamResponse response;
            try {
                response = http.send(HttpRequest.newBuilder(endpoint)
                        .timeout(attemptTimeout.get())
                        .header("x-goog-api-key", apiKey)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            } catch (UpstreamException e) {
                log.warn("Gemini call failed: {}", e.getMessage());
                return Result.failed(Failure.ERROR, e.isTimeout() ? "timeout" : e.getMessage());
            }
            if (response.isSuccess()) {
                return answerText(response);
            }
            lastProblem = "HTTP " + response.status() + ": " + errorMessage(response);
            boolean retryable = response.status() == 429 || response.status() >= 500;
            try {
                if (!retryable || !attempts.backOff(response)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.failed(Failure.ERROR, "interrupted");
            }
        }
        log.warn("Gemini summary failed: {}", lastProblem);
        return Result.failed(Failure.ERROR, lastProblem);
    }

    private byte[] requestBody(String prompt) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode content = root.putArray("contents").addObject();
        content.put("role", "user");
        content.putArray("parts").addObject().put("text", prompt);
        ObjectNode generation = root.putObject("generationConfig");
        generation.put("responseMimeType", "application/json");
        generation.put("temperature", 0.4);
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The concatenated text parts of the first candidate; none (e.g. MAX_TOKENS spent on thinking) = unparseable. */
    private Result answerText(UpstreamResponse response) {
        JsonNode root;
        try {
            root = mapper.readTree(response.body());
        } catch (IOException e) {
            return Result.failed(Failure.ERROR, "answer is not JSON");
        }
        JsonNode candidate = root.path("candidates").path(0);
        StringBuilder text = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("text").isTextual()) {
                text.append(part.path("text").asText());
            }
        }
        if (text.toString().isBlank()) {
            String reason = candidate.path("finishReason").asText(root.path("promptFeedback").path("blockReason")
                    .asText("no candidates"));
            return Result.failed(Failure.UNPARSEABLE, "empty answer (" + reason + ")");
        }
        return Result.text(text.toString());
    }

    private String errorMessage(UpstreamResponse response) {
        try {
            JsonNode error = mapper.readTree(response.body()).path("error");
            return error.path("status").asText("") + " " + error.path("message").asText("");
        } catch (IOException e) {
            return "unreadable error body";
        }
    }
}
