package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DebateListTest {
    private static TestServer server;
    private static String oldCompleted;
    private static String running;
    private static String newestOtherMarket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        oldCompleted = TestDebates.debate(server.jdbi(), null)
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .model("a/one", "One", "A").model("b/two", "Two", "B")
                .status("completed").rounds(2).createdAt("2026-11-20T10:00:00Z").completedAt("2026-11-20T10:02:30Z")
                .message(1, "a/one", "x.", predictions("Yes", 50.0, "No", 50.0))
                .message(1, "b/two", "y.", predictions("Yes", 40.0, "No", 60.0))
                .message(2, "a/one", "x2.", predictions("Yes", 61.0, "No", 39.0))
                .message(2, "b/two", "y2.", predictions("Yes", 40.0, "No", 60.0))
                .insert();
        running = TestDebates.debate(server.jdbi(), null)
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .status("in_progress").rounds(3).currentRound(1).createdAt("2026-11-21T10:00:00Z").completedAt(null)
                .insert();
        TestDebates.debate(server.jdbi(), null).market("16167", "Deleted question", "Crypto").deleted()
                .createdAt("2026-11-27T10:00:00Z").insert();
        for (int i = 0; i < 4; i++) {
            TestDebates.debate(server.jdbi(), null).market("999", "Other market?", "Politics").status("stopped")
                    .createdAt("2026-11-22T1" + i + ":00:00Z").insert();
        }
        newestOtherMarket = TestDebates.debate(server.jdbi(), null).market("999", "Other market, newest?", "Politics")
                .status("failed").createdAt("2026-11-25T10:00:00Z").insert();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> ids(JsonNode body) {
        return body.path("debates").findValuesAsText("debate_id");
    }

    @Test
    void lists_visible_debates_newest_first_with_the_total() {
        JsonNode body = server.http().get("/api/debates").json();

        assertThat(body.path("total").asInt()).isEqualTo(7);
        assertThat(body.path("offset").asInt()).isZero();
        assertThat(body.path("limit").asInt()).isEqualTo(20);
        assertThat(ids(body)).hasSize(7).startsWith(newestOtherMarket).endsWith(running, oldCompleted);
        assertThat(body.toString()).doesNotContain("Deleted question");
    }

    @Test
    void an_item_has_the_list_fields_and_the_average_final_prediction() {
        JsonNode body = server.http().get("/api/debates?market_id=16167&status=completed").json();

        assertThat(body.path("total").asInt()).isEqualTo(1);
        JsonNode item = body.path("debates").get(0);
        assertThat(item.path("debate_id").asText()).isEqualTo(oldCompleted);
        assertThat(item.path("market_id").asText()).isEqualTo("16167");
        assertThat(item.path("market_question").asText()).isEqualTo("Will Bitcoin reach $100k in 2025?");
        assertThat(item.path("market_category").asText()).isEqualTo("Crypto");
        assertThat(item.path("status").asText()).isEqualTo("completed");
        assertThat(item.path("rounds").asInt()).isEqualTo(2);
        assertThat(item.path("current_round").asInt()).isEqualTo(2);
        assertThat(item.path("models_count").asInt()).isEqualTo(2);
        assertThat(item.path("models").get(1).toString())
                .isEqualTo("{\"model_id\":\"b/two\",\"model_name\":\"Two\",\"provider\":\"B\"}");
        assertThat(item.path("total_messages").asInt()).isEqualTo(4);
        assertThat(item.path("created_at").asText()).isEqualTo("2026-11-20T10:00:00.000Z");
        assertThat(item.path("completed_at").asText()).isEqualTo("2026-11-20T10:02:30.000Z");
        assertThat(item.path("duration_seconds").asInt()).isEqualTo(150);
        // Finals: One 61/39, Two 40/60 → Yes 50.5 → 51, No 49.5 → 50.
        assertThat(item.path("average_prediction").toString()).isEqualTo("{\"Yes\":51,\"No\":50}");
    }

    @Test
    void an_unfinished_debate_without_predictions_has_null_duration_and_no_average() {
        JsonNode item = server.http().get("/api/debates?status=in_progress").json().path("debates").get(0);

        assertThat(item.path("debate_id").asText()).isEqualTo(running);
        assertThat(item.has("duration_seconds")).isTrue();
        assertThat(item.path("duration_seconds").isNull()).isTrue();
        assertThat(item.path("completed_at").isNull()).isTrue();
        assertThat(item.has("average_prediction")).isFalse();
    }

    @Test
    void pagination_clamps_limit_and_offset_and_keeps_the_total() {
        JsonNode page = server.http().get("/api/debates?limit=2&offset=2").json();
        JsonNode everything = server.http().get("/api/debates").json();

        assertThat(ids(page)).containsExactlyElementsOf(ids(everything).subList(2, 4));
        assertThat(page.path("total").asInt()).isEqualTo(7);
        assertThat(server.http().get("/api/debates?limit=0").json().path("limit").asInt()).isEqualTo(1);
        assertThat(server.http().get("/api/debates?limit=500").json().path("limit").asInt()).isEqualTo(100);
        assertThat(server.http().get("/api/debates?limit=abc").json().path("limit").asInt()).isEqualTo(20);
        assertThat(server.http().get("/api/debates?offset=-5").json().path("offset").asInt()).isZero();
        assertThat(ids(server.http().get("/api/debates?offset=50").json())).isEmpty();
    }

    @Test
    void filters_by_status_and_market() {
        assertThat(server.http().get("/api/debates?status=stopped").json().path("total").asInt()).isEqualTo(4);
        assertThat(server.http().get("/api/debates?status=all&market_id=999").json().path("total").asInt())
                .isEqualTo(5);
        assertThat(server.http().get("/api/debates?market_id=nope").json().path("debates")).isEmpty();
    }

    @Test
    void an_unknown_status_filter_answers_400() {
        TestResponse response = server.http().get("/api/debates?status=finished");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("validation_error");
    }

    @Test
    void market_history_without_polymarket_falls_back_to_the_newest_debate_question() {
        TestResponse response = server.http().get("/api/markets/999/debates");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("market").toString())
                .isEqualTo("{\"id\":\"999\",\"question\":\"Other market, newest?\",\"current_odds\":{}}");
        assertThat(body.path("total").asInt()).isEqualTo(5);
        assertThat(body.path("limit").asInt()).isEqualTo(100);
        assertThat(ids(body).get(0)).isEqualTo(newestOtherMarket);
    }

    @Test
    void market_history_of_a_market_without_debates_is_empty() {
        JsonNode body = server.http().get("/api/markets/123456/debates?status=completed").json();

        assertThat(body.path("market").path("question").asText()).isEmpty();
        assertThat(body.path("debates")).isEmpty();
        assertThat(body.path("total").asInt()).isZero();
    }

    @Test
    void market_history_excludes_deleted_debates_and_filters_by_status() {
        JsonNode body = server.http().get("/api/markets/16167/debates?status=in_progress&limit=5").json();

        assertThat(ids(body)).containsExactly(running);
        assertThat(body.path("limit").asInt()).isEqualTo(5);
        assertThat(server.http().get("/api/markets/16167/debates").json().toString()).doesNotContain("Deleted question");
    }
}
