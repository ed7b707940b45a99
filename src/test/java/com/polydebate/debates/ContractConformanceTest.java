package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Field-by-field checks of §9–§11 at the wire: event data fields, prompts of short debates, the snapshot. */
class ContractConformanceTest {
    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> fieldOrder(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> set(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static List<SseEvent> named(SseResult result, String name) {
        return result.events().stream().filter(e -> e.event().equals(name)).toList();
    }

    /** The response head as sent (lower-cased), read from a plain socket: the JDK client hides hop-by-hop headers. */
    private List<String> rawStreamHeaders(String debateId) throws java.io.IOException {
        java.net.URI base = java.net.URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/debate/" + debateId + "/stream HTTP/1.1\r\nHost: "
                    + base.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null && !line.isEmpty()) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            return head;
        }
    }

    @Test
    void every_event_of_a_completed_debate_carries_exactly_the_catalogue_fields_with_a_real_duration() throws Exception {
        fakes.chat = call -> {
            server.clock().advance(Duration.ofSeconds(30));
            if (DebateHarness.model(call).equals(MODEL_B) && DebateHarness.round(call) == 1) {
                return Reply.json(500, "{\"error\":{\"message\":\"Internal Server Error\"}}");
            }
            return DebateHarness.defaultReply(call);
        };
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A, MODEL_B);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(result.headers().get("content-type")).containsExactly("text/event-stream; charset=utf-8");
        assertThat(result.headers().get("cache-control")).containsExactly("no-cache");
        assertThat(rawStreamHeaders(id)).contains("connection: keep-alive");
        assertThat(result.headers().get("x-accel-buffering")).containsExactly("no");
        assertThat(result.events()).extracting(SseEvent::event).containsExactly("debate_started",
                "model_thinking", "message", "model_thinking", "debate_error", "round_complete",
                "model_thinking", "message", "model_thinking", "message", "debate_complete");
        assertThat(fields(named(result, "debate_started").get(0).data()))
                .isEqualTo(set("debate_id", "status", "timestamp"));
        assertThat(named(result, "debate_started").get(0).data().path("status").asText()).isEqualTo("in_progress");
        for (SseEvent thinking : named(result, "model_thinking")) {
            assertThat(fields(thinking.data())).isEqualTo(set("model_id", "model_name", "round", "timestamp"));
        }
        List<JsonNode> messages = named(result, "message").stream().map(SseEvent::data).toList();
        for (JsonNode message : messages) {
            assertThat(fields(message)).isEqualTo(set("message_id", "round", "sequence", "model_id", "model_name",
                    "message_type", "text", "predictions", "audio_url", "audio_duration", "audio_error", "timestamp"));
        }
        assertThat(messages).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3);
        JsonNode error = named(result, "debate_error").get(0).data();
        assertThat(fields(error)).isEqualTo(set("model_id", "model_name", "round", "error", "message", "error_type",
                "timestamp"));
        assertThat(error.path("error").isTextual()).isTrue();
        assertThat(error.path("model_id").asText()).isEqualTo(MODEL_B);
        assertThat(error.path("round").asInt()).isEqualTo(1);
        JsonNode roundComplete = named(result, "round_complete").get(0).data();
        assertThat(fields(roundComplete)).isEqualTo(set("round", "next_round", "messages_count", "timestamp"));
        assertThat(roundComplete.path("messages_count").asInt()).isEqualTo(1);
        assertThat(roundComplete.path("next_round").asInt()).isEqualTo(2);
        JsonNode complete = named(result, "debate_complete").get(0).data();
        assertThat(fields(complete)).isEqualTo(set("debate_id", "status", "total_rounds", "total_messages",
                "duration_seconds", "results_url", "timestamp"));
        assertThat(complete.path("status").asText()).isEqualTo("completed");
        assertThat(complete.path("total_messages").asInt()).isEqualTo(3);
        assertThat(complete.path("duration_seconds").asLong()).isEqualTo(120);

        JsonNode debate = server.http().get("/api/debate/" + id).json();
        assertThat(debate.path("paused").isBoolean()).isTrue();
        assertThat(debate.path("paused").asBoolean()).isFalse();
        assertThat(debate.path("user_id").asLong()).isEqualTo(owner.id());
        assertThat(debate.path("current_round").asInt()).isEqualTo(2);
        assertThat(debate.path("messages_count").asInt()).isEqualTo(3);
        assertThat(debate.path("messages")).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3);
        for (JsonNode outcome : debate.path("market").path("outcomes")) {
            assertThat(fields(outcome)).isEqualTo(set("name", "price"));
        }
        JsonNode statistics = server.http().get("/api/debate/" + id + "/results").json().path("statistics");
        assertThat(statistics.path("total_duration_seconds").asLong()).isEqualTo(120);
        assertThat(statistics.path("total_messages").asInt()).isEqualTo(3);
        assertThat(statistics.path("rounds_completed").asInt()).isEqualTo(2);
    }

    @Test
    void the_start_answer_carries_its_contract_fields_in_the_contract_order() {
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");

        TestResponse started = server.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, 2, MODEL_A, MODEL_B), owner.auth());

        assertThat(started.status()).isEqualTo(201);
        JsonNode body = started.json();
        assertThat(fieldOrder(body)).containsExactly("debate_id", "status", "market", "models", "rounds",
                "total_messages_expected", "created_at", "stream_url");
        assertThat(fieldOrder(body.path("market"))).containsExactly("id", "question", "description", "outcomes");
        assertThat(fieldOrder(body.path("market").path("outcomes").get(0)))
                .containsExactly("name", "slug", "price", "shares", "image_url");
        assertThat(fieldOrder(body.path("models").get(0))).containsExactly("model_id", "model_name", "provider");
        assertThat(body.path("rounds").asInt()).isEqualTo(2);
        assertThat(body.path("created_at").asText()).isEqualTo("2026-11-28T12:00:00.000Z");
    }

    @Test
    void a_one_round_debate_has_only_initial_messages_no_round_complete_and_its_round_is_the_final_one() {
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        // Round 1 in turn, so that the second model's round is the final one after an earlier message.
        String id = DebateHarness.startDebate(server, owner, 1, false, MODEL_A, MODEL_B);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(result.events()).extracting(SseEvent::event).containsExactly("debate_started",
                "model_thinking", "message", "model_thinking", "message", "debate_complete");
        assertThat(named(result, "message")).extracting(e -> e.data().path("message_type").asText())
                .containsExactly("initial", "initial");
        var calls = fakes.openRouter.calls("POST", "/chat/completions");
        List<JsonNode> first = DebateHarness.requestMessages(calls.get(0));
        List<JsonNode> second = DebateHarness.requestMessages(calls.get(1));
        assertThat(first.get(0).path("content").asText()).contains("This is round 1 of 1.", "final round");
        assertThat(first.get(first.size() - 1).path("content").asText()).contains("opening argument");
        assertThat(second.get(0).path("content").asText()).contains("final round");
        assertThat(second.get(second.size() - 1).path("content").asText()).contains("final forecast");
    }

    @Test
    void pause_resume_and_stop_answers_and_events_carry_exactly_their_contract_fields() throws Exception {
        fakes.answerAfter(Duration.ofMillis(300));
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        String id = DebateHarness.startDebate(server, owner, 3, MODEL_A, MODEL_B);
        String empty = null;

        TestResponse paused = server.http().post("/api/debate/" + id + "/pause", empty, admin.auth());
        TestResponse resumed = server.http().post("/api/debate/" + id + "/resume", empty, owner.auth());
        TestResponse stopped = server.http().post("/api/debate/" + id + "/stop", empty, owner.auth());

        assertThat(fields(paused.json())).isEqualTo(set("debate_id", "status", "current_round", "paused_at"));
        assertThat(fields(resumed.json())).isEqualTo(set("debate_id", "status", "current_round", "resumed_at"));
        assertThat(fields(stopped.json())).isEqualTo(set("debate_id", "status", "completed_rounds", "total_messages",
                "stopped_at"));
        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);
        JsonNode pausedEvent = named(result, "debate_paused").get(0).data();
        assertThat(fields(pausedEvent)).isEqualTo(set("debate_id", "status", "paused_by", "current_round", "timestamp"));
        assertThat(pausedEvent.path("paused_by").asText()).isEqualTo("admin");
        assertThat(fields(named(result, "debate_resumed").get(0).data()))
                .isEqualTo(set("debate_id", "status", "current_round", "timestamp"));
        SseEvent last = result.events().get(result.events().size() - 1);
        assertThat(last.event()).isEqualTo("debate_stopped");
        assertThat(fields(last.data())).isEqualTo(set("debate_id", "status", "stopped_by", "completed_rounds",
                "total_messages", "timestamp"));
        assertThat(last.data().path("total_messages").asInt()).isEqualTo(named(result, "message").size());
    }

    @Test
    void a_fatal_debate_error_carries_exactly_its_contract_fields() {
        fakes.chat = call -> Reply.json(500, "{}");
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 1, MODEL_A);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        JsonNode fatal = result.events().get(result.events().size() - 1).data();
        assertThat(fields(fatal)).isEqualTo(set("debate_id", "status", "fatal", "error", "message", "timestamp"));
        assertThat(fatal.path("fatal").isBoolean()).isTrue();
        assertThat(fatal.path("error").isTextual()).isTrue();
        assertThat(named(result, "debate_error").get(0).data().path("error").isTextual()).isTrue();
    }

    @Test
    void polymarket_odds_truncate_with_the_epsilon_so_a_price_of_0_29_is_29() throws Exception {
        ArrayNode events = (ArrayNode) DebateHarness.MAPPER.readTree(Fixtures.text("polymarket-gamma/event-binary.json"));
        ObjectNode event = (ObjectNode) events.get(0);
        ((ObjectNode) event.path("markets").get(0)).put("outcomePrices", "[\"0.29\", \"0.71\"]");
        fakes.gamma.on("GET", "/events/" + BINARY_MARKET, call -> Reply.json(200, event.toString()));
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 1, MODEL_A);

        JsonNode debate = server.http().get("/api/debate/" + id).json();

        List<Integer> odds = new ArrayList<>();
        debate.path("polymarket_odds").forEach(v -> odds.add(v.asInt()));
        assertThat(debate.path("polymarket_odds").path("Yes").isInt()).isTrue();
        assertThat(odds).containsExactly(29, 71);
    }

    @Test
    void a_job_that_throws_unexpectedly_ends_failed_with_the_internal_error_fatal_event() {
        server = fakes.start();
        server.jdbi().useHandle(h -> {
            if (TestDatabases.onPostgres()) {
                h.execute("CREATE FUNCTION refuse_messages() RETURNS trigger AS $$ BEGIN "
                        + "RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql");
                h.execute("CREATE TRIGGER refuse_messages BEFORE INSERT ON messages "
                        + "FOR EACH ROW EXECUTE FUNCTION refuse_messages()");
            } else {
                h.execute("CREATE TRIGGER refuse_messages BEFORE INSERT ON messages "
                        + "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
            }
        });
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(result.events()).extracting(SseEvent::event)
                .containsExactly("debate_started", "model_thinking", "debate_error");
        JsonNode fatal = result.events().get(2).data();
        assertThat(fatal.path("fatal").asBoolean()).isTrue();
        assertThat(fatal.path("status").asText()).isEqualTo("failed");
        assertThat(fatal.path("message").asText())
                .isEqualTo("The debate could not continue because of an internal error.");
        JsonNode debate = server.http().get("/api/debate/" + id).json();
        assertThat(debate.path("status").asText()).isEqualTo("failed");
        assertThat(debate.path("completed_at").isTextual()).isTrue();
        assertThat(debate.path("messages")).isEmpty();
    }

    @Test
    void the_last_event_id_header_takes_precedence_over_the_query_parameter() {
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 1, MODEL_A);
        SseResult live = DebateHarness.stream(server.baseUrl(), id, null);
        String last = String.valueOf(live.events().get(live.events().size() - 1).id());

        TestResponse headerWins = server.http().get("/api/debate/" + id + "/stream?last_event_id=0",
                "Accept", "text/event-stream", "Last-Event-ID", last);
        TestResponse queryUsed = server.http().get("/api/debate/" + id + "/stream?last_event_id=" + last,
                "Accept", "text/event-stream");

        assertThat(headerWins.status()).isEqualTo(204);
        assertThat(queryUsed.status()).isEqualTo(204);
    }
}
