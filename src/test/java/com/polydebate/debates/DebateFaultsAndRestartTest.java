package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DebateFaultsAndRestartTest {
    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;

    @Test
    void every_upstream_fault_is_reported_per_contract_and_the_debate_still_completes() {
        AtomicInteger calls = new AtomicInteger();
        fakes.chat = call -> {
            String answer = DebateHarness.defaultAnswer(call);
            return switch (calls.incrementAndGet()) {
                case 1 -> Reply.json(429, Fixtures.text("openrouter/error-429.json")).withHeader("Retry-After", "1");
                case 2 -> Reply.json(200, DebateHarness.completion(call, answer));
                case 3 -> Reply.json(500, "{\"error\":{\"message\":\"Internal Server Error\"}}");
                case 4 -> Reply.json(200, "{\"choices\": [ {\"message\": ");
                case 5 -> Reply.json(200, DebateHarness.completion(call, "   "));
                case 6 -> Reply.json(200, DebateHarness.completion(call,
                        "Sure! Here it is:\n```json\n" + answer + "\n```"));
                case 7 -> Reply.json(200, DebateHarness.completion(call,
                        "{\"argument\": \"Truncated but **useful** view at 3.5% odds\", \"predictions\": {\"Ye"));
                default -> Reply.json(200, DebateHarness.completion(call, answer)).delayed(Duration.ofMillis(2500));
            };
        };
        fakes.speech = call -> Reply.json(401, Fixtures.text("elevenlabs/error-401-quota-exceeded.json"));
        server = fakes.start(fakes.server().env("MODEL_TIMEOUT_SECONDS", "1"));
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 7, MODEL_A);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        List<SseEvent> outcomes = result.events().stream()
                .filter(e -> e.event().equals("message") || e.event().equals("debate_error")).toList();
        assertThat(outcomes).extracting(SseEvent::event).containsExactly(
                "message", "debate_error", "debate_error", "debate_error", "message", "message", "debate_error");
        JsonNode retried = outcomes.get(0).data();
        assertThat(retried.path("audio_url").isNull()).isTrue();
        assertThat(retried.path("audio_duration").isNull()).isTrue();
        assertThat(retried.path("audio_error").asText()).isEqualTo("ElevenLabs character quota used up");
        JsonNode serverError = outcomes.get(1).data();
        assertThat(serverError.path("error_type").asText()).isEqualTo("error");
        assertThat(serverError.path("error").asText()).startsWith("HTTP 500");
        assertThat(serverError.path("model_id").asText()).isEqualTo(MODEL_A);
        assertThat(serverError.path("message").asText()).startsWith("Claude Haiku 4.5 failed: ");
        assertThat(outcomes.get(2).data().path("error_type").asText()).isEqualTo("error");
        JsonNode empty = outcomes.get(3).data();
        assertThat(empty.path("error_type").asText()).isEqualTo("invalid_response");
        assertThat(empty.path("message").asText())
                .isEqualTo("Claude Haiku 4.5 sent back an empty answer; the other models carry on.");
        JsonNode fenced = outcomes.get(4).data();
        assertThat(fenced.path("text").asText()).isEqualTo(MODEL_A + " sees the odds near 39.78% today.");
        assertThat(fenced.path("predictions").size()).isEqualTo(2);
        JsonNode truncated = outcomes.get(5).data();
        assertThat(truncated.path("text").asText()).isEqualTo("Truncated but useful view at 3.5% odds.");
        assertThat(truncated.path("predictions").size()).isZero();
        JsonNode timeout = outcomes.get(6).data();
        assertThat(timeout.path("error_type").asText()).isEqualTo("timeout");
        assertThat(timeout.path("message").asText())
                .isEqualTo("Claude Haiku 4.5 gave no answer within 1 s; the other models carry on.");
        assertThat(outcomes.stream().filter(e -> e.event().equals("message")).map(e -> e.data().path("sequence").asInt()))
                .containsExactly(1, 2, 3);
        assertThat(result.events().get(result.events().size() - 1).event()).isEqualTo("debate_complete");
        assertThat(fakes.chatCalls()).isEqualTo(8);
    }

    @Test
    void a_debate_where_no_model_answers_fails_with_a_fatal_error() {
        fakes.chat = call -> Reply.json(500, "{}");
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 1, MODEL_A, MODEL_B);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        SseEvent last = result.events().get(result.events().size() - 1);
        assertThat(last.event()).isEqualTo("debate_error");
        assertThat(last.data().path("fatal").asBoolean()).isTrue();
        assertThat(last.data().path("status").asText()).isEqualTo("failed");
        assertThat(last.data().path("message").asText())
                .isEqualTo("No model produced a message. Check the model selection and OpenRouter status.");
        assertThat(DebateHarness.stream(server.baseUrl(), id, String.valueOf(last.id())).status()).isEqualTo(204);
    }

    @Test
    void a_crash_mid_debate_resumes_after_restart_with_every_turn_exactly_once() throws Exception {
        fakes.answerAfter(Duration.ofMillis(250));
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 3, MODEL_A, MODEL_B);
        long deadline = System.currentTimeMillis() + 10_000;
        while (messages(id) < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        server.app().haltAbruptly();
        long seen;
        try (var database = com.polydebate.db.Database.open(server.config().databaseUrl())) {
            seen = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM debate_events WHERE debate_id = :id").bind("id", id).mapTo(Long.class).one());
        }
        TestServer first = server;
        server = fakes.start(fakes.server().storage(first.storage()));

        SseResult rest = DebateHarness.stream(server.baseUrl(), id, String.valueOf(seen));

        assertThat(rest.events().get(0).id()).isEqualTo(seen + 1);
        assertThat(rest.events().get(rest.events().size() - 1).event()).isEqualTo("debate_complete");
        List<Map<String, Object>> all = events(server, id);
        for (int i = 0; i < all.size(); i++) {
            assertThat(((Number) all.get(i).get("seq")).intValue()).isEqualTo(i + 1);
        }
        assertThat(all.stream().filter(e -> e.get("event").equals("debate_started")).count()).isEqualTo(1);
        List<Map<String, Object>> messages = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT sequence, turn_index FROM messages WHERE debate_id = :id ORDER BY sequence").bind("id", id)
                .mapToMap().list());
        assertThat(messages).extracting(m -> ((Number) m.get("sequence")).intValue()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(messages).extracting(m -> ((Number) m.get("turn_index")).intValue()).containsExactly(0, 1, 2, 3, 4, 5);
        long messageEvents = all.stream().filter(e -> e.get("event").equals("message")).count();
        assertThat(messageEvents).isEqualTo(6);
        SseResult full = DebateHarness.stream(server.baseUrl(), id, null);
        assertThat(full.events()).hasSize(all.size());
    }

    @Test
    void a_paused_debate_stays_paused_across_a_restart_until_resumed() throws Exception {
        // The first answer waits for the pause, so that the pause always lands before the second turn.
        CountDownLatch pauseSent = new CountDownLatch(1);
        fakes.chat = call -> {
            try {
                pauseSent.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DebateHarness.defaultReply(call).delayed(Duration.ofMillis(200));
        };
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A);
        assertThat(server.http().post("/api/debate/" + id + "/pause", null, owner.auth()).status()).isEqualTo(200);
        pauseSent.countDown();
        Thread.sleep(500);
        server.app().haltAbruptly();
        TestServer first = server;
        server = fakes.start(fakes.server().storage(first.storage()));
        int calls = fakes.chatCalls();
        Thread.sleep(600);
        assertThat(fakes.chatCalls()).isEqualTo(calls);
        String status = server.jdbi().withHandle(h -> h.createQuery("SELECT status FROM debates WHERE debate_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(status).isEqualTo("paused");
        owner = new TestUser(owner.user(), server.app().tokens().issue(owner.user()));

        assertThat(server.http().post("/api/debate/" + id + "/resume", null, owner.auth()).status()).isEqualTo(200);
        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(result.events().get(result.events().size() - 1).event()).isEqualTo("debate_complete");
        assertThat(result.events().stream().filter(e -> e.event().equals("message")).count()).isEqualTo(2);
        assertThat(result.events().stream().filter(e -> e.event().equals("debate_started")).count()).isEqualTo(1);
    }

    private int messages(String id) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE debate_id = :id")
                .bind("id", id).mapTo(Integer.class).one());
    }

    private static List<Map<String, Object>> events(TestServer server, String id) {
        return new java.util.ArrayList<>(server.app().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT seq, event FROM debate_events WHERE debate_id = :id ORDER BY seq").bind("id", id)
                .mapToMap().list()));
    }
}
