package com.polydebate.journeys;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.polydebate.debates.DebateHarness;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.FreePort;
import com.polydebate.support.MutableClock;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL: instance A is its own operating-system process running a debate, instance B runs
 * in this JVM with a viewer of that debate. A is killed with SIGKILL in the middle of a turn; once its lease has
 * expired B takes the debate over at the persisted turn and finishes it, and B's viewer sees one complete stream.
 */
class InstanceKillJourneyTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 3;
    private static final int MODELS = 2;
    /** The model call (0-based) that is in flight on A when it is killed: two messages are committed by then. */
    private static final int TURN_IN_FLIGHT = 2;

    @TempDir
    Path storage;

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private final CountDownLatch turnInFlight = new CountDownLatch(1);
    private final CountDownLatch releaseTurn = new CountDownLatch(1);
    private final List<ChildServer> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        releaseTurn.countDown();
        for (ChildServer child : children) {
            child.kill();
        }
    }

    /** Every model answers at once, except that the call of {@link #TURN_IN_FLIGHT} waits until released. */
    private void holdTurnInFlight() {
        AtomicInteger calls = new AtomicInteger();
        fakes.chat = call -> {
            if (calls.getAndIncrement() == TURN_IN_FLIGHT) {
                turnInFlight.countDown();
                await(releaseTurn);
            }
            return Reply.json(200, DebateHarness.completion(call, DebateHarness.defaultAnswer(call)));
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("reached in time").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void poll(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long query(TestServer server, String sql, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery(sql).bind("id", debateId).mapTo(Long.class).one());
    }

    private static long messages(TestServer server, String debateId) {
        return query(server, "SELECT COUNT(*) FROM messages WHERE debate_id = :id", debateId);
    }

    private static String leaseOwner(TestServer server, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT lease_owner FROM debates WHERE debate_id = :id")
                .bind("id", debateId).mapTo(String.class).one());
    }

    @Test
    void the_other_instance_finishes_a_debate_whose_process_was_killed_mid_turn_and_its_viewer_sees_one_whole_stream()
            throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "several instances share PostgreSQL only");
        holdTurnInFlight();
        // B's clock stands at the real time it started, so A's leases (renewed on the real clock) stay alive for B
        // until the test moves B's clock past the lease after the kill.
        MutableClock clockOfB = new MutableClock(Instant.now());
        TestServer b = fakes.start(fakes.server().storage(storage).clock(clockOfB)
                .env("INSTANCE_ID", "instance-b").env("DEBATE_LEASE_SECONDS", "2"));
        TestUser owner = b.createUser("owner@example.com");
        Map<String, String> envOfA = ChildServer.debateEnv(fakes, storage, FreePort.any());
        envOfA.put("INSTANCE_ID", "instance-a");
        ChildServer a = ChildServer.launch(storage, "instance-a", envOfA);
        children.add(a);

        String id = DebateHarness.debateId(a.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, ROUNDS, MODEL_A, MODEL_B), owner.auth()));
        assertThat(leaseOwner(b, id)).as("the job runs on A").isEqualTo("instance-a");
        CompletableFuture<LiveStream.Result> viewerOnB = CompletableFuture.supplyAsync(
                () -> LiveStream.read(b.baseUrl(), id, null, LIMIT));
        await(turnInFlight);
        poll(() -> messages(b, id) == TURN_IN_FLIGHT, "A commits the turns before the one in flight");

        a.kill();
        releaseTurn.countDown();
        assertThat(leaseOwner(b, id)).as("a killed instance releases nothing").isEqualTo("instance-a");
        clockOfB.set(Instant.now().plus(Duration.ofSeconds(3)));

        LiveStream.Result seen = viewerOnB.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.endedByServer()).isTrue();
        List<SseEvent> events = seen.events();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).as("seq without gaps or duplicates").isEqualTo(i + 1);
        }
        assertThat(seen.last().event()).isEqualTo("debate_complete");
        assertThat(seen.named("debate_complete")).hasSize(1);
        assertThat(seen.named("debate_started")).hasSize(1);
        List<SseEvent> turns = seen.named("message");
        assertThat(turns).hasSize(MODELS * ROUNDS);
        Set<String> turnKeys = new HashSet<>();
        for (SseEvent turn : turns) {
            turnKeys.add(turn.data().path("round").asInt() + "/" + turn.data().path("model_id").asText());
        }
        assertThat(turnKeys).as("every turn once").hasSize(MODELS * ROUNDS);
        assertThat(turns).extracting(e -> e.data().path("sequence").asInt()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(seen.last().data().path("total_messages").asInt()).isEqualTo(MODELS * ROUNDS);

        assertThat(messages(b, id)).isEqualTo(MODELS * ROUNDS);
        assertThat(query(b, "SELECT COUNT(*) FROM debate_events WHERE debate_id = :id AND is_terminal", id))
                .isEqualTo(1);
        assertThat(query(b, "SELECT last_event_seq FROM debates WHERE debate_id = :id", id)).isEqualTo(events.size());
        assertThat(fakes.chatCalls()).as("the turn lost with A is asked again, no other").isEqualTo(MODELS * ROUNDS + 1);
        assertThat(b.http().get("/api/debate/" + id).json().path("status").asText()).isEqualTo("completed");
        assertThat(b.http().get("/metrics").body().lines()
                .filter(line -> line.startsWith("polydebate_debate_lease_takeovers_total"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
                .as("B counts the take-over").containsExactly(1.0);
    }
}
