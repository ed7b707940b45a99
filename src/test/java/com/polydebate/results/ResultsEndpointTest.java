package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResultsEndpointTest {
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUMMARY = """
            {"overall": "Claude leaned Yes while Grok held No.", "agreements": ["Both cited ETF flows."],
             "disagreements": [{"topic": "Likelihood", "positions": {"Claude": "Yes", "Grok": "No"}}],
             "consensus": "No consensus.", "model_rationales": [{"model": "Anthropic: Claude Haiku 4.5",
             "final_prediction": {"Yes": 58.5, "No": 41.5}, "rationale": "Momentum.", "key_arguments": ["ETF"]}]}""";

    private final FakeUpstream gemini = new FakeUpstream();
    private final List<TestServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(TestServer::close);
        gemini.close();
    }

    private TestServer server(boolean withKey) {
        TestServer.Builder builder = TestServer.builder().env("GEMINI_API_URL", gemini.baseUrl() + "/v1beta");
        if (withKey) {
            builder.env("GEMINI_API_KEY", "gem-test-key");
        }
        TestServer server = builder.start();
        servers.add(server);
        return server;
    }

    /** The recorded generateContent answer with its text replaced. */
    static String geminiAnswer(String text) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.text("gemini/generate-content.json"));
            ((ObjectNode) root.path("candidates").get(0).path("content").path("parts").get(0)).put("text", text);
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String completedDebate(TestServer server) {
        return TestDebates.debate(server.jdbi(), null)
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .outcome("Yes", 0.45).outcome("No", 0.55)
                .model("anthropic/claude-haiku-4.5", "Anthropic: Claude Haiku 4.5", "Anthropic")
                .model("x-ai/grok-4-fast", "xAI: Grok 4 Fast", "X-Ai")
                .status("completed").rounds(2)
                .message(1, "anthropic/claude-haiku-4.5", "ETF flows favour Yes.", predictions("Yes", 55.0, "No", 45.0))
                .message(1, "x-ai/grok-4-fast", "Macro risk favours No.", predictions("Yes", 30.0, "No", 70.0))
                .message(2, "anthropic/claude-haiku-4.5", "Still Yes.", predictions("Yes", 58.5, "No", 41.5))
                .message(2, "x-ai/grok-4-fast", "Still No.", predictions("Yes", 30.0, "No", 70.0))
                .insert();
    }

    @Test
    void results_of_a_completed_debate_without_gemini_key_use_the_local_summary() {
        TestServer server = server(false);
        String id = completedDebate(server);

        TestResponse response = server.http().get("/api/debate/" + id + "/results");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("debate_id").asText()).isEqualTo(id);
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("completed_at").asText()).isEqualTo("2026-11-28T10:03:00.000Z");
        assertThat(body.path("market").path("outcomes").get(1).toString()).isEqualTo("{\"name\":\"No\",\"price\":0.55}");
        JsonNode summary = body.path("summary");
        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_not_configured");
        assertThat(summary.path("generated_at").asText()).isEqualTo("2026-11-28T12:00:00.000Z");
        assertThat(summary.has("model")).isFalse();
        assertThat(summary.path("overall").asText()).isEqualTo("2 AI models debated \"Will Bitcoin reach $100k in "
                + "2025?\" over 2 rounds (4 messages). Their average final forecast favours No at 56%, against 55% on "
                + "Polymarket.");
        assertThat(summary.path("agreements")).isEmpty();
        assertThat(summary.path("disagreements").get(0).toString()).isEqualTo("{\"topic\":\"Most likely outcome\","
                + "\"positions\":{\"Anthropic: Claude Haiku 4.5\":\"Yes at 58.5%\",\"xAI: Grok 4 Fast\":\"No at 70%\"}}");
        assertThat(summary.path("consensus").asText())
                .isEqualTo("Average AI forecast for Yes: 44% vs 45% on Polymarket (AI models 1.0% more bearish).");
        JsonNode claude = summary.path("model_rationales").get(0);
        assertThat(claude.path("model").asText()).isEqualTo("Anthropic: Claude Haiku 4.5");
        assertThat(claude.path("final_prediction").toString()).isEqualTo("{\"Yes\":58.5,\"No\":41.5}");
        assertThat(claude.path("rationale").asText()).isEqualTo("Still Yes.");
        assertThat(claude.path("key_arguments").toString()).isEqualTo("[\"ETF flows favour Yes.\",\"Still Yes.\"]");

        JsonNode stats = body.path("statistics");
        assertThat(stats.path("average_prediction").toString()).isEqualTo("{\"Yes\":44,\"No\":56}");
        assertThat(stats.path("median_prediction").toString()).isEqualTo("{\"Yes\":44,\"No\":56}");
        assertThat(stats.path("prediction_variance").asDouble()).isEqualTo(314.8);
        assertThat(stats.path("polymarket_odds").toString()).isEqualTo("{\"Yes\":45,\"No\":55}");
        assertThat(stats.path("ai_vs_market_delta").asText()).isEqualTo("AI models 1.0% more bearish");
        assertThat(stats.path("total_messages").asInt()).isEqualTo(4);
        assertThat(stats.path("total_duration_seconds").asInt()).isEqualTo(180);
        assertThat(stats.path("models_count").asInt()).isEqualTo(2);
        assertThat(stats.path("rounds_completed").asInt()).isEqualTo(2);
        assertThat(body.path("final_predictions").path("x-ai/grok-4-fast").path("predictions").toString())
                .isEqualTo("{\"Yes\":30.0,\"No\":70.0}");
        assertThat(gemini.calls()).isEmpty();
    }

    @Test
    void the_summary_is_stored_and_returned_unchanged_afterwards() {
        TestServer server = server(false);
        String id = completedDebate(server);

        JsonNode first = server.http().get("/api/debate/" + id + "/results").json().path("summary");
        server.clock().advance(Duration.ofHours(1));
        JsonNode second = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(second).isEqualTo(first);
        String status = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT summary_status FROM debates WHERE debate_id = :id").bind("id", id).mapTo(String.class).one());
        assertThat(status).isEqualTo("ready");
    }

    @Test
    void gemini_success_gives_a_gemini_summary_built_from_the_transcript() throws IOException {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer(SUMMARY)));
        TestServer server = server(true);
        String id = completedDebate(server);

        JsonNode summary = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(summary.path("source").asText()).isEqualTo("gemini");
        assertThat(summary.path("model").asText()).isEqualTo("gemini-2.5-flash");
        assertThat(summary.has("fallback_reason")).isFalse();
        assertThat(summary.path("overall").asText()).isEqualTo("Claude leaned Yes while Grok held No.");
        assertThat(summary.path("disagreements").get(0).path("topic").asText()).isEqualTo("Likelihood");
        assertThat(summary.path("model_rationales").get(0).path("key_arguments").get(0).asText()).isEqualTo("ETF");
        FakeUpstream.Call call = gemini.calls().get(0);
        assertThat(call.header("x-goog-api-key")).isEqualTo("gem-test-key");
        String prompt = MAPPER.readTree(call.body()).path("contents").get(0).path("parts").get(0).path("text").asText();
        assertThat(prompt).contains("Will Bitcoin reach $100k in 2025?", "Yes (45.0%)", "No (55.0%)",
                "Anthropic: Claude Haiku 4.5", "xAI: Grok 4 Fast", "Macro risk favours No.", "Yes: 58.5%");
    }

    @Test
    void a_fenced_json_answer_is_accepted() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer("```json\n" + SUMMARY + "\n```")));
        TestServer server = server(true);
        String id = completedDebate(server);

        JsonNode summary = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(summary.path("source").asText()).isEqualTo("gemini");
        assertThat(summary.path("consensus").asText()).isEqualTo("No consensus.");
    }

    @Test
    void an_answer_that_is_not_json_falls_back_to_the_local_summary_as_unparseable() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, Fixtures.text("gemini/generate-content.json")));
        TestServer server = server(true);
        String id = completedDebate(server);

        JsonNode summary = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_unparseable");
    }

    @Test
    void max_tokens_with_no_parts_falls_back_as_unparseable() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200,
                Fixtures.text("gemini/generate-content-max-tokens-empty.json")));
        TestServer server = server(true);
        String id = completedDebate(server);

        JsonNode summary = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_unparseable");
    }

    @Test
    void a_gemini_error_falls_back_to_the_local_summary() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(404, Fixtures.text("gemini/error-404-model-not-found.json")));
        TestServer server = server(true);
        String id = completedDebate(server);

        JsonNode summary = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_error");
        assertThat(summary.path("model_rationales")).hasSize(2);
    }

    @Test
    void a_debate_without_messages_gets_a_local_summary_without_calling_gemini() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer(SUMMARY)));
        TestServer server = server(true);
        String id = TestDebates.debate(server.jdbi(), null).status("stopped").rounds(2).currentRound(1).insert();

        JsonNode body = server.http().get("/api/debate/" + id + "/results").json();

        assertThat(body.path("summary").path("fallback_reason").asText()).isEqualTo("no_messages");
        assertThat(body.path("summary").path("consensus").asText()).isEqualTo("No predictions were produced.");
        assertThat(body.path("final_predictions").isEmpty()).isTrue();
        assertThat(body.path("statistics").path("ai_vs_market_delta").asText()).isEqualTo("N/A");
        assertThat(gemini.calls()).isEmpty();
    }

    @Test
    void twenty_concurrent_requests_cause_exactly_one_gemini_call_and_see_the_same_summary() throws Exception {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer(SUMMARY)).delayed(Duration.ofMillis(500)));
        TestServer server = server(true);
        String id = completedDebate(server);

        List<JsonNode> summaries = concurrently(20, i -> server);

        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
        assertThat(summaries).hasSize(20).allSatisfy(s -> assertThat(s).isEqualTo(summaries.get(0)));
        assertThat(summaries.get(0).path("source").asText()).isEqualTo("gemini");
        String stored = server.jdbi().withHandle(h -> h.createQuery("SELECT final_summary FROM debates "
                + "WHERE debate_id = :id").bind("id", id).mapTo(String.class).one());
        assertThat(MAPPER.readTree(stored)).isEqualTo(summaries.get(0));
    }

    @Test
    void two_instances_sharing_the_database_generate_the_summary_once() throws Exception {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer(SUMMARY)).delayed(Duration.ofMillis(500)));
        TestServer first = server(true);
        TestServer second = TestServer.builder().env("INSTANCE_ID", "second-instance")
                .env("GEMINI_API_URL", gemini.baseUrl() + "/v1beta").env("GEMINI_API_KEY", "gem-test-key")
                .storage(first.storage()).start();
        servers.add(second);
        completedDebate(first);

        List<JsonNode> summaries = concurrently(20, i -> i % 2 == 0 ? first : second);

        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
        assertThat(summaries).allSatisfy(s -> assertThat(s).isEqualTo(summaries.get(0)));
    }

    @Test
    void a_claim_whose_lease_expired_with_its_crashed_instance_is_taken_over() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer(SUMMARY)));
        TestServer server = server(true);
        String id = completedDebate(server);
        server.jdbi().useHandle(h -> h.execute("UPDATE debates SET summary_status = 'generating', "
                + "summary_owner = 'crashed', summary_claim = 'c1', "
                + "summary_lease_expires_at = '2026-11-28T11:59:59.999Z' WHERE debate_id = ?", id));

        JsonNode summary = server.http().get("/api/debate/" + id + "/results").json().path("summary");

        assertThat(summary.path("source").asText()).isEqualTo("gemini");
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
    }

    @Test
    void a_live_claim_elsewhere_is_waited_for_instead_of_calling_gemini_again() throws Exception {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiAnswer(SUMMARY)));
        TestServer server = server(true);
        String id = completedDebate(server);
        server.jdbi().useHandle(h -> h.execute("UPDATE debates SET summary_status = 'generating', "
                + "summary_owner = 'elsewhere', summary_claim = 'c1', "
                + "summary_lease_expires_at = '2026-11-28T12:00:15.000Z' WHERE debate_id = ?", id));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TestResponse> waiting = pool.submit(() -> server.http().get("/api/debate/" + id + "/results"));
            Thread.sleep(300);
            server.jdbi().useHandle(h -> h.execute("UPDATE debates SET summary_status = 'ready', final_summary = ?, "
                    + "summary_owner = NULL, summary_claim = NULL, summary_lease_expires_at = NULL WHERE debate_id = ?",
                    "{\"overall\":\"From the other instance.\"}", id));

            JsonNode summary = waiting.get().json().path("summary");

            assertThat(summary.path("overall").asText()).isEqualTo("From the other instance.");
            assertThat(gemini.calls()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void results_of_a_running_debate_answer_425_with_its_status() {
        TestServer server = server(false);
        for (String status : List.of("initialized", "in_progress", "paused")) {
            String id = TestDebates.debate(server.jdbi(), null).status(status).rounds(3).currentRound(1)
                    .completedAt(null).insert();

            TestResponse response = server.http().get("/api/debate/" + id + "/results");

            assertThat(response.status()).as(status).isEqualTo(425);
            assertThat(response.errorCode()).isEqualTo("debate_not_finished");
            assertThat(response.json().path("error").path("details").path("status").asText()).isEqualTo(status);
        }
    }

    @Test
    void results_of_unknown_deleted_or_malformed_ids_answer_404() {
        TestServer server = server(false);
        String deleted = TestDebates.debate(server.jdbi(), null).deleted().insert();

        for (String id : List.of(deleted, "6f1c1a8e-0000-4000-8000-000000000000", "nope")) {
            TestResponse response = server.http().get("/api/debate/" + id + "/results");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("debate_not_found");
        }
    }

    private interface ServerChoice {
        TestServer pick(int i);
    }

    private static List<JsonNode> concurrently(int n, ServerChoice choice) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<TestResponse>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TestServer target = choice.pick(i);
                String id = target.jdbi().withHandle(h -> h.createQuery("SELECT debate_id FROM debates")
                        .mapTo(String.class).one());
                calls.add(() -> target.http().get("/api/debate/" + id + "/results"));
            }
            List<JsonNode> summaries = new ArrayList<>();
            for (Future<TestResponse> f : pool.invokeAll(calls)) {
                assertThat(f.get().status()).isEqualTo(200);
                summaries.add(f.get().json().path("summary"));
            }
            return summaries;
        } finally {
            pool.shutdownNow();
        }
    }
}
