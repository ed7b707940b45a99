package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.FreePort;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pause, resume, stop and start-up recovery interleaved deterministically through {@link DebateHooks}: each test
 * runs a second request at the exact point between two steps of the first, where the job used to lose track.
 */
class ControlRacesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();

    private static String startDebate(TestServer server, TestUser owner, int rounds) {
        return DebateHarness.startDebate(server, owner, rounds, MODEL_A, MODEL_B);
    }

    private static TestResponse control(TestHttp http, String debateId, String action, TestUser user) {
        return http.post("/api/debate/" + debateId + "/" + action, null, user.auth());
    }

    private static long count(List<SseEvent> events, String name) {
        return events.stream().filter(e -> e.event().equals(name)).count();
    }

    private static long terminalEvents(TestServer server, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM debate_events WHERE debate_id = :id "
                                + "AND event IN ('debate_complete', 'debate_stopped', 'debate_error')")
                .bind("id", debateId).mapTo(Long.class).one());
    }

    private static String status(TestServer server, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT status FROM debates WHERE debate_id = :id")
                .bind("id", debateId).mapTo(String.class).one());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("hook reached").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The stream to its end, within a bound: a debate whose job lost track of its state never ends. */
    private static void assertCompletesWithEveryMessageOnce(TestServer server, String debateId, int messages)
            throws Exception {
        SseResult result = CompletableFuture.supplyAsync(() -> DebateHarness.stream(server.baseUrl(), debateId, null))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.events()).isNotEmpty();
        assertThat(result.events().get(result.events().size() - 1).event()).isEqualTo("debate_complete");
        assertThat(count(result.events(), "message")).isEqualTo(messages);
        assertThat(terminalEvents(server, debateId)).isEqualTo(1);
    }

    /**
     * A server that crashed while its 2-round debate waited for its first model call, as a restart finds it, and
     * the port the restart will listen on, so that a request can reach it while its start-up hooks run.
     */
    private record Halted(TestServer server, TestUser owner, String debateId, int port) {
        TestHttp restartedHttp() {
            return new TestHttp("http://127.0.0.1:" + port);
        }
    }

    private Halted haltedDuringTheFirstModelCall() {
        CountDownLatch firstCallArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fakes.chat = call -> {
            firstCallArrived.countDown();
            await(release);
            return DebateHarness.defaultReply(call);
        };
        TestServer server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = startDebate(server, owner, 2);
        await(firstCallArrived);
        server.app().haltAbruptly();
        fakes.chat = DebateHarness::defaultReply;
        release.countDown();
        return new Halted(server, owner, id, FreePort.any());
    }

    private TestServer restart(Halted halted, DebateHooks hooks) {
        return fakes.start(fakes.server().storage(halted.server().storage())
                .env("PORT", Integer.toString(halted.port())).hooks(hooks));
    }

    @Test
    void a_resume_committed_between_a_pause_and_its_effect_leaves_the_debate_running() throws Exception {
        AtomicReference<Runnable> onPauseCommitted = new AtomicReference<>();
        fakes.answerAfter(Duration.ofMillis(80));
        TestServer server = fakes.start(fakes.server().hooks(new DebateHooks() {
            @Override
            public void controlCommitted(String debateId, String action) {
                Runnable interleaved = action.equals("pause") ? onPauseCommitted.getAndSet(null) : null;
                if (interleaved != null) {
                    interleaved.run();
                }
            }
        }));
        TestUser owner = server.createUser("owner@example.com");
        String id = startDebate(server, owner, 3);
        onPauseCommitted.set(() -> assertThat(control(server.http(), id, "resume", owner).status()).isEqualTo(200));

        assertThat(control(server.http(), id, "pause", owner).status()).isEqualTo(200);

        assertThat(onPauseCommitted.get()).as("the resume ran inside the pause").isNull();
        assertThat(status(server, id)).isIn("in_progress", "completed");
        assertCompletesWithEveryMessageOnce(server, id, 6);
    }

    @Test
    void a_pause_that_lands_while_recovery_resumes_a_debate_is_respected_by_its_job() throws Exception {
        Halted halted = haltedDuringTheFirstModelCall();
        TestUser owner = halted.owner();
        String id = halted.debateId();
        TestHttp http = halted.restartedHttp();
        AtomicReference<TestResponse> pausedInWindow = new AtomicReference<>();

        TestServer second = restart(halted, new DebateHooks() {
            @Override
            public void beforeRecoveryEnqueue(String debateId) {
                pausedInWindow.set(control(http, debateId, "pause", owner));
            }
        });
        int callsWhilePaused = fakes.chatCalls();

        assertThat(pausedInWindow.get().status()).isEqualTo(200);
        assertThat(status(second, id)).isEqualTo("paused");
        // A job that missed the pause would call the models straight away and run the debate to its end.
        Thread.sleep(500);
        assertThat(fakes.chatCalls()).isEqualTo(callsWhilePaused);
        assertThat(status(second, id)).isEqualTo("paused");
        assertThat(control(second.http(), id, "resume", owner).status()).isEqualTo(200);
        assertCompletesWithEveryMessageOnce(second, id, 4);
    }

    @Test
    void a_stop_racing_start_up_recovery_leaves_exactly_one_terminal_event() throws Exception {
        Halted halted = haltedDuringTheFirstModelCall();
        TestUser owner = halted.owner();
        String id = halted.debateId();
        TestHttp http = halted.restartedHttp();
        CountDownLatch recoveryStarting = new CountDownLatch(1);
        CountDownLatch stopCommitted = new CountDownLatch(1);
        CountDownLatch recoveryDone = new CountDownLatch(1);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            // The stop commits "stopped", then recovery runs in full (it sees a stopped debate without a terminal
            // event and repairs the log), and only then does the stop write its own debate_stopped.
            Future<TestResponse> stop = client.submit(() -> {
                await(recoveryStarting);
                return control(http, id, "stop", owner);
            });
            TestServer second = restart(halted, new DebateHooks() {
                @Override
                public void recoveryStarting() {
                    recoveryStarting.countDown();
                    await(stopCommitted);
                }

                @Override
                public void controlCommitted(String debateId, String action) {
                    stopCommitted.countDown();
                    await(recoveryDone);
                }
            });
            recoveryDone.countDown();

            assertThat(stop.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(status(second, id)).isEqualTo("stopped");
            SseResult result = DebateHarness.stream(second.baseUrl(), id, null);
            assertThat(count(result.events(), "debate_stopped")).isEqualTo(1);
            assertThat(terminalEvents(second, id)).isEqualTo(1);
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void a_storm_of_pauses_and_resumes_from_two_clients_ending_with_resume_completes_the_debate() throws Exception {
        // Three turns may run (and park, and resume) during the storm; the fourth answer waits for its end, so
        // the debate cannot finish while controls are still arriving, however slow the machine is. The model
        // timeout is raised so that the waiting call does not time out instead.
        AtomicInteger answers = new AtomicInteger();
        CountDownLatch stormOver = new CountDownLatch(1);
        fakes.chat = call -> {
            if (answers.incrementAndGet() > 3) {
                await(stormOver);
            }
            return Reply.json(200, DebateHarness.completion(call, DebateHarness.defaultAnswer(call)))
                    .delayed(Duration.ofMillis(30));
        };
        TestServer server = fakes.start(fakes.server().env("MODEL_TIMEOUT_SECONDS", "60"));
        TestUser owner = server.createUser("owner@example.com");
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        String id = startDebate(server, owner, 5);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String action = i % 2 == 0 ? "pause" : "resume";
                TestUser user = i % 4 < 2 ? owner : admin;
                calls.add(CompletableFuture.supplyAsync(() -> control(server.http(), id, action, user).status(),
                        clients));
            }
            for (CompletableFuture<Integer> call : calls) {
                assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(control(server.http(), id, "resume", owner).status()).isEqualTo(200);
        stormOver.countDown();

        assertCompletesWithEveryMessageOnce(server, id, 10);
    }

    @Test
    void the_schema_refuses_a_second_terminal_event_for_a_debate() throws Exception {
        TestServer server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = startDebate(server, owner, 1);
        assertCompletesWithEveryMessageOnce(server, id, 2);

        assertThatThrownBy(() -> server.jdbi().useHandle(h -> h.execute(
                "INSERT INTO debate_events (debate_id, seq, event, data, created_at, is_terminal) "
                        + "VALUES (?, 9999, 'debate_stopped', '{}', '2026-01-01T00:00:00.000Z', TRUE)", id)))
                .message().containsIgnoringCase("unique");
    }
}
