package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.db.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each debate's summary at most once (§12.3). Two layers: requests in this process share one
 * in-flight future per debate; across processes the persisted claim ({@code summary_status}) decides the
 * single generator and everyone else polls the database until the summary is stored. A claim older than the
 * generation bound is considered abandoned (its instance crashed) and may be taken over; so is any claim taken
 * before this process started (the debate engine runs as a single instance, so such a claim's generator died
 * with the previous process — without this the first request after a restart would wait out the whole bound).
 */
final class SummaryService {
    private static final Logger log = LoggerFactory.getLogger(SummaryService.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final SummaryStore store;
    private final Optional<GeminiClient> gemini;
    private final String geminiModel;
    private final SummaryParser parser;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration waitBound;
    private final Instant startedAt;
    private final Map<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();

    SummaryService(SummaryStore store, Optional<GeminiClient> gemini, String geminiModel, ObjectMapper mapper,
                   Clock clock, Duration geminiTimeout) {
        this.store = store;
        this.gemini = gemini;
        this.geminiModel = geminiModel;
        this.parser = new SummaryParser(mapper);
        this.mapper = mapper;
        this.clock = clock;
        this.waitBound = geminiTimeout.plusSeconds(5);
        this.startedAt = clock.instant();
    }

    /** The stored summary, generating it first when the debate has none. */
    JsonNode ensure(String debateId, Supplier<StoredDebate> debate, Map<String, FinalPrediction> finals,
                    Map<String, Integer> odds) {
        Optional<SummaryStore.State> state = store.state(debateId);
        if (state.isPresent() && state.get().isReady()) {
            return read(state.get().summary());
        }
        CompletableFuture<JsonNode> mine = new CompletableFuture<>();
        CompletableFuture<JsonNode> running = inFlight.putIfAbsent(debateId, mine);
        if (running != null) {
            return awaitLocal(running, debate, finals, odds);
        }
        try {
            JsonNode summary = claimOrWait(debateId, debate, finals, odds);
            mine.complete(summary);
            return summary;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(debateId, mine);
        }
    }

    private JsonNode claimOrWait(String debateId, Supplier<StoredDebate> debate, Map<String, FinalPrediction> finals,
                                 Map<String, Integer> odds) {
        Optional<JsonNode> claimed = tryGenerate(debateId, debate, finals, odds);
        if (claimed.isPresent()) {
            return claimed.get();
        }
        // Another instance holds the claim: wait for its result, then take over if it never comes.
        long deadline = System.nanoTime() + waitBound.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SummaryStore.State> state = store.state(debateId);
            if (state.isPresent() && state.get().isReady()) {
                return read(state.get().summary());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return tryGenerate(debateId, debate, finals, odds).orElseGet(() -> {
            log.warn("Summary of debate {} still being generated elsewhere; answering an unstored local one",
                    debateId);
            return local(debate.get(), finals, odds, "gemini_error");
        });
    }

    private Optional<JsonNode> tryGenerate(String debateId, Supplier<StoredDebate> debate,
                                           Map<String, FinalPrediction> finals, Map<String, Integer> odds) {
        Instant now = clock.instant();
        String claimedAt = Timestamps.format(now);
        Instant staleBefore = now.minus(waitBound);
        if (startedAt.isAfter(staleBefore)) {
            staleBefore = startedAt;
        }
        if (!store.claim(debateId, claimedAt, Timestamps.format(staleBefore))) {
            Optional<SummaryStore.State> state = store.state(debateId);
            if (state.isPresent() && state.get().isReady()) {
                return Optional.of(read(state.get().summary()));
            }
            return Optional.empty();
        }
        JsonNode summary;
        try {
            summary = generateSafely(debate.get(), finals, odds);
        } catch (RuntimeException e) {
            // Without this the claim would block everyone until it goes stale.
            store.release(debateId, claimedAt);
            throw e;
        }
        if (store.complete(debateId, claimedAt, write(summary))) {
            return Optional.of(summary);
        }
        // Our claim was taken over meanwhile; the stored summary is the one everybody else sees.
        return Optional.of(store.state(debateId).filter(SummaryStore.State::isReady)
                .map(s -> read(s.summary())).orElse(summary));
    }

    /** A bug on the Gemini path must not cost the debate its summary: fall back to the local one. */
    private JsonNode generateSafely(StoredDebate debate, Map<String, FinalPrediction> finals,
                                    Map<String, Integer> odds) {
        try {
            return generate(debate, finals, odds);
        } catch (RuntimeException e) {
            log.error("Summary generation of debate {} failed; using the local summary", debate.row().debateId(), e);
            return local(debate, finals, odds, "gemini_error");
        }
    }

    private JsonNode generate(StoredDebate debate, Map<String, FinalPrediction> finals, Map<String, Integer> odds) {
        if (debate.messages().isEmpty()) {
            return local(debate, finals, odds, "no_messages");
        }
        if (gemini.isEmpty()) {
            return local(debate, finals, odds, "gemini_not_configured");
        }
        GeminiClient.Result result = gemini.get().generate(SummaryPrompt.build(debate));
        if (!result.ok()) {
            return local(debate, finals, odds, result.failure() == GeminiClient.Failure.UNPARSEABLE
                    ? "gemini_unparseable" : "gemini_error");
        }
        Optional<ObjectNode> parsed = parser.parse(result.text());
        if (parsed.isEmpty()) {
            log.warn("Gemini summary of debate {} was not a JSON object", debate.row().debateId());
            return local(debate, finals, odds, "gemini_unparseable");
        }
        ObjectNode summary = parsed.get();
        summary.put("source", "gemini");
        summary.put("model", geminiModel);
        summary.put("generated_at", Timestamps.format(clock.instant()));
        return summary;
    }

    private JsonNode local(StoredDebate debate, Map<String, FinalPrediction> finals, Map<String, Integer> odds,
                           String reason) {
        ObjectNode summary = LocalSummary.build(mapper, debate, finals, odds);
        summary.put("source", "local");
        summary.put("fallback_reason", reason);
        summary.put("generated_at", Timestamps.format(clock.instant()));
        return summary;
    }

    private JsonNode awaitLocal(CompletableFuture<JsonNode> running, Supplier<StoredDebate> debate,
                                Map<String, FinalPrediction> finals, Map<String, Integer> odds) {
        try {
            return running.get(waitBound.toMillis() + POLL.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Waiting for a summary failed: {}", e.toString());
        }
        return local(debate.get(), finals, odds, "gemini_error");
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
