package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DebateStartValidationTest {
    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;
    private TestUser user;

    private void startServer(TestServer.Builder builder) {
        server = fakes.start(builder);
        user = server.createUser("user@example.com");
    }

    private TestResponse start(String body) {
        return server.http().post("/api/debate/start", body, user.auth());
    }

    /** §22.10: only the quota error may contain these words, or the setup page shows its daily-limit state. */
    private static void assertNoQuotaWords(TestResponse response) {
        String message = response.json().path("error").path("message").asText();
        assertThat(message).doesNotContain("daily").doesNotContain("limit");
    }

    @Test
    void start_without_a_token_answers_401() {
        startServer(fakes.server());
        TestResponse response = server.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void start_with_malformed_json_or_a_non_object_answers_400_invalid_json() {
        startServer(fakes.server());

        assertThat(start("{\"market_id\": ").errorCode()).isEqualTo("invalid_json");
        assertThat(start("[1, 2]").errorCode()).isEqualTo("invalid_json");
        assertThat(start("").status()).isEqualTo(400);
    }

    @Test
    void start_reports_every_failing_field_together() {
        startServer(fakes.server());

        TestResponse response = start("{\"market_id\": \"\", \"model_ids\": [], \"rounds\": 0}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("validation_error");
        JsonNode details = response.json().path("error").path("details");
        assertThat(details.path("market_id").asText()).isEqualTo("must not be empty");
        assertThat(details.path("model_ids").asText()).isEqualTo("must contain 1 to 10 model ids");
        assertThat(details.path("rounds").asText()).isEqualTo("must be an integer between 1 and 10");
        assertNoQuotaWords(response);
        assertThat(start("{\"model_ids\": [\"a/b\", \"a/b\"], \"rounds\": 2.5}").json().path("error").path("details")
                .path("model_ids").asText()).isEqualTo("must not contain duplicates");
        TestResponse types = start("{\"market_id\": true, \"model_ids\": [\"a/b\", 7], \"rounds\": \"3\"}");
        assertThat(types.json().path("error").path("details").size()).isEqualTo(3);
        assertNoQuotaWords(types);
        assertThat(start("{\"market_id\": \"" + "1".repeat(101) + "\", \"model_ids\": [\"" + MODEL_A + "\"]}")
                .json().path("error").path("details").path("market_id").asText())
                .isEqualTo("must be at most 100 characters");
    }

    @Test
    void a_numeric_market_id_is_accepted_and_rounds_default_to_three() {
        startServer(fakes.server());

        TestResponse response = start("{\"market_id\": " + BINARY_MARKET + ", \"model_ids\": [\"" + MODEL_A + "\"]}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("rounds").asInt()).isEqualTo(3);
        assertThat(response.json().path("market").path("id").asText()).isEqualTo(BINARY_MARKET);
    }

    @Test
    void start_without_an_openrouter_key_answers_503_openrouter_not_configured() {
        startServer(fakes.server().env("OPENROUTER_API_KEY", ""));

        TestResponse response = start(DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("openrouter_not_configured");
        assertNoQuotaWords(response);
    }

    @Test
    void a_model_outside_allowed_models_answers_422_when_the_catalogue_is_down() {
        startServer(fakes.server());

        TestResponse response = start(DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A, "foo/bar", "baz/qux"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo("model_not_available");
        assertThat(response.json().path("error").path("details").path("model_ids").asText())
                .isEqualTo("not available: foo/bar, baz/qux");
        assertNoQuotaWords(response);
    }

    @Test
    void with_the_catalogue_available_a_model_must_be_in_it_and_takes_its_catalogue_name() {
        fakes.openRouter.on("GET", "/models", call -> Reply.json(200, Fixtures.text("openrouter/models.json")));
        startServer(fakes.server());

        TestResponse missing = start(DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A, MODEL_B));
        TestResponse ok = start(DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A));

        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().path("error").path("details").path("model_ids").asText())
                .isEqualTo("not available: " + MODEL_B);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().path("models").get(0).path("model_name").asText()).isEqualTo("Anthropic: Claude Haiku 4.5");
        assertThat(ok.json().path("models").get(0).path("provider").asText()).isEqualTo("Anthropic");
    }

    @Test
    void unknown_market_answers_404_and_a_failing_gamma_503() {
        fakes.gamma.on("GET", "/events/999", call -> Reply.json(500, "{\"error\":\"rate limit exceeded\"}"));
        startServer(fakes.server());

        TestResponse unknown = start(DebateHarness.startBody("12345", 1, MODEL_A));
        TestResponse failing = start(DebateHarness.startBody("999", 1, MODEL_A));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("market_not_found");
        assertNoQuotaWords(unknown);
        assertThat(failing.status()).isEqualTo(503);
        assertThat(failing.errorCode()).isEqualTo("external_api_error");
        assertNoQuotaWords(failing);
    }

    @Test
    void a_market_without_outcomes_answers_422() {
        fakes.gamma.on("GET", "/events/777", call -> Reply.json(200,
                "{\"id\":\"777\",\"title\":\"Nothing to trade\",\"description\":\"\",\"markets\":[]}"));
        startServer(fakes.server());

        TestResponse response = start(DebateHarness.startBody("777", 1, MODEL_A));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.errorCode()).isEqualTo("market_has_no_outcomes");
        assertNoQuotaWords(response);
    }

    @Test
    void the_daily_quota_answers_429_with_remaining_debates_and_inserts_nothing() {
        startServer(fakes.server().env("DAILY_DEBATE_LIMIT", "1"));

        assertThat(start(DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A)).status()).isEqualTo(201);
        TestResponse second = start(DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A));

        assertThat(second.status()).isEqualTo(429);
        assertThat(second.errorCode()).isEqualTo("daily_limit_reached");
        assertThat(second.json().path("remaining_debates").asInt()).isZero();
        assertThat(second.json().has("remaining_debates")).isTrue();
        assertThat(second.json().path("error").path("message").asText())
                .isEqualTo("Daily debate limit reached (1 per day). It resets at midnight UTC.");
        int debates = server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM debates")
                .mapTo(Integer.class).one());
        assertThat(debates).isEqualTo(1);
    }
}
