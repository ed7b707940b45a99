package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.db.Timestamps;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.MutableClock;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The summary's single-flight claim as a lease shared by two instances on one database (SQLite file, and the
 * PostgreSQL schema in its run): the generating instance renews it, nobody takes it over while it lives, a dead
 * or stalled holder's claim is taken over once it has expired, and a holder that lost its claim stores nothing.
 */
class SummaryClaimTest {
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private final FakeUpstream gemini = new FakeUpstream();
    private final List<TestServer> servers = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstCallArrived = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCall = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    /** The first Gemini call hangs until released and then answers {@code first}; later calls answer at once. */
    private void geminiAnswers(String first, String later) {
        gemini.on("POST", GEMINI_PATH, call -> {
            if (calls.incrementAndGet() == 1) {
                firstCallArrived.countDown();
                await(releaseFirstCall);
                return Reply.json(200, ResultsEndpointTest.geminiAnswer("{\"overall\": \"" + first + "\"}"));
            }
            return Reply.json(200, ResultsEndpointTest.geminiAnswer("{\"overall\": \"" + later + "\"}"));
        });
    }

    @AfterEach
    void stop() {
        releaseFirstCall.countDown();
        servers.forEach(server -> {
            try {
                server.close();
            } catch (RuntimeException alreadyHalted) {
                // haltAbruptly already closed it
            }
        });
        gemini.close();
    }

    private TestServer start(String instanceId, MutableClock clock, TestServer sharing) {
        TestServer.Builder builder = TestServer.builder().clock(clock).env("INSTANCE_ID", instanceId)
                .env("DEBATE_LEASE_SECONDS", String.valueOf(LEASE.toSeconds()))
                .env("GEMINI_API_URL", gemini.baseUrl() + "/v1beta").env("GEMINI_API_KEY", "gem-test-key");
        TestServer server = (sharing == null ? builder : builder.storage(sharing.storage())).start();
        servers.add(server);
        return server;
    }

    /**
     * A completed debate whose event log is complete too, so that neither engine's repair scan finalises it: only
     * the /results requests of a test generate its summary.
     */
    private static String completedDebate(TestServer server) {
        String id = TestDebates.debate(server.jdbi(), null).status("completed").rounds(1)
                .message(1, "openai/gpt-4o-mini", "Yes.", TestDebates.predictions("Yes", 60.0, "No", 40.0)).insert();
        server.jdbi().useHandle(h -> {
            h.execute("INSERT INTO debate_events (debate_id, seq, event, data, created_at, is_terminal) "
                    + "VALUES (?, 1, 'debate_complete', '{}', '2026-11-28T12:00:00.000Z', TRUE)", id);
            h.execute("UPDATE debates SET last_event_seq = 1 WHERE debate_id = ?", id);
        });
        return id;
    }

    private static CompletableFuture<TestResponse> results(TestServer server, String id) {
        return CompletableFuture.supplyAsync(() -> server.http().get("/api/debate/" + id + "/results"));
    }

    private static String overall(CompletableFuture<TestResponse> response) throws Exception {
        TestResponse answer = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("summary").path("overall").asText();
    }

    private static SummaryStore.State state(TestServer server, String id) {
        return server.jdbi().onDemand(SummaryStore.class).state(id).orElseThrow();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reached in time").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void poll(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void the_generating_instance_renews_its_claim_so_the_other_waits_for_its_summary_instead_of_generating_again()
            throws Exception {
        geminiAnswers("Generated on A.", "Generated again.");
        MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
        TestServer a = start("instance-a", clock, null);
        TestServer b = start("instance-b", clock, a);
        String id = completedDebate(a);
        CompletableFuture<TestResponse> onA = results(a, id);
        await(firstCallArrived);
        assertThat(state(a, id).owner()).isEqualTo("instance-a");

        // Well past the first lease: only A's renewals keep its claim alive now.
        clock.advance(LEASE.multipliedBy(3));
        Instant now = clock.instant();
        poll(() -> state(a, id).leaseExpiresAt().isAfter(now), "A renews its claim while Gemini answers");
        assertThat(b.jdbi().onDemand(SummaryStore.class).claim(id, "instance-b", "probe",
                Timestamps.format(now), Timestamps.format(now.plus(LEASE)))).as("a renewed claim is not taken over").isFalse();
        CompletableFuture<TestResponse> onB = results(b, id);
        releaseFirstCall.countDown();

        assertThat(overall(onA)).isEqualTo("Generated on A.");
        assertThat(overall(onB)).isEqualTo("Generated on A.");
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
        SummaryStore.State stored = state(b, id);
        assertThat(stored.status()).isEqualTo("ready");
        assertThat(stored.owner()).isNull();
        assertThat(stored.leaseExpiresAt()).isNull();
    }

    @Test
    void the_claim_of_an_instance_that_died_while_generating_is_taken_over_once_its_lease_has_expired()
            throws Exception {
        geminiAnswers("Generated on A.", "Generated on B.");
        MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
        TestServer a = start("instance-a", clock, null);
        TestServer b = start("instance-b", clock, a);
        String id = completedDebate(a);
        results(a, id);
        await(firstCallArrived);

        CompletableFuture<Void> halted = CompletableFuture.runAsync(() -> a.app().haltAbruptly());
        CompletableFuture<TestResponse> onB = results(b, id);
        assertThat(gemini.count("POST", GEMINI_PATH)).as("B waits while the lease lives").isEqualTo(1);
        assertThat(state(b, id).owner()).isEqualTo("instance-a");
        clock.advance(LEASE.plusSeconds(1));

        assertThat(overall(onB)).isEqualTo("Generated on B.");
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(2);
        releaseFirstCall.countDown();
        halted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(state(b, id).summary()).contains("Generated on B.");
    }

    @Test
    void a_holder_whose_claim_was_taken_over_after_it_stopped_renewing_stores_nothing_and_answers_the_stored_summary()
            throws Exception {
        geminiAnswers("Generated late on A.", "Generated on B.");
        // A's clock stands still, so its renewals never reach past B's time: to B, A is an instance whose lease
        // ran out while it was stalled (a long GC pause, a frozen VM).
        MutableClock clockOfA = MutableClock.at("2026-11-28T12:00:00Z");
        MutableClock clockOfB = MutableClock.at("2026-11-28T12:00:05Z");
        TestServer a = start("instance-a", clockOfA, null);
        TestServer b = start("instance-b", clockOfB, a);
        String id = completedDebate(a);
        CompletableFuture<TestResponse> onA = results(a, id);
        await(firstCallArrived);

        assertThat(overall(results(b, id))).isEqualTo("Generated on B.");
        releaseFirstCall.countDown();

        assertThat(overall(onA)).as("A's late summary is fenced off").isEqualTo("Generated on B.");
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(2);
        JsonNode stored = b.http().get("/api/debate/" + id).json().path("final_summary");
        assertThat(stored.path("overall").asText()).isEqualTo("Generated on B.");
        assertThat(state(a, id).status()).isEqualTo("ready");
    }
}
