package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness;
import com.polydebate.debates.DebateHooks;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A debate's document is served from memory without a statement, yet every write that changes it — its events and
 * state changes, its deletion, its summary, its final predictions — is visible on the next read, on this instance
 * and on every other instance sharing the database.
 */
class DocumentFreshnessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<TestServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    private TestServer start(TestServer sharing, String instanceId) {
        TestServer.Builder builder = TestServer.builder().env("INSTANCE_ID", instanceId);
        TestServer server = (sharing == null ? builder : builder.storage(sharing.storage())).start();
        servers.add(server);
        return server;
    }

    private static String debate(TestServer server, TestUser owner, String status) {
        return TestDebates.debate(server.jdbi(), owner == null ? null : owner.id())
                .model("anthropic/claude-haiku-4.5", "Anthropic: Claude Haiku 4.5", "Anthropic")
                .model("x-ai/grok-4-fast", "xAI: Grok 4 Fast", "xAI")
                .outcome("Yes", 0.45).outcome("No", 0.55)
                .status(status).rounds(1)
                .message(1, "anthropic/claude-haiku-4.5", "Yes, narrowly.", predictions("Yes", 60.0, "No", 40.0))
                .insert();
    }

    @Test
    void a_finished_debate_is_read_from_memory_and_its_deletion_answers_404_on_the_next_read() {
        TestServer server = start(null, "only");
        TestUser owner = server.newUser();
        String id = debate(server, owner, "completed");
        awaitNoStatement(server, id);

        assertThat(server.http().delete("/api/debates/" + id, owner.auth()).status()).isEqualTo(200);

        assertThat(server.http().get("/api/debate/" + id).status()).isEqualTo(404);
    }

    @Test
    void a_summary_and_final_predictions_stored_after_the_first_read_are_in_the_next_read() {
        TestServer server = start(null, "only");
        String id = debate(server, null, "stopped");
        JsonNode before = server.http().get("/api/debate/" + id).json();
        awaitNoStatement(server, id);

        // Results of a stopped debate compute and store its final predictions and (without Gemini) a local summary.
        assertThat(server.http().get("/api/debate/" + id + "/results").status()).isEqualTo(200);
        JsonNode after = server.http().get("/api/debate/" + id).json();

        assertThat(before.path("final_summary").isNull()).isTrue();
        assertThat(before.path("final_predictions").isNull()).isTrue();
        assertThat(after.path("final_summary").isObject()).isTrue();
        assertThat(after.path("final_predictions").has("anthropic/claude-haiku-4.5")).isTrue();
    }

    @Test
    void a_live_debate_read_right_after_each_commit_shows_what_was_committed() throws InterruptedException {
        AtomicReference<TestServer> running = new AtomicReference<>();
        List<String> stale = new CopyOnWriteArrayList<>();
        AtomicInteger checked = new AtomicInteger();
        DebateHooks readAfterEachCommit = new DebateHooks() {
            @Override
            public void eventsCommitted(String debateId, long lastSeq) {
                TestServer server = running.get();
                JsonNode document = server.http().get("/api/debate/" + debateId).json();
                String stored = server.jdbi().withHandle(h -> h.createQuery("SELECT d.status || ' ' || "
                                + "(SELECT COUNT(*) FROM messages m WHERE m.debate_id = d.debate_id) "
                                + "FROM debates d WHERE d.debate_id = :id")
                        .bind("id", debateId).mapTo(String.class).one());
                String served = document.path("status").asText() + " " + document.path("messages").size();
                if (!served.equals(stored)) {
                    stale.add("after seq " + lastSeq + ": served " + served + ", stored " + stored);
                }
                checked.incrementAndGet();
            }
        };
        try (DebateHarness fakes = new DebateHarness()) {
            TestServer server = fakes.start(fakes.server().hooks(readAfterEachCommit));
            running.set(server);
            String id = DebateHarness.startDebate(server, server.newUser(), 2, DebateHarness.MODEL_A,
                    DebateHarness.MODEL_B);
            // Completed first, then the summary is stored, then debate_complete: each on the next read.
            poll(() -> server.http().get("/api/debate/" + id).json().path("final_summary").isObject(),
                    "the debate completes with its summary");

            poll(() -> checked.get() >= 8 && server.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM debate_events WHERE debate_id = :id AND event = 'debate_complete'")
                    .bind("id", id).mapTo(Long.class).one()) == 1, "debate_complete is committed");
            assertThat(stale).isEmpty();
            // Started, thinking and a message per turn, the round's end, completion.
            assertThat(checked.get()).isGreaterThanOrEqualTo(8);
            JsonNode finished = server.http().get("/api/debate/" + id).json();
            assertThat(finished.path("messages")).hasSize(4);
            assertThat(finished.path("status").asText()).isEqualTo("completed");
            awaitNoStatement(server, id);
        }
    }

    @Test
    void a_deletion_on_another_instance_sharing_the_database_is_visible_here() throws InterruptedException {
        assumeTrue(TestDatabases.onPostgres(), "instances share only a PostgreSQL database");
        TestServer a = start(null, "instance-a");
        TestServer b = start(a, "instance-b");
        TestUser owner = a.newUser();
        String id = debate(a, owner, "completed");
        awaitNoStatement(b, id);

        assertThat(a.http().delete("/api/debates/" + id, owner.auth()).status()).isEqualTo(200);

        // B hears of it through PostgreSQL's notification, a few milliseconds after A's commit.
        poll(() -> b.http().get("/api/debate/" + id).status() == 404, "the deletion reaches instance B");
    }

    @Test
    void a_summary_stored_on_another_instance_is_in_the_next_read_here() throws InterruptedException {
        assumeTrue(TestDatabases.onPostgres(), "instances share only a PostgreSQL database");
        TestServer a = start(null, "instance-a");
        TestServer b = start(a, "instance-b");
        String id = debate(a, null, "stopped");
        awaitNoStatement(b, id);

        assertThat(a.http().get("/api/debate/" + id + "/results").status()).isEqualTo(200);

        poll(() -> b.http().get("/api/debate/" + id).json().path("final_summary").isObject(),
                "the summary reaches instance B");
    }

    /**
     * Reads until a read of the debate runs no statement: the first read loads it, and on PostgreSQL the copy counts
     * only once the instance listens for other instances' changes.
     */
    private static void awaitNoStatement(TestServer server, String id) {
        try {
            poll(() -> statementsFor(server, "/api/debate/" + id) == 0, "a read from memory");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int statementsFor(TestServer server, String path) {
        AtomicInteger count = new AtomicInteger();
        server.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                count.incrementAndGet();
            }

            @Override
            public void logException(StatementContext context, SQLException ex) {
                count.incrementAndGet();
            }
        });
        try {
            assertThat(server.http().get(path).status()).isEqualTo(200);
        } finally {
            server.jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
        }
        return count.get();
    }

    private static void poll(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
