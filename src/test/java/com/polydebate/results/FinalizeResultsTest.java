package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.db.Database;
import com.polydebate.db.DebateChanges;
import com.polydebate.http.ApiException;
import com.polydebate.http.Json;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import com.polydebate.upstream.UpstreamHttp;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FinalizeResultsTest {
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private final FakeUpstream gemini = new FakeUpstream();
    private TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        gemini.close();
    }

    private void finalizeResults(String debateId) {
        try (ResultsService service = new ResultsService(server.config(), server.jdbi(),
                new UpstreamHttp(UpstreamHttp.newClient(Duration.ofSeconds(5))), marketId -> {
                    throw new ApiException(503, "external_api_error", "unused");
                }, Json.newMapper(), server.clock(), new SecureRandom(), ScoreBlocks.NONE,
                new DebateChanges(Database.Kind.of(server.config().databaseUrl()), "test-service"))) {
            service.finalizeResults(debateId);
        }
    }

    private String completedDebate() {
        return TestDebates.debate(server.jdbi(), null).status("completed").rounds(1)
                .message(1, "openai/gpt-4o-mini", "Yes.", predictions("Yes", 60.0, "No", 40.0)).insert();
    }

    @Test
    void finalize_stores_final_predictions_and_the_gemini_summary_before_returning() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, ResultsEndpointTest.geminiAnswer(
                "{\"overall\": \"One model, leaning Yes.\"}")));
        server = TestServer.builder().env("GEMINI_API_URL", gemini.baseUrl() + "/v1beta")
                .env("GEMINI_API_KEY", "k").start();
        String id = completedDebate();

        finalizeResults(id);
        JsonNode debate = server.http().get("/api/debate/" + id).json();

        assertThat(debate.path("final_summary").path("overall").asText()).isEqualTo("One model, leaning Yes.");
        assertThat(debate.path("final_summary").path("source").asText()).isEqualTo("gemini");
        assertThat(debate.path("final_predictions").path("openai/gpt-4o-mini").path("change").asText())
                .isEqualTo("No change, maintained position");
        // A later /results call reuses what was stored.
        server.http().get("/api/debate/" + id + "/results");
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
    }

    @Test
    void a_gemini_that_does_not_answer_in_time_leaves_a_stored_local_summary() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, ResultsEndpointTest.geminiAnswer("{}"))
                .delayed(Duration.ofSeconds(4)));
        server = TestServer.builder().env("GEMINI_API_URL", gemini.baseUrl() + "/v1beta")
                .env("GEMINI_API_KEY", "k").env("GEMINI_TIMEOUT_SECONDS", "1").start();
        String id = completedDebate();

        finalizeResults(id);
        JsonNode summary = server.http().get("/api/debate/" + id).json().path("final_summary");

        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_error");
    }
}
