package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.db.DebateChanges;
import com.polydebate.db.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each debate's summary at most once (§12.3). Two layers: requests in this process share one
 * in-flight future per debate; across instances the persisted claim ({@code summary_status}) decides the single
 * generator. The claim is a lease in the database: held by this instance ({@code INSTANCE_ID}) under a token of
 * its own, as long as a debate lease ({@code DEBATE_LEASE_SECONDS}), renewed every third of that while the
 * generation runs, and storing the summary is fenced by the token. Everyone else polls the database until the
 * summary is stored, and takes the claim over only once its lease has expired (its instance died).
 */
final class SummaryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SummaryService.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Jdbi jdbi;
    private final SummaryStore store;
    private final DebateChanges changes;
    private final Optional<GeminiClient> gemini;
    private final String geminiModel;
    private final SummaryParser parser;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration waitBound;
    private final String owner;
    private final Duration leaseLength;
    private final RandomGenerator random;
    private final ScheduledExecutorService renewals;
    private final Map<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();

    SummaryService(Jdbi jdbi, DebateChanges changes, Optional<GeminiClient> gemini, String geminiModel,
                   ObjectMapper mapper,
                   Clock clock, Duration geminiTimeout, String owner, Duration leaseLength, RandomGenerator random) {
        this.jdbi = jdbi;
        this.store = jdbi.onDemand(SummaryStore.class);
        this.changes = changes;
        this.gemini = gemini;
        this.geminiModel = geminiModel;
        this.parser = new SummaryParser(mapper);
        this.mapper = mapper;
        this.clock = clock;
        this.waitBound = geminiTimeout.plusSeconds(5);
        this.owner = owner;
        this.leaseLength = leaseLength;
        this.random = random;
        this.renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "summary-lease");
            thread.setDaemon(true);
            return thread;
        });
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

    /**
     * Generates the summary if this instance wins the claim; otherwise waits for the holder to store it, taking the
     * claim over if its lease expires meanwhile. A live holder is waited for at most its generation bound plus one
     * lease; past that the caller gets an unstored local summary rather than hanging.
     */
    private JsonNode claimOrWait(String debateId, Supplier<StoredDebate> debate, Map<String, FinalPrediction> finals,
                                 Map<String, Integer> odds) {
        long deadline = System.nanoTime() + waitBound.plus(leaseLength).toNanos();
        while (true) {
            Optional<SummaryStore.State> state = store.state(debateId);
            if (state.isEmpty()) {
                // The row is gone (the caller read it moments ago): there is nothing to store a summary on.
                return local(debate.get(), finals, odds, "gemini_error");
            }
            if (state.get().isReady()) {
                return read(state.get().summary());
            }
            if (!state.get().claimedAt(clock.instant())) {
                Optional<JsonNode> generated = tryGenerate(debateId, debate, finals, odds);
                if (generated.isPresent()) {
                    return generated.get();
                }
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("Summary of debate {} still being generated by {}; answering an unstored local one", debateId,
                store.state(debateId).map(SummaryStore.State::owner).orElse("nobody"));
        return local(debate.get(), finals, odds, "gemini_error");
    }

    /** Claims, generates and stores; empty when another instance holds the claim (or won it just now). */
    private Optional<JsonNode> tryGenerate(String debateId, Supplier<StoredDebate> debate,
                                           Map<String, FinalPrediction> finals, Map<String, Integer> odds) {
        String claim = HexFormat.of().formatHex(randomBytes());
        Instant now = clock.instant();
        if (!store.claim(debateId, owner, claim, Timestamps.format(now),
                Timestamps.format(now.plus(leaseLength)))) {
            return store.state(debateId).filter(SummaryStore.State::isReady).map(s -> read(s.summary()));
        }
        long renewMillis = Math.max(200, leaseLength.toMillis() / 3);
        ScheduledFuture<?> renewal = null;
        JsonNode summary;
        try {
            renewal = renewals.scheduleWithFixedDelay(() -> renew(debateId, claim), renewMillis, renewMillis,
                    TimeUnit.MILLISECONDS);
            summary = generateSafely(debate.get(), finals, odds);
        } catch (RuntimeException e) {
            // Without this the claim would block everyone until its lease expires.
            store.release(debateId, claim);
            throw e;
        } finally {
            if (renewal != null) {
                renewal.cancel(false);
            }
        }
        String json = write(summary);
        boolean stored = jdbi.inTransaction(tx -> {
            boolean done = tx.attach(SummaryStore.class).complete(debateId, claim, json);
            if (done) {
                // Every instance keeps the debate document in memory, and it shows the summary.
                changes.announce(tx, debateId);
            }
            return done;
        });
        if (stored) {
            return Optional.of(summary);
        }
        // Our lease expired and another instance took the claim over; what it stores is what everybody sees.
        log.warn("Summary claim of debate {} was taken over before it was stored; waiting for the new holder",
                debateId);
        return Optional.empty();
    }

    private void renew(String debateId, String claim) {
        try {
            if (!store.renew(debateId, claim, Timestamps.format(clock.instant().plus(leaseLength)))) {
                log.warn("Summary claim of debate {} was taken over by another instance", debateId);
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew the summary claim of debate {}", debateId, e);
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return bytes;
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
            return running.get(waitBound.plus(leaseLength).toMillis() + POLL.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Waiting for a summary failed: {}", e.toString());
        }
        return local(debate.get(), finals, odds, "gemini_error");
    }

    /** Stops renewing: a claim still held then expires, as when the instance dies, and is taken over elsewhere. */
    @Override
    public void close() {
        renewals.shutdownNow();
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
