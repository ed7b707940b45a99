package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static com.polydebate.debates.DebateHarness.MODEL_C;
import static com.polydebate.debates.DebateHarness.model;
import static com.polydebate.debates.DebateHarness.quoted;
import static com.polydebate.debates.DebateHarness.round;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 §1 end to end, with the fake OpenRouter at the wire: round 1 is a blind forecast whose calls run
 * together, while the stream keeps its shape and later rounds quote the whole debate.
 */
class IndependentFirstRoundTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> THREE = List.of(MODEL_A, MODEL_B, MODEL_C);
    private static final String OLD_DEBATE = "0b7e3c1a-5d2f-4c8e-9a61-3f0d2b4c6e8a";

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();

    // ---- helpers ----

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        assertThat(await(latch, WAIT)).as("reached in time").isTrue();
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
                .get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    }

    private List<Call> chatRequests() {
        return fakes.openRouter.calls("POST", "/chat/completions");
    }

    private static List<String> names(SseResult result) {
        return result.events().stream().map(SseEvent::event).toList();
    }

    private static List<JsonNode> messages(SseResult result) {
        return result.events().stream().filter(e -> e.event().equals("message")).map(SseEvent::data).toList();
    }

    /** §10.5 for a debate where every turn gives a message: per model thinking then message, rounds apart. */
    private static List<String> shape(int models, int rounds) {
        List<String> events = new ArrayList<>(List.of("debate_started"));
        for (int r = 1; r <= rounds; r++) {
            for (int m = 0; m < models; m++) {
                events.add("model_thinking");
                events.add("message");
            }
            events.add(r < rounds ? "round_complete" : "debate_complete");
        }
        return events;
    }

    private static void assertSeqWithoutGaps(SseResult result) {
        for (int i = 0; i < result.events().size(); i++) {
            assertThat(result.events().get(i).id()).as("seq").isEqualTo(i + 1);
        }
    }

    /** A prompt quotes an earlier message as "[model name]: text" followed by its predictions. */
    private static void assertQuotes(Call request, List<JsonNode> earlier) {
        List<String> quoted = quoted(request);
        assertThat(quoted).as("quoted by " + model(request) + " in round " + round(request)).hasSize(earlier.size());
        for (int i = 0; i < earlier.size(); i++) {
            assertThat(quoted.get(i)).startsWith("[" + earlier.get(i).path("model_name").asText() + "]: "
                    + earlier.get(i).path("text").asText());
        }
    }

    private static long storedFlag(TestServer server, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM debates WHERE debate_id = :id AND independent_first_round = TRUE")
                .bind("id", debateId).mapTo(Long.class).one());
    }

    private static int storedMessages(TestServer server, String debateId) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE debate_id = :id")
                .bind("id", debateId).mapTo(Integer.class).one());
    }

    // ---- tests ----

    @Test
    void round_one_calls_overlap_quote_no_other_answer_and_still_leave_in_model_order() throws Exception {
        // Each round-1 request holds its connection open until all three are open at the fake at once: only calls
        // that really run together get past the latch (a model asked in turn would wait in vain).
        CountDownLatch allOpen = new CountDownLatch(THREE.size());
        Map<String, Boolean> sawAllOpen = new ConcurrentHashMap<>();
        fakes.chat = call -> {
            if (round(call) != 1) {
                return DebateHarness.defaultReply(call);
            }
            allOpen.countDown();
            sawAllOpen.put(model(call), await(allOpen, Duration.ofSeconds(5)));
            // The answers then come back in reverse model order.
            return DebateHarness.defaultReply(call).delayed(Duration.ofMillis(150L * (2 - THREE.indexOf(model(call)))));
        };
        TestServer server = fakes.start(fakes.server().env("MODEL_TIMEOUT_SECONDS", "10"));
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 3, MODEL_A, MODEL_B, MODEL_C);

        SseResult result = stream(server, id);

        assertThat(sawAllOpen).as("every round-1 request saw the other two open")
                .isEqualTo(Map.of(MODEL_A, true, MODEL_B, true, MODEL_C, true));
        assertThat(names(result)).containsExactlyElementsOf(shape(3, 3));
        assertSeqWithoutGaps(result);
        List<JsonNode> messages = messages(result);
        assertThat(messages).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(messages).extracting(m -> m.path("model_id").asText())
                .containsExactly(MODEL_A, MODEL_B, MODEL_C, MODEL_A, MODEL_B, MODEL_C, MODEL_A, MODEL_B, MODEL_C);
        List<SseEvent> events = result.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).event().equals("message")) {
                assertThat(events.get(i - 1).event()).isEqualTo("model_thinking");
                assertThat(events.get(i - 1).data().path("model_id").asText())
                        .isEqualTo(events.get(i).data().path("model_id").asText());
            }
        }
        assertThat(messages).allSatisfy(m -> assertThat(m.path("audio_url").isTextual()).isTrue());

        List<Call> requests = chatRequests();
        assertThat(requests).hasSize(9);
        for (Call request : requests) {
            int round = round(request);
            int position = THREE.indexOf(model(request));
            List<JsonNode> prompt = DebateHarness.requestMessages(request);
            if (round == 1) {
                assertThat(quoted(request)).as("a round-1 prompt quotes no other answer").isEmpty();
                assertThat(prompt).hasSize(2);
                assertThat(prompt.get(0).path("content").asText()).contains("forecasts independently");
                assertThat(prompt.get(1).path("content").asText()).contains("opening argument");
            } else {
                // Later rounds quote the whole debate so far, in emission order.
                assertQuotes(request, messages.subList(0, 3 * (round - 1) + position));
                assertThat(prompt.get(0).path("content").asText()).doesNotContain("independently");
            }
        }

        JsonNode detail = server.http().get("/api/debate/" + id).json();
        assertThat(detail.path("independent_first_round").isBoolean()).isTrue();
        assertThat(detail.path("independent_first_round").asBoolean()).isTrue();
        assertThat(storedFlag(server, id)).isEqualTo(1);
    }

    @Test
    void with_the_option_false_round_one_runs_in_turn_and_every_prompt_quotes_every_earlier_answer()
            throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        fakes.chat = call -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.decrementAndGet();
            }
            return DebateHarness.defaultReply(call);
        };
        TestServer server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, false, MODEL_A, MODEL_B, MODEL_C);

        SseResult result = stream(server, id);

        assertThat(names(result)).containsExactlyElementsOf(shape(3, 2));
        assertSeqWithoutGaps(result);
        assertThat(mostOpen.get()).as("model calls open at once").isEqualTo(1);
        List<JsonNode> messages = messages(result);
        List<Call> requests = chatRequests();
        assertThat(requests).extracting(c -> round(c) + " " + model(c)).containsExactly("1 " + MODEL_A,
                "1 " + MODEL_B, "1 " + MODEL_C, "2 " + MODEL_A, "2 " + MODEL_B, "2 " + MODEL_C);
        for (int k = 0; k < requests.size(); k++) {
            assertQuotes(requests.get(k), messages.subList(0, k));
            assertThat(DebateHarness.requestMessages(requests.get(k)).get(0).path("content").asText())
                    .doesNotContain("independently");
        }
        JsonNode detail = server.http().get("/api/debate/" + id).json();
        assertThat(detail.path("independent_first_round").isBoolean()).isTrue();
        assertThat(detail.path("independent_first_round").asBoolean()).isFalse();
        assertThat(storedFlag(server, id)).isZero();
    }

    @Test
    void the_default_comes_from_INDEPENDENT_FIRST_ROUND_the_request_wins_and_older_debates_read_false() {
        TestServer server = fakes.start(fakes.server().env("INDEPENDENT_FIRST_ROUND", "false"));
        TestUser owner = server.createUser("owner@example.com");

        String byDefault = DebateHarness.startDebate(server, owner, 1, MODEL_A);
        String chosen = DebateHarness.startDebate(server, owner, 1, true, MODEL_A);
        String withNull = DebateHarness.debateId(server.http().post("/api/debate/start",
                "{\"market_id\":\"" + BINARY_MARKET + "\",\"model_ids\":[\"" + MODEL_A + "\"],"
                        + "\"independent_first_round\":null}", owner.auth()));
        // A debate row as written before V10: the column is left to its default.
        server.jdbi().useHandle(h -> h.execute("INSERT INTO debates (debate_id, user_id, status, market_id, "
                + "market_question, polymarket_odds, rounds, created_at) VALUES (?, ?, 'completed', "
                + "'2890', 'Old?', '{}', 1, '2026-01-01T00:00:00.000Z')", OLD_DEBATE, owner.id()));

        assertThat(server.http().get("/api/debate/" + byDefault).json().path("independent_first_round").asBoolean())
                .isFalse();
        assertThat(server.http().get("/api/debate/" + chosen).json().path("independent_first_round").asBoolean())
                .isTrue();
        assertThat(server.http().get("/api/debate/" + withNull).json().path("independent_first_round").asBoolean())
                .isFalse();
        JsonNode old = server.http().get("/api/debate/" + OLD_DEBATE).json();
        assertThat(old.path("independent_first_round").isBoolean()).isTrue();
        assertThat(old.path("independent_first_round").asBoolean()).isFalse();
        assertThat(storedFlag(server, chosen)).isEqualTo(1);
        assertThat(storedFlag(server, byDefault)).isZero();
    }

    @Test
    void an_option_that_is_not_a_json_boolean_answers_400_validation_error_and_creates_nothing() {
        TestServer server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");

        for (String value : List.of("\"true\"", "1", "0", "\"yes\"", "{}", "[true]")) {
            TestResponse response = server.http().post("/api/debate/start", "{\"market_id\":\"" + BINARY_MARKET
                    + "\",\"model_ids\":[\"" + MODEL_A + "\"],\"independent_first_round\":" + value + "}",
                    owner.auth());

            assertThat(response.status()).as(value).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("validation_error");
            JsonNode error = response.json().path("error");
            assertThat(error.path("details").path("independent_first_round").asText()).isEqualTo("must be true or false");
            assertThat(error.path("message").asText()).contains("independent_first_round")
                    .doesNotContain("daily").doesNotContain("limit");
        }
        TestResponse together = server.http().post("/api/debate/start",
                "{\"market_id\":\"\",\"model_ids\":[\"" + MODEL_A + "\"],\"independent_first_round\":\"no\"}",
                owner.auth());
        assertThat(together.json().path("error").path("details").size()).isEqualTo(2);
        int debates = server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM debates")
                .mapTo(Integer.class).one());
        assertThat(debates).isZero();
        assertThat(fakes.chatCalls()).isZero();
    }

    @Test
    void a_crash_in_the_middle_of_round_one_resumes_the_rest_of_round_one_still_blind_with_every_turn_once()
            throws Exception {
        CountDownLatch allArrived = new CountDownLatch(3);
        CountDownLatch halted = new CountDownLatch(1);
        fakes.chat = call -> {
            allArrived.countDown();
            // The second and third models answer only once the first instance is gone.
            if (!model(call).equals(MODEL_A)) {
                await(halted, WAIT);
            }
            return DebateHarness.defaultReply(call);
        };
        TestServer first = fakes.start();
        TestUser owner = first.createUser("owner@example.com");
        String id = DebateHarness.startDebate(first, owner, 2, MODEL_A, MODEL_B, MODEL_C);
        await(allArrived);
        poll(() -> storedMessages(first, id) == 1, "the first model's message is committed");
        int before = fakes.chatCalls();
        first.app().haltAbruptly();
        fakes.chat = DebateHarness::defaultReply;
        halted.countDown();

        TestServer second = fakes.start(fakes.server().storage(first.storage()));
        SseResult result = stream(second, id);

        assertThat(before).isEqualTo(3);
        assertSeqWithoutGaps(result);
        // A turn that was in flight at the crash shows its model_thinking again when it is re-run (§11.1).
        List<SseEvent> events = result.events();
        List<String> collapsed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            boolean repeated = i + 1 < events.size() && events.get(i).event().equals("model_thinking")
                    && events.get(i + 1).event().equals("model_thinking")
                    && events.get(i).data().path("model_id").equals(events.get(i + 1).data().path("model_id"));
            if (!repeated) {
                collapsed.add(events.get(i).event());
            }
        }
        assertThat(collapsed).containsExactlyElementsOf(shape(3, 2));
        List<JsonNode> messages = messages(result);
        assertThat(messages).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(messages).extracting(m -> m.path("round").asInt() + " " + m.path("model_id").asText())
                .containsExactly("1 " + MODEL_A, "1 " + MODEL_B, "1 " + MODEL_C, "2 " + MODEL_A, "2 " + MODEL_B,
                        "2 " + MODEL_C);
        List<Integer> turns = second.jdbi().withHandle(h -> h.createQuery(
                "SELECT turn_index FROM messages WHERE debate_id = :id ORDER BY sequence").bind("id", id)
                .mapTo(Integer.class).list());
        assertThat(turns).containsExactly(0, 1, 2, 3, 4, 5);
        // After the restart the two round-1 models not yet emitted are asked again, still quoting nobody (the
        // first model's answer is in the database by then), then round 2 quotes all of round 1.
        List<Call> after = chatRequests().subList(before, chatRequests().size());
        assertThat(after).extracting(c -> round(c) + " " + model(c)).containsExactlyInAnyOrder("1 " + MODEL_B,
                "1 " + MODEL_C, "2 " + MODEL_A, "2 " + MODEL_B, "2 " + MODEL_C);
        for (Call request : after) {
            if (round(request) == 1) {
                assertThat(quoted(request)).isEmpty();
            } else {
                assertQuotes(request, messages.subList(0, 3 + THREE.indexOf(model(request))));
            }
        }
    }

    @Test
    void a_pause_during_round_one_lets_the_started_turns_finish_parks_at_the_round_boundary_and_resumes()
            throws Exception {
        CountDownLatch parked = new CountDownLatch(1);
        TestServer server = fakes.start(fakes.server().hooks(new DebateHooks() {
            @Override
            public void jobParked(String debateId) {
                parked.countDown();
            }
        }));
        CountDownLatch allArrived = new CountDownLatch(3);
        CountDownLatch pausedFirst = new CountDownLatch(1);
        fakes.chat = call -> {
            if (round(call) == 1) {
                allArrived.countDown();
                await(pausedFirst, WAIT);
            }
            return DebateHarness.defaultReply(call);
        };
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A, MODEL_B, MODEL_C);
        await(allArrived);

        assertThat(server.http().post("/api/debate/" + id + "/pause", null, owner.auth()).status()).isEqualTo(200);
        pausedFirst.countDown();
        await(parked);

        assertThat(fakes.chatCalls()).as("no model is asked while paused").isEqualTo(3);
        assertThat(storedMessages(server, id)).as("the turns already asked finish").isEqualTo(3);
        List<String> whileParked = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT event FROM debate_events WHERE debate_id = :id ORDER BY seq").bind("id", id)
                .mapTo(String.class).list());
        assertThat(whileParked.get(whileParked.size() - 1)).isEqualTo("round_complete");
        assertThat(whileParked.stream().filter("model_thinking"::equals).count()).isEqualTo(3);

        assertThat(server.http().post("/api/debate/" + id + "/resume", null, owner.auth()).status()).isEqualTo(200);
        SseResult result = stream(server, id);

        assertSeqWithoutGaps(result);
        List<String> names = names(result).stream()
                .filter(n -> !n.equals("debate_paused") && !n.equals("debate_resumed")).toList();
        assertThat(names).containsExactlyElementsOf(shape(3, 2));
        assertThat(messages(result)).extracting(m -> m.path("round").asInt() + " " + m.path("model_id").asText())
                .containsExactly("1 " + MODEL_A, "1 " + MODEL_B, "1 " + MODEL_C, "2 " + MODEL_A, "2 " + MODEL_B,
                        "2 " + MODEL_C);
        assertThat(fakes.chatCalls()).isEqualTo(6);
    }

    @Test
    void a_stop_during_round_one_emits_no_turn_after_the_first_unanswered_one_and_asks_nobody_else()
            throws Exception {
        CountDownLatch bArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fakes.chat = call -> {
            if (model(call).equals(MODEL_B)) {
                bArrived.countDown();
                await(release, WAIT);
            }
            return DebateHarness.defaultReply(call);
        };
        TestServer server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A, MODEL_B, MODEL_C);
        await(bArrived);
        poll(() -> storedMessages(server, id) == 1, "the first model's message is committed");
        // The third model's answer is in: its narration has been asked for, though its turn cannot leave before B's.
        poll(() -> fakes.elevenLabs.calls().stream().anyMatch(c -> c.body().contains(MODEL_C)),
                "the third answer was read");
        poll(() -> server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM debate_events "
                + "WHERE debate_id = :id AND event = 'model_thinking'").bind("id", id).mapTo(Integer.class).one()) == 2,
                "the second model's turn is up");

        TestResponse stopped = server.http().post("/api/debate/" + id + "/stop", null, owner.auth());
        SseResult result = stream(server, id);
        release.countDown();

        assertThat(stopped.status()).isEqualTo(200);
        assertSeqWithoutGaps(result);
        assertThat(names(result)).containsExactly("debate_started", "model_thinking", "message", "model_thinking",
                "debate_stopped");
        assertThat(messages(result)).extracting(m -> m.path("model_id").asText()).containsExactly(MODEL_A);
        assertThat(result.events().get(result.events().size() - 1).data().path("total_messages").asInt()).isEqualTo(1);
        assertThat(storedMessages(server, id)).isEqualTo(1);
        assertThat(fakes.chatCalls()).isEqualTo(3);
    }

    @Test
    void a_model_failing_in_round_one_gets_its_model_level_error_in_its_place_and_the_others_carry_on()
            throws Exception {
        fakes.chat = call -> model(call).equals(MODEL_B) && round(call) == 1
                ? Reply.json(500, "{\"error\":{\"message\":\"Internal Server Error\"}}")
                : DebateHarness.defaultReply(call);
        TestServer server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A, MODEL_B, MODEL_C);

        SseResult result = stream(server, id);

        assertSeqWithoutGaps(result);
        assertThat(names(result)).containsExactly("debate_started",
                "model_thinking", "message", "model_thinking", "debate_error", "model_thinking", "message",
                "round_complete",
                "model_thinking", "message", "model_thinking", "message", "model_thinking", "message",
                "debate_complete");
        JsonNode error = result.events().get(4).data();
        assertThat(error.path("model_id").asText()).isEqualTo(MODEL_B);
        assertThat(error.path("round").asInt()).isEqualTo(1);
        assertThat(error.path("error_type").asText()).isEqualTo("error");
        assertThat(result.events().get(7).data().path("messages_count").asInt()).isEqualTo(2);
        List<JsonNode> messages = messages(result);
        assertThat(messages).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3, 4, 5);
        for (Call request : chatRequests()) {
            if (round(request) == 2) {
                assertQuotes(request, messages.subList(0, 2 + THREE.indexOf(model(request))));
            }
        }
    }

    @Test
    void model_calls_beyond_MODEL_CALL_CONCURRENCY_wait_their_turn_across_debates() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        fakes.chat = call -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.decrementAndGet();
            }
            return DebateHarness.defaultReply(call);
        };
        TestServer server = fakes.start(fakes.server().env("MODEL_CALL_CONCURRENCY", "2"));
        TestUser owner = server.createUser("owner@example.com");
        String first = DebateHarness.startDebate(server, owner, 1, MODEL_A, MODEL_B, MODEL_C);
        String second = DebateHarness.startDebate(server, owner, 1, MODEL_A, MODEL_B, MODEL_C);

        SseResult one = stream(server, first);
        SseResult two = stream(server, second);

        assertThat(names(one)).containsExactlyElementsOf(shape(3, 1));
        assertThat(names(two)).containsExactlyElementsOf(shape(3, 1));
        assertThat(fakes.chatCalls()).isEqualTo(6);
        assertThat(mostOpen.get()).as("model calls open at once over both debates").isEqualTo(2);
    }
}
