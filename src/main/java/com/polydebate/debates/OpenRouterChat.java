package com.polydebate.debates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.config.Config;
import com.polydebate.upstream.RetryPolicy;
import com.polydebate.upstream.Sleeper;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.random.RandomGenerator;

/**
 * OpenRouter chat completions (§11.5): one blocking call per turn with a per-attempt timeout, retries on HTTP
 * 429 only (up to 5 attempts, waits from 2, 4, 8, 16 s or Retry-After if longer, each capped at 30 s, see
 * {@link RetryPolicy}). Other non-2xx answers, 5xx included, are not retried, as the contract says.
 */
final class OpenRouterChat {
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The model's answer text and the tokens it cost (0 when the upstream did not say). */
    record ChatResult(String content, long totalTokens) {
    }

    private final UpstreamHttp http;
    private final ObjectMapper mapper;
    private final Config config;
    private final RetryPolicy retries;

    OpenRouterChat(UpstreamHttp http, ObjectMapper mapper, Config config, Clock clock, Sleeper sleeper,
                   RandomGenerator jitter) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
        this.retries = new RetryPolicy(MAX_ATTEMPTS, FIRST_BACKOFF, MAX_WAIT, clock, sleeper, jitter);
    }

    ChatResult complete(String modelId, List<PromptBuilder.ChatMessage> messages, int maxTokens)
            throws ModelCallException, InterruptedException {
        String body = requestBody(modelId, messages, maxTokens);
        RetryPolicy.Attempts attempts = retries.start();
        while (true) {
            UpstreamResponse response = attempt(body);
            if (response.status() == 429) {
                if (!attempts.backOff(response)) {
                    throw new ModelCallException(ModelCallException.RATE_LIMIT,
                            "HTTP 429 after " + attempts.failed() + " attempts");
                }
                continue;
            }
            if (!response.isSuccess()) {
                String text = response.bodyText();
                String lower = text.toLowerCase(Locale.ROOT);
                boolean rateLimited = lower.contains("rate limit") || lower.contains("rate-limit")
                        || lower.contains("too many requests");
                throw new ModelCallException(rateLimited ? ModelCallException.RATE_LIMIT : ModelCallException.ERROR,
                        "HTTP " + response.status() + upstreamMessage(text));
            }
            return read(response);
        }
    }

    private UpstreamResponse attempt(String body) throws ModelCallException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        UpstreamHttp.endpoint(config.openRouterApiUrl(), "/chat/completions"))
                .timeout(Duration.ofSeconds(config.modelTimeoutSeconds()))
                .header("Authorization", "Bearer " + config.openRouterApiKey().orElse(""))
                .header("Content-Type", "application/json")
                .header("HTTP-Referer", config.primaryFrontendUrl())
                .header("X-Title", config.appName())
                .header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        CompletableFuture<UpstreamResponse> future = http.sendAsync(request);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new InterruptedException("cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UpstreamException upstream && upstream.isTimeout()) {
                throw new ModelCallException(ModelCallException.TIMEOUT,
                        "No answer within " + config.modelTimeoutSeconds() + " s");
            }
            throw new ModelCallException(ModelCallException.ERROR,
                    cause instanceof UpstreamException ? cause.getMessage() : "Request failed: " + cause);
        }
    }

    private ChatResult read(UpstreamResponse response) throws ModelCallException {
        JsonNode root;
        try {
            root = mapper.readTree(response.body());
        } catch (Exception e) {
            throw new ModelCallException(ModelCallException.ERROR, "OpenRouter answered with malformed JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ModelCallException(ModelCallException.ERROR, "OpenRouter answered with malformed JSON");
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String message = error.path("message").asText(error.toString());
            String lower = message.toLowerCase(Locale.ROOT);
            boolean rateLimited = lower.contains("rate limit") || lower.contains("rate-limit")
                    || lower.contains("too many requests") || error.path("code").asInt() == 429;
            throw new ModelCallException(rateLimited ? ModelCallException.RATE_LIMIT : ModelCallException.ERROR,
                    "OpenRouter error: " + shorten(message));
        }
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new ModelCallException(ModelCallException.ERROR, "OpenRouter answered without choices");
        }
        JsonNode content = choices.get(0).path("message").get("content");
        if (content == null || content.isNull()) {
            throw new ModelCallException(ModelCallException.INVALID_RESPONSE, "The answer had no content");
        }
        String text = content.isTextual() ? content.asText() : content.toString();
        if (text.isBlank()) {
            throw new ModelCallException(ModelCallException.INVALID_RESPONSE, "The answer was empty");
        }
        long tokens = root.path("usage").path("total_tokens").asLong(0);
        return new ChatResult(text, tokens);
    }

    private String requestBody(String modelId, List<PromptBuilder.ChatMessage> messages, int maxTokens) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", modelId);
        ArrayNode list = body.putArray("messages");
        for (PromptBuilder.ChatMessage m : messages) {
            list.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("temperature", 0.7);
        body.put("max_tokens", maxTokens);
        return body.toString();
    }

    private String upstreamMessage(String body) {
        try {
            JsonNode message = mapper.readTree(body).path("error").path("message");
            return message.isTextual() ? ": " + shorten(message.asText()) : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
