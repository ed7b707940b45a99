package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.db.Database;
import com.polydebate.db.DebateChanges;
import com.polydebate.http.ApiException;
import com.polydebate.http.Json;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.upstream.UpstreamHttp;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DebateDocumentTest {
    private static TestServer server;
    private static TestServer.TestUser user;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        user = server.createUser("reader@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestDebates twoModels() {
        return TestDebates.debate(server.jdbi(), user.id())
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .outcome("Yes", 0.45).outcome("No", 0.55)
                .model("anthropic/claude-haiku-4.5", "Anthropic: Claude Haiku 4.5", "Anthropic")
                .model("x-ai/grok-4-fast", "xAI: Grok 4 Fast", "X-Ai");
    }

    /** The engine's completion hook, called the way the engine will call it. */
    private static void finalizeResults(String debateId) {
        try (ResultsService service = new ResultsService(server.config(), server.jdbi(),
                new UpstreamHttp(UpstreamHttp.newClient(Duration.ofSeconds(5))), marketId -> {
                    throw new ApiException(503, "external_api_error", "unused");
                }, Json.newMapper(), server.clock(), new SecureRandom(), ScoreBlocks.NONE,
                new DebateChanges(Database.Kind.of(server.config().databaseUrl()), "test-service"))) {
            service.finalizeResults(debateId);
        }
    }

    @Test
    void a_completed_debate_has_every_field_with_results_stored_at_completion() {
        String id = twoModels().status("completed").rounds(2)
                .message(1, "anthropic/claude-haiku-4.5", "Yes is plausible.", predictions("Yes", 55.0, "No", 45.0))
                .audio("/api/audio/a.mp3", 2.4)
                .message(1, "x-ai/grok-4-fast", "No is safer.", predictions("Yes", 30.0, "No", 70.0))
                .message(2, "anthropic/claude-haiku-4.5", "Still Yes.", predictions("Yes", 58.5, "No", 41.5))
                .message(2, "x-ai/grok-4-fast", "Still No.", predictions("Yes", 30.0, "No", 70.0))
                .insert();
        finalizeResults(id);

        TestResponse response = server.http().get("/api/debate/" + id);

        assertThat(response.status()).isEqualTo(200);
        JsonNode d = response.json();
        assertThat(d.path("debate_id").asText()).isEqualTo(id);
        assertThat(d.path("status").asText()).isEqualTo("completed");
        assertThat(d.path("paused").asBoolean(true)).isFalse();
        assertThat(d.path("user_id").asLong()).isEqualTo(user.id());
        assertThat(d.path("market_id").asText()).isEqualTo("16167");
        assertThat(d.path("market_id").isTextual()).isTrue();
        assertThat(d.path("market_question").asText()).isEqualTo("Will Bitcoin reach $100k in 2025?");
        assertThat(d.path("market_description").asText()).isEqualTo("Resolves Yes if ...");
        assertThat(d.path("market_category").asText()).isEqualTo("Crypto");
        JsonNode yes = d.path("outcomes").get(0);
        assertThat(yes.path("name").asText()).isEqualTo("Yes");
        assertThat(yes.path("slug").asText()).isEqualTo("token-0");
        assertThat(yes.path("price").asDouble()).isEqualTo(0.45);
        assertThat(yes.path("shares").asText()).isEqualTo("1000");
        assertThat(yes.has("price_change_24h")).isFalse();
        assertThat(yes.has("image_url")).isFalse();
        assertThat(d.path("polymarket_odds").toString()).isEqualTo("{\"Yes\":45,\"No\":55}");
        assertThat(d.path("selected_models")).isEqualTo(d.path("models"));
        assertThat(d.path("models").get(1).toString()).isEqualTo(
                "{\"model_id\":\"x-ai/grok-4-fast\",\"model_name\":\"xAI: Grok 4 Fast\",\"provider\":\"X-Ai\"}");
        assertThat(d.path("market").toString()).isEqualTo("{\"id\":\"16167\",\"question\":\"Will Bitcoin reach $100k "
                + "in 2025?\",\"outcomes\":[{\"name\":\"Yes\",\"price\":0.45},{\"name\":\"No\",\"price\":0.55}]}");
        assertThat(d.path("rounds").asInt()).isEqualTo(2);
        assertThat(d.path("current_round").asInt()).isEqualTo(2);
        assertThat(d.path("messages_count").asInt()).isEqualTo(4);
        assertThat(d.path("created_at").asText()).isEqualTo("2026-11-28T10:00:00.000Z");
        assertThat(d.path("completed_at").asText()).isEqualTo("2026-11-28T10:03:00.000Z");

        JsonNode first = d.path("messages").get(0);
        assertThat(first.path("message_id").asText()).hasSize(36);
        assertThat(first.path("round").asInt()).isEqualTo(1);
        assertThat(first.path("sequence").asInt()).isEqualTo(1);
        assertThat(first.path("model_id").asText()).isEqualTo("anthropic/claude-haiku-4.5");
        assertThat(first.path("model_name").asText()).isEqualTo("Anthropic: Claude Haiku 4.5");
        assertThat(first.path("message_type").asText()).isEqualTo("initial");
        assertThat(first.path("text").asText()).isEqualTo("Yes is plausible.");
        assertThat(first.path("predictions").toString()).isEqualTo("{\"Yes\":55.0,\"No\":45.0}");
        assertThat(first.path("audio_url").asText()).isEqualTo("/api/audio/a.mp3");
        assertThat(first.path("audio_duration").asDouble()).isEqualTo(2.4);
        assertThat(first.path("audio_error").isNull()).isTrue();
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-11-28T10:00:10.000Z");
        JsonNode second = d.path("messages").get(1);
        assertThat(second.path("audio_url").isNull()).isTrue();
        assertThat(second.path("audio_duration").isNull()).isTrue();
        assertThat(second.path("audio_error").asText()).isEqualTo("Text-to-speech is not configured");
        assertThat(d.path("messages")).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(d.path("messages").get(3).path("message_type").asText()).isEqualTo("final");

        JsonNode finals = d.path("final_predictions");
        assertThat(finals.path("anthropic/claude-haiku-4.5").toString()).isEqualTo("{\"predictions\":{\"Yes\":58.5,"
                + "\"No\":41.5},\"initial_predictions\":{\"Yes\":55.0,\"No\":45.0},\"change\":\"+3.50% Yes after debate\"}");
        assertThat(finals.path("x-ai/grok-4-fast").path("change").asText()).isEqualTo("No change, maintained position");
        JsonNode summary = d.path("final_summary");
        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_not_configured");
        assertThat(summary.path("model_rationales")).hasSize(2);
    }

    @Test
    void a_running_debate_has_no_results_yet() {
        String id = twoModels().status("in_progress").rounds(3).currentRound(1).completedAt(null)
                .message(1, "anthropic/claude-haiku-4.5", "Opening.", predictions("Yes", 60.0, "No", 40.0))
                .insert();

        JsonNode d = server.http().get("/api/debate/" + id).json();

        assertThat(d.path("status").asText()).isEqualTo("in_progress");
        assertThat(d.path("paused").asBoolean(true)).isFalse();
        assertThat(d.path("rounds").asInt()).isEqualTo(3);
        assertThat(d.path("current_round").asInt()).isEqualTo(1);
        assertThat(d.path("messages_count").asInt()).isEqualTo(1);
        assertThat(d.path("messages").get(0).path("text").asText()).isEqualTo("Opening.");
        assertThat(d.has("final_summary")).isTrue();
        assertThat(d.path("final_summary").isNull()).isTrue();
        assertThat(d.path("final_predictions").isNull()).isTrue();
        assertThat(d.path("completed_at").isNull()).isTrue();
    }

    @Test
    void a_paused_debate_says_so() {
        String id = twoModels().status("paused").rounds(3).currentRound(2).completedAt(null).insert();

        JsonNode d = server.http().get("/api/debate/" + id).json();

        assertThat(d.path("status").asText()).isEqualTo("paused");
        assertThat(d.path("paused").asBoolean()).isTrue();
    }

    @Test
    void a_stopped_debate_shows_results_only_once_they_have_been_produced() {
        String id = twoModels().status("stopped").rounds(3).currentRound(1)
                .message(1, "anthropic/claude-haiku-4.5", "Opening.", predictions("Yes", 60.0, "No", 40.0))
                .insert();

        JsonNode before = server.http().get("/api/debate/" + id).json();
        server.http().get("/api/debate/" + id + "/results");
        JsonNode after = server.http().get("/api/debate/" + id).json();

        assertThat(before.path("status").asText()).isEqualTo("stopped");
        assertThat(before.path("completed_at").asText()).isEqualTo("2026-11-28T10:03:00.000Z");
        assertThat(before.path("final_summary").isNull()).isTrue();
        assertThat(before.path("final_predictions").isNull()).isTrue();
        assertThat(after.path("final_summary").path("source").asText()).isEqualTo("local");
        assertThat(after.path("final_predictions").path("anthropic/claude-haiku-4.5").path("predictions")
                .path("Yes").asDouble()).isEqualTo(60.0);
    }

    @Test
    void a_model_whose_turns_all_failed_is_listed_but_has_no_messages_or_final_prediction() {
        String id = twoModels().status("completed").rounds(2)
                .message(1, "anthropic/claude-haiku-4.5", "Yes.", predictions("Yes", 60.0, "No", 40.0))
                .message(2, "anthropic/claude-haiku-4.5", "Yes again.", predictions("Yes", 65.0, "No", 35.0))
                .insert();
        finalizeResults(id);

        JsonNode d = server.http().get("/api/debate/" + id).json();

        assertThat(d.path("selected_models")).hasSize(2);
        assertThat(d.path("messages")).extracting(m -> m.path("model_id").asText())
                .containsOnly("anthropic/claude-haiku-4.5");
        List<String> keys = new ArrayList<>();
        d.path("final_predictions").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("anthropic/claude-haiku-4.5");
        assertThat(d.path("final_summary").path("model_rationales")).hasSize(1);
    }

    @Test
    void a_failed_debate_without_messages_is_readable() {
        String id = twoModels().status("failed").rounds(2).currentRound(1).insert();

        JsonNode d = server.http().get("/api/debate/" + id).json();

        assertThat(d.path("status").asText()).isEqualTo("failed");
        assertThat(d.path("messages")).isEmpty();
        assertThat(d.path("messages_count").asInt()).isZero();
        assertThat(d.path("final_summary").isNull()).isTrue();
    }

    @Test
    void unknown_deleted_and_malformed_ids_answer_404_debate_not_found() {
        String deleted = twoModels().deleted().insert();

        for (String id : List.of("9b2f7c7e-1111-4222-8333-444455556666", deleted, "not-a-uuid", "1%27%20OR%201=1")) {
            TestResponse response = server.http().get("/api/debate/" + id);
            assertThat(response.status()).as(id).isEqualTo(404);
            assertThat(response.errorCode()).as(id).isEqualTo("debate_not_found");
        }
    }

    @Test
    void reading_a_debate_costs_the_same_number_of_statements_whatever_its_length() {
        String small = debateWithMessages(3);
        String large = debateWithMessages(30);

        int smallFirst = statementsFor("/api/debate/" + small);
        int largeFirst = statementsFor("/api/debate/" + large);
        int smallAgain = statementsFor("/api/debate/" + small);
        int largeAgain = statementsFor("/api/debate/" + large);

        assertThat(server.http().get("/api/debate/" + large).json().path("messages")).hasSize(30);
        // A version check plus the five-statement load; a finished debate is then served from memory.
        assertThat(smallFirst).isEqualTo(6);
        assertThat(largeFirst).isEqualTo(smallFirst);
        assertThat(smallAgain).isZero();
        assertThat(largeAgain).isZero();
    }

    @Test
    void the_document_is_json() {
        String id = twoModels().insert();

        TestResponse response = server.http().get("/api/debate/" + id);

        assertThat(response.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    private static String debateWithMessages(int count) {
        TestDebates builder = twoModels().status("completed").rounds(count);
        for (int i = 1; i <= count; i++) {
            builder.message(i, i % 2 == 0 ? "x-ai/grok-4-fast" : "anthropic/claude-haiku-4.5", "Point " + i + ".",
                    predictions("Yes", 50.0 + i, "No", 50.0 - i));
        }
        return builder.insert();
    }

    private static int statementsFor(String path) {
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
}
