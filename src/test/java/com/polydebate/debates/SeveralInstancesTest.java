package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.MutableClock;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Several instances on one database: debate jobs run under a lease fenced on every write, controls reach the job
 * from any instance, and (PostgreSQL) viewers on any instance see the same stream.
 */
class SeveralInstancesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MODELS = 2;
    private static final int ROUNDS = 2;

    private final DebateHarness fakes = new DebateHarness();
    private final List<TestServer> servers = new CopyOnWriteArrayList<>();
    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");

    @AfterEach
    void stop() {
        servers.forEach(server -> {
            try {
                server.close();
            } catch (RuntimeException alreadyHalted) {
                // haltAbruptly already closed it
            }
        });
        fakes.close();
    }

    private TestServer start(String instanceId, TestServer first, DebateHooks hooks, String... settings) {
        TestServer.Builder builder = fakes.server().clock(clock).env("INSTANCE_ID", instanceId)
                .env("DEBATE_LEASE_SECONDS", "2").hooks(hooks);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            builder.env(settings[i], settings[i + 1]);
        }
        TestServer server = (first == null ? builder : builder.storage(first.storage())).start();
        servers.add(server);
        return server;
    }

    private TestServer start(String instanceId, TestServer first) {
        return start(instanceId, first, DebateHooks.NONE);
    }

    private static String startDebate(TestServer server, TestUser owner) {
        return DebateHarness.debateId(server.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, ROUNDS, MODEL_A, MODEL_B), owner.auth()));
    }

    private static long count(TestServer server, String sql, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery(sql).bind("id", debateId).mapTo(Long.class).one());
    }

    private static long messages(TestServer server, String debateId) {
        return count(server, "SELECT COUNT(*) FROM messages WHERE debate_id = :id", debateId);
    }

    private static long lastSeq(TestServer server, String debateId) {
        return count(server, "SELECT last_event_seq FROM debates WHERE debate_id = :id", debateId);
    }

    private static long events(TestServer server, String debateId, String name) {
        return server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM debate_events WHERE debate_id = :id AND event = :name")
                .bind("id", debateId).bind("name", name).mapTo(Long.class).one());
    }

    private static List<String> eventsAfter(TestServer server, String debateId, long seq) {
        return server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT event FROM debate_events WHERE debate_id = :id AND seq > :seq ORDER BY seq")
                .bind("id", debateId).bind("seq", seq).mapTo(String.class).list());
    }

    private static long ofUser(TestServer server, String sql, TestUser user) {
        return server.jdbi().withHandle(h -> h.createQuery(sql).bind("id", user.id()).mapTo(Long.class).one());
    }

    private static boolean leaseFree(TestServer server, String debateId) {
        return count(server, "SELECT COUNT(*) FROM debates WHERE debate_id = :id AND lease_owner IS NULL",
                debateId) == 1;
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

    private static SseResult stream(TestServer server, String debateId) throws Exception {
        return CompletableFuture.supplyAsync(() -> DebateHarness.stream(server.baseUrl(), debateId, null))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The whole log, complete: every turn once, one terminal event, seq 1..n without a gap. */
    private static void assertCompleteOnce(SseResult result) {
        List<SseEvent> events = result.events();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).as("seq").isEqualTo(i + 1);
        }
        assertThat(events.get(events.size() - 1).event()).isEqualTo("debate_complete");
        List<SseEvent> messages = events.stream().filter(e -> e.event().equals("message")).toList();
        assertThat(messages).hasSize(MODELS * ROUNDS);
        Set<String> turns = new HashSet<>();
        for (SseEvent message : messages) {
            turns.add(message.data().path("round").asInt() + "/" + message.data().path("model_id").asText());
        }
        assertThat(turns).hasSize(MODELS * ROUNDS);
        assertThat(messages).extracting(e -> e.data().path("sequence").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(events.stream().filter(e -> e.event().equals("debate_started"))).hasSize(1);
    }

    /**
     * Blocks the first model call of the given turn (0-based) until released; other calls answer at once. The turn
     * is told by the request's model and round, since round-1 calls arrive in any order.
     */
    private CountDownLatch[] blockTurn(int turn) {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String model = List.of(MODEL_A, MODEL_B).get(turn % MODELS);
        int round = turn / MODELS + 1;
        fakes.chat = call -> {
            boolean blocked = DebateHarness.model(call).equals(model) && DebateHarness.round(call) == round
                    && arrived.getCount() > 0;
            if (blocked) {
                arrived.countDown();
                await(release);
            }
            return Reply.json(200, DebateHarness.completion(call, DebateHarness.defaultAnswer(call)));
        };
        return new CountDownLatch[] {arrived, release};
    }

    /** Instance A runs a debate whose second model call waits for {@code secondTurn[1]}; B shares the database. */
    private record SecondTurnHeld(TestServer a, TestServer b, TestUser owner, String debateId,
                                  CountDownLatch[] secondTurn) {
    }

    private SecondTurnHeld startWithSecondTurnHeld() {
        CountDownLatch[] secondTurn = blockTurn(1);
        TestServer a = start("instance-a", null);
        TestServer b = start("instance-b", a);
        TestUser owner = a.createUser("owner@example.com");
        String id = startDebate(a, owner);
        await(secondTurn[0]);
        return new SecondTurnHeld(a, b, owner, id, secondTurn);
    }

    @Test
    void a_job_whose_lease_was_taken_writes_nothing_and_the_new_holder_continues_without_duplicates()
            throws Exception {
        CountDownLatch[] secondTurn = blockTurn(1);
        CountDownLatch left = new CountDownLatch(1);
        TestServer a = start("instance-a", null, new DebateHooks() {
            @Override
            public void leaseLost(String debateId) {
                left.countDown();
            }
        });
        TestUser owner = a.createUser("owner@example.com");
        String id = startDebate(a, owner);
        await(secondTurn[0]);
        poll(() -> messages(a, id) == 1, "the first turn is committed");
        // Another instance takes the debate over (its lease does not expire on the test clock). Whatever the job
        // committed before this update (the next turn's model_thinking may still be on its way) stays; nothing after.
        a.jdbi().useHandle(h -> h.execute("UPDATE debates SET lease_owner = 'instance-b', lease_expires_at = ? "
                + "WHERE debate_id = ?", "2026-11-28T12:00:15.000Z", id));
        long seqBefore = lastSeq(a, id);

        secondTurn[1].countDown();
        await(left);

        assertThat(messages(a, id)).as("nothing written after the lease was lost").isEqualTo(1);
        assertThat(lastSeq(a, id)).isEqualTo(seqBefore);
        TestServer b = start("instance-b", a);
        assertCompleteOnce(stream(b, id));
        assertThat(messages(b, id)).isEqualTo(MODELS * ROUNDS);
        // The turn was taken over in the middle of a blind first round: asked again, it still quotes nobody.
        List<Call> roundOne = fakes.openRouter.calls("POST", "/chat/completions").stream()
                .filter(call -> DebateHarness.round(call) == 1).toList();
        assertThat(roundOne).extracting(DebateHarness::model).containsExactlyInAnyOrder(MODEL_A, MODEL_B, MODEL_B);
        assertThat(roundOne).allSatisfy(call -> assertThat(DebateHarness.quoted(call)).isEmpty());
    }

    @Test
    void a_debate_started_on_one_instance_paused_on_another_and_resumed_on_the_first_looks_the_same_to_viewers_on_both()
            throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "several instances share PostgreSQL only");
        // Round 2 waits for the pause, so the debate cannot end before it however slow the machine is.
        CountDownLatch pauseSent = new CountDownLatch(1);
        fakes.chat = call -> {
            if (DebateHarness.round(call) == 2) {
                await(pauseSent);
            }
            return Reply.json(200, DebateHarness.completion(call, DebateHarness.defaultAnswer(call)))
                    .delayed(Duration.ofMillis(150));
        };
        TestServer a = start("instance-a", null);
        TestServer b = start("instance-b", a);
        TestUser owner = a.createUser("owner@example.com");
        String id = startDebate(a, owner);
        CompletableFuture<SseResult> onA = CompletableFuture.supplyAsync(
                () -> DebateHarness.stream(a.baseUrl(), id, null));
        CompletableFuture<SseResult> onB = CompletableFuture.supplyAsync(
                () -> DebateHarness.stream(b.baseUrl(), id, null));
        poll(() -> messages(a, id) >= 1, "a first message");

        assertThat(b.http().post("/api/debate/" + id + "/pause", null, owner.auth()).status()).isEqualTo(200);
        pauseSent.countDown();
        poll(() -> count(a, "SELECT COUNT(*) FROM debates WHERE debate_id = :id AND lease_owner IS NULL", id) == 1,
                "the job on A parks and releases its lease");
        long whilePaused = messages(a, id);
        assertThat(a.http().post("/api/debate/" + id + "/resume", null, owner.auth()).status()).isEqualTo(200);

        SseResult seenOnA = onA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SseResult seenOnB = onB.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertCompleteOnce(seenOnA);
        assertThat(whilePaused).isLessThan(MODELS * ROUNDS);
        assertThat(seenOnB.events()).extracting(SseEvent::id)
                .containsExactlyElementsOf(seenOnA.events().stream().map(SseEvent::id).toList());
        assertThat(seenOnB.events()).extracting(SseEvent::event)
                .containsExactlyElementsOf(seenOnA.events().stream().map(SseEvent::event).toList());
        assertThat(seenOnA.events()).extracting(SseEvent::event).contains("debate_paused", "debate_resumed");
    }

    @Test
    void viewers_on_another_instance_get_a_batch_of_events_from_one_read_of_the_log_not_one_read_each()
            throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "several instances share PostgreSQL only");
        int viewers = 30;
        fakes.answerAfter(Duration.ofMillis(150));
        TestServer a = start("instance-a", null);
        TestServer b = start("instance-b", a);
        TestUser owner = a.createUser("owner@example.com");
        String id = startDebate(a, owner);
        assertThat(a.http().post("/api/debate/" + id + "/pause", null, owner.auth()).status()).isEqualTo(200);
        CountDownLatch replayed = new CountDownLatch(viewers);
        List<CompletableFuture<SseResult>> onB = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            onB.add(CompletableFuture.supplyAsync(() -> streamNoting(b, id, replayed)));
        }
        await(replayed);
        AtomicLong logReads = new AtomicLong();
        b.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                String sql = context.getRenderedSql();
                if (sql.startsWith("SELECT") && sql.contains("FROM debate_events")) {
                    logReads.incrementAndGet();
                }
            }
        });

        assertThat(a.http().post("/api/debate/" + id + "/resume", null, owner.auth()).status()).isEqualTo(200);

        SseResult first = onB.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertCompleteOnce(first);
        assertThat(first.events()).extracting(SseEvent::event).contains("round_complete");
        for (CompletableFuture<SseResult> viewer : onB) {
            assertThat(viewer.get(WAIT.toSeconds(), TimeUnit.SECONDS).events()).extracting(SseEvent::id)
                    .containsExactlyElementsOf(first.events().stream().map(SseEvent::id).toList());
        }
        // One read per announced append (and per catch-up); a message committed with its round_complete used to
        // reach B's hub without the message, and every viewer then read the log to fill the gap.
        assertThat(logReads.get()).as("reads of the event log on B while the debate ran").isLessThan(viewers);
    }

    /** Reads the whole stream like {@link DebateHarness#stream}, counting {@code replayed} down at the first event. */
    private static SseResult streamNoting(TestServer server, String debateId, CountDownLatch replayed) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/debate/" + debateId
                + "/stream")).header("Accept", "text/event-stream").timeout(WAIT).build();
        try {
            HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
            List<SseEvent> events = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                SseEvent.Parser parser = new SseEvent.Parser();
                String line;
                while ((line = reader.readLine()) != null) {
                    parser.line(line).ifPresent(event -> {
                        events.add(event);
                        if (events.size() == 1) {
                            replayed.countDown();
                        }
                    });
                }
            }
            return new SseResult(response.statusCode(), response.headers().map(), null, events, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void the_other_instance_finishes_a_debate_after_the_lease_of_the_halted_instance_expires() throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "several instances share PostgreSQL only");
        SecondTurnHeld held = startWithSecondTurnHeld();
        TestServer a = held.a();
        TestServer b = held.b();
        TestUser owner = held.owner();
        String id = held.debateId();
        poll(() -> messages(b, id) == 1, "the first turn is committed");

        a.app().haltAbruptly();
        held.secondTurn()[1].countDown();
        clock.advance(Duration.ofSeconds(3));

        assertCompleteOnce(stream(b, id));
        assertThat(messages(b, id)).isEqualTo(MODELS * ROUNDS);
        assertThat(b.http().get("/metrics").body().lines()
                .filter(line -> line.startsWith("polydebate_debate_lease_takeovers_total"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
                .as("the take-over is counted").containsExactly(1.0);
    }

    @Test
    void two_instances_starting_together_recover_each_unfinished_debate_once() throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "several instances share PostgreSQL only");
        int debates = 3;
        // Round 1 asks every model at once: all of them are held when A dies, so none is counted after the halt.
        CountDownLatch asked = new CountDownLatch(debates * MODELS);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(true);
        fakes.chat = call -> {
            if (holding.get()) {
                asked.countDown();
                await(release);
            }
            return Reply.json(200, DebateHarness.completion(call, DebateHarness.defaultAnswer(call)));
        };
        TestServer a = start("instance-a", null);
        TestUser owner = a.createUser("owner@example.com");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < debates; i++) {
            ids.add(startDebate(a, owner));
        }
        // Every job on A waits for its round-1 answers when A dies.
        await(asked);
        a.app().haltAbruptly();
        holding.set(false);
        release.countDown();
        clock.advance(Duration.ofSeconds(3));
        int callsBefore = fakes.chatCalls();

        CompletableFuture<TestServer> b = CompletableFuture.supplyAsync(() -> start("instance-b", a));
        CompletableFuture<TestServer> c = CompletableFuture.supplyAsync(() -> start("instance-c", a));
        TestServer second = b.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        c.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        for (String id : ids) {
            assertCompleteOnce(stream(second, id));
            assertThat(messages(second, id)).isEqualTo(MODELS * ROUNDS);
        }
        assertThat(fakes.chatCalls() - callsBefore).as("model calls after the restart")
                .isEqualTo(debates * MODELS * ROUNDS);
    }

    @Test
    void a_stop_sent_to_the_other_instance_ends_the_job_where_it_runs_and_only_its_event_follows_the_stop()
            throws Exception {
        SecondTurnHeld held = startWithSecondTurnHeld();
        TestServer a = held.a();
        TestServer b = held.b();
        TestUser owner = held.owner();
        String id = held.debateId();
        // The job on A now only waits for the second answer: the first message and the second turn's thinking are
        // committed, nothing else is on its way.
        poll(() -> messages(a, id) == 1 && events(a, id, "model_thinking") == 2, "the job on A waits for turn 2");

        TestResponse stopped = b.http().post("/api/debate/" + id + "/stop", null, owner.auth());

        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().path("status").asText()).isEqualTo("stopped");
        assertThat(stopped.json().path("total_messages").asInt()).isEqualTo(1);
        long seqAtStop = lastSeq(b, id);
        poll(() -> events(a, id, "debate_stopped") == 1, "the job on A sees the stop and ends the debate");
        // The answer it was waiting for arrives only now, and is dropped.
        held.secondTurn()[1].countDown();
        poll(() -> leaseFree(a, id), "the job on A leaves and releases its lease");
        assertThat(eventsAfter(a, id, seqAtStop)).containsExactly("debate_stopped");
        assertThat(messages(a, id)).isEqualTo(1);
        assertThat(count(a, "SELECT COUNT(*) FROM debates WHERE debate_id = :id AND status = 'stopped'", id))
                .isEqualTo(1);
        assertThat(fakes.chatCalls()).as("no further turn was asked for").isEqualTo(2);
        List<SseEvent> replay = stream(b, id).events();
        for (int i = 0; i < replay.size(); i++) {
            assertThat(replay.get(i).id()).as("seq").isEqualTo(i + 1);
        }
        assertThat(replay.get(replay.size() - 1).event()).isEqualTo("debate_stopped");
        assertThat(replay.get(replay.size() - 1).data().path("total_messages").asInt()).isEqualTo(1);
        assertThat(replay.stream().filter(e -> e.event().equals("message"))).hasSize(1);
    }

    @Test
    void a_stop_sent_to_one_instance_is_announced_so_that_the_job_elsewhere_is_woken_at_once() throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "several instances share PostgreSQL only");
        SecondTurnHeld held = startWithSecondTurnHeld();
        TestServer a = held.a();
        TestServer b = held.b();
        TestUser owner = held.owner();
        String id = held.debateId();
        String url = TestDatabases.databaseUrlFor(a.storage()).orElseThrow();
        try (Connection listener = DriverManager.getConnection(url);
             Statement statement = listener.createStatement()) {
            statement.execute("LISTEN debate_events");
            assertThat(b.http().post("/api/debate/" + id + "/stop", null, owner.auth()).status()).isEqualTo(200);

            Pattern expected = Pattern.compile(Pattern.quote(id) + " \\d+ instance-b");
            PGConnection pg = listener.unwrap(PGConnection.class);
            List<String> heard = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (heard.stream().noneMatch(p -> expected.matcher(p).matches()) && System.nanoTime() < deadline) {
                PGNotification[] notifications = pg.getNotifications(200);
                for (PGNotification n : notifications == null ? new PGNotification[0] : notifications) {
                    heard.add(n.getParameter());
                }
            }
            assertThat(heard).as("notifications on the debate channel")
                    .anyMatch(payload -> expected.matcher(payload).matches());
        } finally {
            held.secondTurn()[1].countDown();
        }
        poll(() -> events(a, id, "debate_stopped") == 1, "the job on A ends the debate");
    }

    @Test
    void starts_racing_on_both_instances_pass_the_daily_quota_exactly_as_often_as_it_allows() throws Exception {
        TestServer a = start("instance-a", null, DebateHooks.NONE, "DAILY_DEBATE_LIMIT", "3");
        TestServer b = start("instance-b", a, DebateHooks.NONE, "DAILY_DEBATE_LIMIT", "3");
        TestUser owner = a.createUser("owner@example.com");
        ExecutorService callers = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<TestResponse>> starts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                TestServer target = i % 2 == 0 ? a : b;
                starts.add(callers.submit(() -> {
                    go.await();
                    return target.http().post("/api/debate/start",
                            DebateHarness.startBody(BINARY_MARKET, ROUNDS, MODEL_A, MODEL_B), owner.auth());
                }));
            }
            go.countDown();
            int started = 0;
            for (Future<TestResponse> start : starts) {
                TestResponse response = start.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (response.status() == 429) {
                    assertThat(response.errorCode()).isEqualTo("daily_limit_reached");
                } else {
                    assertThat(response.status()).as(response.body()).isEqualTo(201);
                    started++;
                }
            }

            assertThat(started).isEqualTo(3);
            assertThat(ofUser(a, "SELECT COUNT(*) FROM debates WHERE user_id = :id", owner)).isEqualTo(3);
            assertThat(ofUser(b, "SELECT daily_debate_count FROM users WHERE id = :id", owner)).isEqualTo(3);
        } finally {
            callers.shutdownNow();
        }
    }
}
