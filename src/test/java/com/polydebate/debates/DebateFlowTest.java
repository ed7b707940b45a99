package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.CATEGORICAL_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static com.polydebate.debates.DebateHarness.MODEL_C;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DebateFlowTest {
    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;
    private TestUser owner;

    @BeforeEach
    void start() {
        server = fakes.start();
        owner = server.createUser("owner@example.com");
    }

    private String start(String market, int rounds, String... models) {
        return DebateHarness.debateId(server.http().post("/api/debate/start",
                DebateHarness.startBody(market, rounds, models), owner.auth()));
    }

    private static List<String> names(List<SseEvent> events) {
        return events.stream().map(SseEvent::event).toList();
    }

    @Test
    void binary_debate_streams_every_turn_in_order_with_predictions_and_fetchable_audio() throws Exception {
        TestResponse started = server.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, 2, MODEL_A, MODEL_B), owner.auth());
        assertThat(started.status()).isEqualTo(201);
        JsonNode body = started.json();
        String id = body.path("debate_id").asText();
        assertThat(body.path("status").asText()).isEqualTo("initialized");
        assertThat(body.path("total_messages_expected").asInt()).isEqualTo(4);
        assertThat(body.path("stream_url").asText()).isEqualTo("/api/debate/" + id + "/stream");
        assertThat(body.path("models").get(1).path("model_name").asText()).isEqualTo("Grok 4 Fast");
        assertThat(body.path("models").get(1).path("provider").asText()).isEqualTo("X-Ai");
        assertThat(body.path("market").path("id").asText()).isEqualTo(BINARY_MARKET);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.firstLine()).isEqualTo("retry: 3000");
        assertThat(result.headers().get("content-type").get(0)).startsWith("text/event-stream");
        assertThat(result.headers().get("x-accel-buffering")).containsExactly("no");
        assertThat(result.headers().get("cache-control")).containsExactly("no-cache");
        assertThat(names(result.events())).containsExactly("debate_started",
                "model_thinking", "message", "model_thinking", "message", "round_complete",
                "model_thinking", "message", "model_thinking", "message", "debate_complete");
        for (int i = 0; i < result.events().size(); i++) {
            assertThat(result.events().get(i).id()).isEqualTo(i + 1);
        }
        List<JsonNode> messages = result.events().stream().filter(e -> e.event().equals("message"))
                .map(SseEvent::data).toList();
        assertThat(messages).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(messages).extracting(m -> m.path("message_type").asText())
                .containsExactly("initial", "initial", "final", "final");
        assertThat(messages).extracting(m -> m.path("model_id").asText()).containsExactly(MODEL_A, MODEL_B, MODEL_A, MODEL_B);
        JsonNode first = messages.get(0);
        assertThat(first.path("text").asText()).isEqualTo(MODEL_A + " sees the odds near 39.78% today.");
        List<String> outcomes = new ArrayList<>();
        first.path("predictions").fieldNames().forEachRemaining(outcomes::add);
        assertThat(outcomes).hasSize(2);
        assertThat(first.path("predictions").get(outcomes.get(0)).asDouble()
                + first.path("predictions").get(outcomes.get(1)).asDouble()).isEqualTo(100.0);
        assertThat(first.path("audio_url").asText()).isEqualTo("/api/audio/" + first.path("message_id").asText() + ".mp3");
        assertThat(first.path("audio_duration").asDouble()).isEqualTo(1.0);
        assertThat(first.path("audio_error").isNull()).isTrue();
        JsonNode complete = result.events().get(result.events().size() - 1).data();
        assertThat(complete.path("total_messages").asInt()).isEqualTo(4);
        assertThat(complete.path("total_rounds").asInt()).isEqualTo(2);
        assertThat(complete.path("results_url").asText()).isEqualTo("/api/debate/" + id + "/results");
        JsonNode roundComplete = result.events().get(5).data();
        assertThat(roundComplete.path("round").asInt()).isEqualTo(1);
        assertThat(roundComplete.path("next_round").asInt()).isEqualTo(2);
        assertThat(roundComplete.path("messages_count").asInt()).isEqualTo(2);

        TestResponse audio = server.http().get(first.path("audio_url").asText(), "Range", "bytes=0-99");
        assertThat(audio.status()).isEqualTo(206);
        assertThat(audio.header("Content-Range")).contains("bytes 0-99/" + 417 * 40);
        assertThat(audio.header("Content-Type").orElse("")).startsWith("audio/mpeg");
        assertThat(audio.header("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(audio.bytes()).hasSize(100);
        TestResponse whole = server.http().get(first.path("audio_url").asText());
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Accept-Ranges")).contains("bytes");
        assertThat(whole.bytes()).isEqualTo(Files.readAllBytes(DebateHarness.audioFile(server, first.path("message_id").asText())));

        assertThat(fakes.chatCalls()).isEqualTo(4);
        Map<String, Object> row = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT status, total_tokens_used, next_turn, current_round, last_event_seq FROM debates WHERE debate_id = :id")
                .bind("id", id).mapToMap().one());
        assertThat(row.get("status")).isEqualTo("completed");
        assertThat(((Number) row.get("total_tokens_used")).intValue()).isEqualTo(4 * 52);
        assertThat(((Number) row.get("next_turn")).intValue()).isEqualTo(4);
        assertThat(((Number) row.get("current_round")).intValue()).isEqualTo(2);
        assertThat(((Number) row.get("last_event_seq")).intValue()).isEqualTo(11);
        // Two speech requests may run at once, so their arrival order is free; each model keeps its own voice.
        var voices = fakes.elevenLabs.calls().stream()
                .map(c -> (c.body().contains(MODEL_A) ? "A " : "B ") + c.path()).sorted().toList();
        assertThat(voices).containsExactly("A /text-to-speech/v0", "A /text-to-speech/v0", "B /text-to-speech/v1",
                "B /text-to-speech/v1");
        var chatCall = fakes.openRouter.calls("POST", "/chat/completions").get(0);
        assertThat(chatCall.header("Authorization")).isEqualTo("Bearer or-test-key");
        assertThat(chatCall.header("X-Title")).isEqualTo("PolyDebate");
        JsonNode request = DebateHarness.MAPPER.readTree(chatCall.body());
        assertThat(request.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(request.path("max_tokens").asInt()).isEqualTo(1000);
        var thirdCall = fakes.openRouter.calls("POST", "/chat/completions").get(2);
        List<JsonNode> thirdMessages = DebateHarness.requestMessages(thirdCall);
        assertThat(thirdMessages).hasSize(4);
        assertThat(thirdMessages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(thirdMessages.get(1).path("content").asText()).startsWith("[Claude Haiku 4.5]: ");
    }

    @Test
    void categorical_debate_predicts_with_the_canonical_outcome_names() {
        String id = start(CATEGORICAL_MARKET, 1, MODEL_A, MODEL_B, MODEL_C);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        List<JsonNode> messages = result.events().stream().filter(e -> e.event().equals("message"))
                .map(SseEvent::data).toList();
        assertThat(messages).hasSize(3);
        assertThat(names(result.events())).doesNotContain("round_complete");
        List<String> stored = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT name FROM debate_outcomes WHERE debate_id = :id ORDER BY position").bind("id", id)
                .mapTo(String.class).list());
        assertThat(stored.size()).isGreaterThan(2);
        for (JsonNode m : messages) {
            List<String> keys = new ArrayList<>();
            m.path("predictions").fieldNames().forEachRemaining(keys::add);
            assertThat(stored).containsAll(keys);
            double sum = 0;
            for (String k : keys) {
                sum += m.path("predictions").get(k).asDouble();
            }
            assertThat(sum).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(m.path("message_type").asText()).isEqualTo("initial");
        }
        String odds = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT polymarket_odds FROM debates WHERE debate_id = :id").bind("id", id).mapTo(String.class).one());
        assertThat(odds).startsWith("{\"");
    }

    @Test
    void fifty_viewers_late_joiners_and_a_reconnect_all_see_the_same_sequence_and_the_debate_runs_once()
            throws Exception {
        fakes.answerAfter(Duration.ofMillis(150));
        String id = start(BINARY_MARKET, 2, MODEL_A, MODEL_B);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<SseResult>> viewers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            viewers.add(pool.submit(() -> DebateHarness.stream(server.baseUrl(), id, null)));
        }
        List<SseResult> results = new ArrayList<>();
        for (Future<SseResult> viewer : viewers) {
            results.add(viewer.get());
        }
        pool.shutdown();
        SseResult late = DebateHarness.stream(server.baseUrl(), id, null);
        SseResult reconnect = DebateHarness.stream(server.baseUrl(), id, "3");

        List<String> reference = signature(results.get(0).events());
        assertThat(reference).hasSize(11);
        for (SseResult r : results) {
            assertThat(signature(r.events())).isEqualTo(reference);
        }
        assertThat(signature(late.events())).isEqualTo(reference);
        assertThat(signature(reconnect.events())).isEqualTo(reference.subList(3, reference.size()));
        assertThat(fakes.chatCalls()).isEqualTo(4);
    }

    private static List<String> signature(List<SseEvent> events) {
        return events.stream().map(e -> e.id() + " " + e.event() + " " + e.data()).toList();
    }

    @Test
    void a_finished_debate_replays_and_closes_without_upstream_calls_then_answers_204_to_an_up_to_date_cursor() {
        String id = start(BINARY_MARKET, 1, MODEL_A);
        SseResult live = DebateHarness.stream(server.baseUrl(), id, null);
        int calls = fakes.chatCalls();

        SseResult replay = DebateHarness.stream(server.baseUrl(), id, null);
        SseResult upToDate = DebateHarness.stream(server.baseUrl(), id, String.valueOf(live.events().size()));
        TestResponse byQuery = server.http().get("/api/debate/" + id + "/stream?last_event_id=999",
                "Accept", "text/event-stream");
        SseResult nonNumeric = DebateHarness.stream(server.baseUrl(), id, "abc");

        assertThat(replay.events()).isEqualTo(live.events());
        assertThat(upToDate.status()).isEqualTo(204);
        assertThat(byQuery.status()).isEqualTo(204);
        assertThat(nonNumeric.events()).isEqualTo(live.events());
        assertThat(fakes.chatCalls()).isEqualTo(calls);
    }

    @Test
    void stream_of_an_unknown_debate_answers_404_json() {
        TestResponse response = server.http().get("/api/debate/nope/stream", "Accept", "text/event-stream");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("debate_not_found");
    }

    @Test
    void owner_pauses_resumes_and_stops_while_others_get_403_and_a_finished_debate_409() throws Exception {
        fakes.answerAfter(Duration.ofMillis(300));
        TestUser other = server.createUser("other@example.com");
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        String id = start(BINARY_MARKET, 3, MODEL_A, MODEL_B);
        String empty = null;

        TestResponse foreign = server.http().post("/api/debate/" + id + "/pause", empty, other.auth());
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.errorCode()).isEqualTo("forbidden");
        TestResponse paused = server.http().post("/api/debate/" + id + "/pause", empty, owner.auth());
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().path("status").asText()).isEqualTo("paused");
        assertThat(paused.json().path("paused_at").asText()).endsWith("Z");
        assertThat(server.http().post("/api/debate/" + id + "/pause", empty, owner.auth()).status()).isEqualTo(200);
        Thread.sleep(800);
        int callsWhilePaused = fakes.chatCalls();
        Thread.sleep(700);
        assertThat(fakes.chatCalls()).isEqualTo(callsWhilePaused);
        TestResponse resumed = server.http().post("/api/debate/" + id + "/resume", empty, admin.auth());
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().path("status").asText()).isEqualTo("in_progress");
        Thread.sleep(400);
        TestResponse stopped = server.http().post("/api/debate/" + id + "/stop", empty, owner.auth());
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().path("status").asText()).isEqualTo("stopped");
        assertThat(stopped.json().has("completed_rounds")).isTrue();

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);
        List<String> names = names(result.events());
        assertThat(names).contains("debate_paused", "debate_resumed");
        assertThat(names.get(names.size() - 1)).isEqualTo("debate_stopped");
        assertThat(names).doesNotContain("debate_complete");
        JsonNode pausedEvent = result.events().stream().filter(e -> e.event().equals("debate_paused")).findFirst()
                .orElseThrow().data();
        assertThat(pausedEvent.path("paused_by").asText()).isEqualTo("user");
        assertThat(result.events().get(result.events().size() - 1).data().path("stopped_by").asText()).isEqualTo("user");
        for (int i = 0; i < result.events().size(); i++) {
            assertThat(result.events().get(i).id()).isEqualTo(i + 1);
        }
        assertThat(server.http().post("/api/debate/" + id + "/stop", empty, owner.auth()).status()).isEqualTo(409);
        assertThat(server.http().post("/api/debate/" + id + "/pause", empty, owner.auth()).errorCode())
                .isEqualTo("debate_not_active");
        assertThat(server.http().post("/api/debate/" + id + "/resume", empty, owner.auth()).status()).isEqualTo(409);
        assertThat(server.http().post("/api/debate/nope/stop", empty, owner.auth()).status()).isEqualTo(404);
        assertThat(server.http().post("/api/debate/" + id + "/stop", empty).status()).isEqualTo(401);
    }

    @Test
    void delete_with_an_empty_json_body_stops_a_running_debate_and_hides_it() throws Exception {
        fakes.answerAfter(Duration.ofMillis(300));
        TestUser other = server.createUser("other@example.com");
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        String id = start(BINARY_MARKET, 3, MODEL_A, MODEL_B);

        assertThat(server.http().delete("/api/debates/" + id, "Content-Type", "application/json", other.auth()[0],
                other.auth()[1]).status()).isEqualTo(403);
        TestResponse deleted = server.http().delete("/api/debates/" + id, "Content-Type", "application/json",
                admin.auth()[0], admin.auth()[1]);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("success").asBoolean()).isTrue();
        assertThat(deleted.json().path("message").asText()).isEqualTo("Debate deleted");
        assertThat(deleted.json().path("debate_id").asText()).isEqualTo(id);
        assertThat(server.http().get("/api/debate/" + id + "/stream", "Accept", "text/event-stream").status())
                .isEqualTo(404);
        assertThat(server.http().delete("/api/debates/" + id, owner.auth()).status()).isEqualTo(404);
        // The delete, like stop, does not wait for the running job, which writes the terminal event itself.
        long deadline = System.currentTimeMillis() + 20_000;
        while (terminalEvents(id) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        String lastEvent = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT event FROM debate_events WHERE debate_id = :id ORDER BY seq DESC LIMIT 1").bind("id", id)
                .mapTo(String.class).one());
        String stoppedBy = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT data FROM debate_events WHERE debate_id = :id ORDER BY seq DESC LIMIT 1").bind("id", id)
                .mapTo(String.class).one());
        assertThat(lastEvent).isEqualTo("debate_stopped");
        assertThat(stoppedBy).contains("\"stopped_by\":\"admin\"");
    }

    private long terminalEvents(String id) {
        return server.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM debate_events WHERE debate_id = :id AND is_terminal").bind("id", id)
                .mapTo(Long.class).one());
    }
}
