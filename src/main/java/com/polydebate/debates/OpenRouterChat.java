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
import com.polydebate.upstream.StreamedResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.random.RandomGenerator;

/**
 * OpenRouter chat completions (§11.5, streamed since issue 15): the answer is asked for as server-sent events
 * ({@code stream: true}, usage in the last chunk) and each content fragment is handed to a {@link StreamListener} as it
 * arrives; a provider that answers with a plain JSON body anyway is read as before. An attempt must see its first
 * byte and then never wait longer than {@code MODEL_IDLE_TIMEOUT_SECONDS} between two chunks (keep-alive comments
 * count), all within {@code MODEL_TIMEOUT_SECONDS}. Retried (up to 5 attempts, waits from 2, 4, 8, 16 s or
 * Retry-After if longer, each capped at 30 s, see {@link RetryPolicy}): HTTP 429, and a stream that fails after it
 * began (an {@code error} chunk, {@code finish_reason: "error"}, or a connection cut before the end). Other non-2xx
 * answers, 5xx included, and timeouts are not retried, as the contract says.
 */
final class OpenRouterChat {
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The model's answer text and the tokens it cost (0 when the upstream did not say). */
    record ChatResult(String content, long totalTokens) {
    }

    /** Sees the answer's content as it streams in; called on the call's thread. */
    interface StreamListener {
        StreamListener NONE = new StreamListener() {
            @Override
            public void attemptStarted(int attempt) {
            }

            @Override
            public void content(String fragment) {
            }
        };

        /** A new attempt begins: content seen so far is void. */
        void attemptStarted(int attempt);

        void content(String fragment);
    }

    /** An attempt that failed in a way worth another attempt. */
    private static final class Retryable extends Exception {
        final ModelCallException failure;
        final UpstreamResponse answer;

        Retryable(ModelCallException failure, UpstreamResponse answer) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
            this.answer = answer;
        }
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
        return complete(modelId, messages, maxTokens, StreamListener.NONE, new ModelCallLog());
    }

    ChatResult complete(String modelId, List<PromptBuilder.ChatMessage> messages, int maxTokens,
                        StreamListener listener, ModelCallLog log) throws ModelCallException, InterruptedException {
        String body = requestBody(modelId, messages, maxTokens);
        log.request(body);
        long callStarted = System.nanoTime();
        try {
            return attempts(body, listener, log);
        } finally {
            log.totalMillis((System.nanoTime() - callStarted) / 1_000_000);
        }
    }

    private ChatResult attempts(String body, StreamListener listener, ModelCallLog log)
            throws ModelCallException, InterruptedException {
        RetryPolicy.Attempts attempts = retries.start();
        while (true) {
            int number = attempts.failed() + 1;
            listener.attemptStarted(number);
            AttemptClock timing = new AttemptClock();
            try {
                ChatResult result = attempt(body, listener, log, timing);
                log.attempt(new ModelCallLog.Attempt(number, timing.status, null, timing.elapsed(),
                        timing.firstToken));
                return result;
            } catch (Retryable r) {
                log.attempt(new ModelCallLog.Attempt(number, timing.status, r.failure.getMessage(), timing.elapsed(),
                        timing.firstToken));
                if (!attempts.backOff(r.answer)) {
                    throw r.answer.status() == 429
                            ? new ModelCallException(ModelCallException.RATE_LIMIT,
                                    "HTTP 429 after " + attempts.failed() + " attempts")
                            : r.failure;
                }
            } catch (ModelCallException e) {
                log.attempt(new ModelCallLog.Attempt(number, timing.status, e.getMessage(), timing.elapsed(),
                        timing.firstToken));
                throw e;
            }
        }
    }

    /**
     * An attempt's elapsed time (monotonic, for latencies and the timeout), what it answered and when its first
     * token came.
     */
    private final class AttemptClock {
        final long startNanos = System.nanoTime();
        Integer status;
        Long firstToken;

        long elapsed() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        void token() {
            if (firstToken == null) {
                firstToken = elapsed();
            }
        }

        /** What is left of the attempt's {@code MODEL_TIMEOUT_SECONDS}. */
        Duration left() {
            return Duration.ofSeconds(config.modelTimeoutSeconds()).minusMillis(elapsed());
        }
    }

    private ChatResult attempt(String body, StreamListener listener, ModelCallLog log, AttemptClock timing)
            throws ModelCallException, Retryable, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        UpstreamHttp.endpoint(config.openRouterApiUrl(), "/chat/completions"))
                .header("Authorization", "Bearer " + config.openRouterApiKey().orElse(""))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("HTTP-Referer", config.primaryFrontendUrl())
                .header("X-Title", config.appName())
                .header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        CompletableFuture<StreamedResponse> future = http.openStream(request, timing.left());
        StreamedResponse response;
        try {
            response = future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            future.thenAccept(StreamedResponse::close);
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
        try (response) {
            timing.status = response.status();
            boolean eventStream = response.headers().firstValue("Content-Type")
                    .map(t -> t.toLowerCase(Locale.ROOT).startsWith("text/event-stream")).orElse(false);
            if (response.status() < 200 || response.status() >= 300 || !eventStream) {
                UpstreamResponse whole = new UpstreamResponse(response.status(), response.headers(),
                        readAll(response, timing));
                if (whole.status() == 429) {
                    throw new Retryable(new ModelCallException(ModelCallException.RATE_LIMIT, "HTTP 429"), whole);
                }
                if (!whole.isSuccess()) {
                    String text = whole.bodyText();
                    throw new ModelCallException(rateLimited(text) ? ModelCallException.RATE_LIMIT
                            : ModelCallException.ERROR, "HTTP " + whole.status() + upstreamMessage(text));
                }
                return read(whole, log);
            }
            return readStream(response, listener, log, timing);
        }
    }

    /** The next chunk within the idle timeout and what is left of the attempt; null at the end of the body. */
    private byte[] nextChunk(StreamedResponse response, AttemptClock timing) throws ModelCallException,
            InterruptedException, Retryable {
        Duration left = timing.left();
        Duration idle = Duration.ofSeconds(config.modelIdleTimeoutSeconds());
        boolean idleBound = idle.compareTo(left) < 0;
        try {
            return response.next(idleBound ? idle : left);
        } catch (TimeoutException e) {
            throw new ModelCallException(ModelCallException.TIMEOUT, idleBound
                    ? "No data for " + config.modelIdleTimeoutSeconds() + " s in the middle of the answer"
                    : "No complete answer within " + config.modelTimeoutSeconds() + " s");
        } catch (IOException e) {
            throw new Retryable(new ModelCallException(ModelCallException.ERROR,
                    "The answer broke off: " + e.getMessage()), emptyAnswer(response));
        }
    }

    private byte[] readAll(StreamedResponse response, AttemptClock timing) throws ModelCallException,
            InterruptedException, Retryable {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = nextChunk(response, timing)) != null) {
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    private static UpstreamResponse emptyAnswer(StreamedResponse response) {
        return new UpstreamResponse(response.status(), response.headers(), new byte[0]);
    }

    /**
     * Reads the server-sent events: {@code data:} lines carry one JSON chunk each, lines starting with {@code :}
     * are keep-alive comments, {@code data: [DONE]} ends the answer. Lines are split at the newline byte, which never
     * occurs inside a multi-byte UTF-8 character, so a character split across two chunks is decoded whole.
     */
    private ChatResult readStream(StreamedResponse response, StreamListener listener, ModelCallLog log,
                                  AttemptClock timing) throws ModelCallException, Retryable, InterruptedException {
        StringBuilder content = new StringBuilder();
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        StringBuilder data = new StringBuilder();
        StreamState state = new StreamState();
        byte[] chunk;
        while (!state.done && (chunk = nextChunk(response, timing)) != null) {
            for (byte b : chunk) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    if (data.length() > 0) {
                        onEvent(data.toString(), content, listener, log, timing, state, response);
                        data.setLength(0);
                    }
                } else if (text.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(text.substring(text.startsWith("data: ") ? 6 : 5));
                }
                // ":" comments (OpenRouter's "OPENROUTER PROCESSING") and other fields keep the stream alive only.
                if (state.done) {
                    break;
                }
            }
        }
        if (!state.done && data.length() > 0) {
            onEvent(data.toString(), content, listener, log, timing, state, response);
        }
        if (!state.done && state.finishReason == null) {
            throw new Retryable(new ModelCallException(ModelCallException.ERROR,
                    "The answer stream ended before it was complete"), emptyAnswer(response));
        }
        String text = content.toString();
        log.answer(text, state.usage, true);
        if (text.isBlank()) {
            throw new ModelCallException(ModelCallException.INVALID_RESPONSE, "The answer was empty");
        }
        return new ChatResult(text, state.usage.totalTokens() == null ? 0 : state.usage.totalTokens());
    }

    private static final class StreamState {
        boolean done;
        String finishReason;
        ModelCallLog.Usage usage = ModelCallLog.Usage.NONE;
    }

    private void onEvent(String data, StringBuilder content, StreamListener listener, ModelCallLog log,
                         AttemptClock timing, StreamState state, StreamedResponse response)
            throws ModelCallException, Retryable {
        if (data.strip().equals("[DONE]")) {
            state.done = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data);
        } catch (IOException e) {
            throw new ModelCallException(ModelCallException.ERROR, "OpenRouter streamed malformed JSON");
        }
        if (chunk == null || !chunk.isObject()) {
            throw new ModelCallException(ModelCallException.ERROR, "OpenRouter streamed malformed JSON");
        }
        if (chunk.has("usage") && chunk.get("usage").isObject()) {
            state.usage = usage(chunk.get("usage"));
            log.usage(state.usage);
        }
        JsonNode error = chunk.get("error");
        JsonNode choice = chunk.path("choices").path(0);
        String finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null;
        if ((error != null && !error.isNull()) || "error".equals(finish)) {
            String message = error != null && !error.isNull() ? error.path("message").asText(error.toString())
                    : "finish_reason error";
            boolean rateLimited = rateLimited(message) || (error != null && error.path("code").asInt() == 429);
            throw new Retryable(new ModelCallException(rateLimited ? ModelCallException.RATE_LIMIT
                    : ModelCallException.ERROR, "OpenRouter error mid-stream: " + shorten(message)),
                    emptyAnswer(response));
        }
        JsonNode delta = choice.path("delta");
        JsonNode piece = delta.get("content");
        if (piece != null && piece.isTextual() && !piece.asText().isEmpty()) {
            timing.token();
            content.append(piece.asText());
            listener.content(piece.asText());
        } else if (delta.path("reasoning").isTextual() && !delta.path("reasoning").asText().isEmpty()) {
            timing.token();
        }
        if (finish != null) {
            state.finishReason = finish;
        }
    }

    private ModelCallLog.Usage usage(JsonNode usage) {
        return new ModelCallLog.Usage(number(usage.get("prompt_tokens")), number(usage.get("completion_tokens")),
                number(usage.path("completion_tokens_details").get("reasoning_tokens")),
                number(usage.get("total_tokens")),
                usage.hasNonNull("cost") && usage.get("cost").isNumber() ? usage.get("cost").asDouble() : null);
    }

    private static Long number(JsonNode node) {
        return node != null && node.isNumber() ? node.asLong() : null;
    }

    private static boolean rateLimited(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("rate limit") || lower.contains("rate-limit") || lower.contains("too many requests");
    }

    private ChatResult read(UpstreamResponse response, ModelCallLog log) throws ModelCallException {
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
            boolean rateLimited = rateLimited(message) || error.path("code").asInt() == 429;
            throw new ModelCallException(rateLimited ? ModelCallException.RATE_LIMIT : ModelCallException.ERROR,
                    "OpenRouter error: " + shorten(message));
        }
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new ModelCallException(ModelCallException.ERROR, "OpenRouter answered without choices");
        }
        ModelCallLog.Usage usage = root.path("usage").isObject() ? usage(root.get("usage")) : ModelCallLog.Usage.NONE;
        JsonNode content = choices.get(0).path("message").get("content");
        if (content == null || content.isNull()) {
            log.answer(null, usage, false);
            throw new ModelCallException(ModelCallException.INVALID_RESPONSE, "The answer had no content");
        }
        String text = content.isTextual() ? content.asText() : content.toString();
        log.answer(text, usage, false);
        if (text.isBlank()) {
            throw new ModelCallException(ModelCallException.INVALID_RESPONSE, "The answer was empty");
        }
        return new ChatResult(text, usage.totalTokens() == null ? 0 : usage.totalTokens());
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
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
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
