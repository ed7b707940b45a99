package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The general conventions of the contract (§1) and the error format (§2), checked at the wire. */
class WireConventionsTest {
    private static final String ORIGIN = "https://app.polydebate.test";

    private static void assertUtf8Json(TestResponse response) {
        String type = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT).replace(" ", "");
        assertThat(type).as("Content-Type of %s", response.body()).isEqualTo("application/json;charset=utf-8");
    }

    @Test
    void json_answers_and_error_answers_are_declared_as_utf8_json() {
        try (TestServer server = TestServer.start()) {
            TestServer.TestUser user = server.createUser("ada@example.com", "Ada", false);

            List<TestResponse> answers = List.of(
                    server.http().get("/api/health"),
                    server.http().get("/api/auth/me", user.auth()),
                    server.http().get("/api/auth/limits", user.auth()),
                    server.http().get("/api/favorites", user.auth()),
                    server.http().get("/api/nope"),
                    server.http().get("/api/auth/me"),
                    server.http().post("/api/favorites", "{", user.auth()),
                    server.http().post("/api/auth/login/request-code", "{\"email\":\"" + "a".repeat(70_000) + "\"}"));

            answers.forEach(WireConventionsTest::assertUtf8Json);
        }
    }

    @Test
    void integer_query_values_beyond_the_int_range_are_clamped_not_replaced_by_the_default() {
        try (FakeUpstream gamma = new FakeUpstream()) {
            gamma.on("GET", "/events/pagination", call -> Reply.json(200, "{\"data\":[],\"pagination\":{\"hasMore\":false}}"));
            try (TestServer server = TestServer.builder().env("POLYMARKET_GAMMA_URL", gamma.baseUrl()).start()) {
                TestResponse response = server.http().get("/api/markets?limit=-99999999999&offset=99999999999");

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.json().path("limit").asInt()).isEqualTo(1);
                assertThat(response.json().path("offset").asLong()).isEqualTo(Integer.MAX_VALUE);
                assertThat(gamma.calls("GET", "/events/pagination").get(0).query().get("limit")).isEqualTo("1");
            }
        }
    }

    @Test
    void an_unexpected_failure_in_production_is_a_500_without_exception_text_that_the_frontend_can_read() {
        try (TestServer server = TestServer.builder()
                .env("APP_ENV", "production")
                .env("FRONTEND_URL", ORIGIN)
                .start()) {
            TestServer.TestUser user = server.createUser("ada@example.com", "Ada", false);
            server.app().database().close();

            TestResponse response = server.http().get("/api/auth/me", "Authorization", "Bearer " + user.token(),
                    "Origin", ORIGIN);

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.errorCode()).isEqualTo("internal_error");
            assertThat(response.json().path("error").path("message").asText())
                    .isEqualTo("An unexpected error occurred")
                    .doesNotContain("Invalid or expired token");
            assertThat(response.json().path("error").path("timestamp").asText()).endsWith("Z");
            assertThat(response.header("Access-Control-Allow-Origin")).contains(ORIGIN);
            assertThat(response.header("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void a_rate_limited_answer_carries_the_cors_header_and_remaining_zero() {
        try (TestServer server = TestServer.builder()
                .env("FRONTEND_URL", ORIGIN)
                .env("MAX_CODE_REQUESTS_PER_HOUR", "1")
                .start()) {
            String body = "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}";
            assertThat(server.http().post("/api/auth/signup/request-code", body, "Origin", ORIGIN).status())
                    .isEqualTo(200);

            TestResponse response = server.http().post("/api/auth/signup/request-code", body, "Origin", ORIGIN);

            assertThat(response.status()).isEqualTo(429);
            assertThat(response.errorCode()).isEqualTo("rate_limit_exceeded");
            assertThat(response.json().path("error").path("remaining").isInt()).isTrue();
            assertThat(response.json().path("error").path("remaining").asInt()).isZero();
            assertThat(response.header("Access-Control-Allow-Origin")).contains(ORIGIN);
        }
    }

    @Test
    void every_kind_of_error_answer_carries_the_cors_header_and_no_store_for_an_allowed_origin() {
        try (TestServer server = TestServer.builder().env("FRONTEND_URL", ORIGIN).start()) {
            TestServer.TestUser user = server.createUser("ada@example.com", "Ada", false);
            String[] origin = {"Origin", ORIGIN};
            String[] userAndOrigin = {"Authorization", "Bearer " + user.token(), "Origin", ORIGIN};

            List<TestResponse> errors = List.of(
                    server.http().post("/api/favorites", "{", userAndOrigin),
                    server.http().post("/api/favorites", "{\"market_id\":\"\"}", userAndOrigin),
                    server.http().get("/api/auth/me", origin),
                    server.http().get("/api/auth/me", "Authorization", "Bearer nonsense", "Origin", ORIGIN),
                    server.http().get("/api/admin/users", userAndOrigin),
                    server.http().delete("/api/favorites/16167", userAndOrigin),
                    server.http().get("/api/nope", origin),
                    server.http().delete("/api/markets", origin),
                    server.http().post("/api/auth/login/request-code", "{\"email\":\"" + "a".repeat(70_000) + "\"}",
                            origin),
                    server.http().get("/api/markets/16167", origin));

            assertThat(errors).extracting(TestResponse::status)
                    .containsExactly(400, 400, 401, 401, 403, 404, 404, 405, 413, 503);
            for (TestResponse error : errors) {
                assertThat(error.header("Access-Control-Allow-Origin")).as(error.body()).contains(ORIGIN);
                assertThat(error.header("Cache-Control")).as(error.body()).contains("no-store");
                assertThat(error.json().path("error").path("timestamp").asText()).endsWith("Z");
            }
        }
    }

    @Test
    void every_successful_json_answer_of_markets_models_auth_favorites_profile_and_admin_is_no_store_utf8_json() {
        try (FakeUpstream gamma = new FakeUpstream(); FakeUpstream openRouter = new FakeUpstream()) {
            gamma.on("GET", "/events/pagination", call -> Reply.json(200, "{\"data\":[],\"pagination\":{\"hasMore\":false}}"));
            gamma.on("GET", "/events/2890", call -> Reply.json(200,
                    Fixtures.text("polymarket-gamma/event-categorical.json")));
            gamma.on("GET", "/tags", call -> Reply.json(200, Fixtures.text("polymarket-gamma/tags.json")));
            openRouter.on("GET", "/models", call -> Reply.json(200, Fixtures.text("openrouter/models.json")));
            try (TestServer server = TestServer.builder()
                    .env("POLYMARKET_GAMMA_URL", gamma.baseUrl())
                    .env("OPENROUTER_API_URL", openRouter.baseUrl())
                    .env("ADMIN_PASSWORD", "admin-secret")
                    .start()) {
                TestServer.TestUser user = server.createUser("ada@example.com", "Ada", false);
                String admin = server.http().post("/api/admin/login",
                        "{\"email\":\"root@example.com\",\"password\":\"admin-secret\"}").json().path("token").asText();
                String[] adminAuth = {"Authorization", "Bearer " + admin};

                List<TestResponse> answers = List.of(
                        server.http().get("/"),
                        server.http().get("/api/markets"),
                        server.http().get("/api/markets/2890?t=1"),
                        server.http().get("/api/categories"),
                        server.http().get("/api/models"),
                        server.http().post("/api/auth/login/request-code", "{\"email\":\"ada@example.com\"}"),
                        server.http().get("/api/auth/profile", user.auth()),
                        server.http().get("/api/auth/debates", user.auth()),
                        server.http().get("/api/auth/debates/top", user.auth()),
                        server.http().post("/api/favorites", "{\"market_id\":\"2890\"}", user.auth()),
                        server.http().get("/api/favorites/check/2890", user.auth()),
                        server.http().delete("/api/favorites/2890", user.auth()),
                        server.http().get("/api/admin/users", adminAuth),
                        server.http().get("/api/admin/debates", adminAuth),
                        server.http().get("/api/admin/analytics", adminAuth),
                        server.http().get("/api/admin/debug", adminAuth));

                for (TestResponse answer : answers) {
                    assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
                    assertUtf8Json(answer);
                    assertThat(answer.header("Cache-Control")).as(answer.body()).contains("no-store");
                }
            }
        }
    }
}
