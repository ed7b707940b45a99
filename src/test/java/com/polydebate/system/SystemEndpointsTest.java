package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SystemEndpointsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().env("FRONTEND_URL", "https://app.polydebate.test").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health_reports_ok_with_environment_and_database() {
        TestResponse response = server.http().get("/api/health");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("version").asText()).isEqualTo("1.0.0");
        assertThat(body.path("environment").asText()).isEqualTo("development");
        assertThat(body.path("timestamp").asText()).isEqualTo("2026-11-28T12:00:00.000Z");
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("X-Request-Id")).isPresent();
    }

    @Test
    void root_lists_the_main_endpoints() {
        JsonNode body = server.http().get("/").json();

        assertThat(body.path("name").asText()).isEqualTo("PolyDebate API");
        assertThat(body.path("endpoints").path("auth").path("me").asText()).isEqualTo("/api/auth/me");
    }

    @Test
    void unknown_route_answers_404_not_found_in_the_error_format() {
        TestResponse response = server.http().get("/api/nope");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("not_found");
        assertThat(response.json().path("error").path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void wrong_method_on_a_known_path_answers_405() {
        TestResponse response = server.http().delete("/api/health");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.errorCode()).isEqualTo("method_not_allowed");
    }

    @Test
    void preflight_from_an_allowed_origin_is_answered_on_any_path() {
        TestResponse response = server.http().send(server.http().request("/api/anything/at/all")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.polydebate.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization"));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).contains("https://app.polydebate.test");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("GET, POST, PUT, DELETE, OPTIONS");
        assertThat(response.header("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization");
        assertThat(response.header("Access-Control-Max-Age")).contains("600");
    }

    @Test
    void development_origins_are_allowed_and_others_get_no_cors_headers() {
        TestResponse local = server.http().get("/api/health", "Origin", "http://localhost:3000");
        TestResponse foreign = server.http().get("/api/health", "Origin", "https://evil.example");

        assertThat(local.header("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void error_answers_carry_the_cors_header_too() {
        TestResponse response = server.http().get("/api/nope", "Origin", "https://app.polydebate.test");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Access-Control-Allow-Origin")).contains("https://app.polydebate.test");
    }

    @Test
    void openapi_document_is_served() {
        TestResponse response = server.http().get("/api/openapi.json");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(response.json().path("paths").has("/api/health")).isTrue();
    }

    @Test
    void a_json_body_far_over_the_limit_gets_a_413_answer_not_a_dropped_connection() {
        String huge = "{\"email\":\"" + "a".repeat(400_000) + "\"}";

        TestResponse response = server.http().post("/api/auth/signup/request-code", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.errorCode()).isEqualTo("payload_too_large");
    }

    @Test
    void health_answers_503_degraded_once_the_database_stops_answering() {
        try (TestServer own = TestServer.start()) {
            assertThat(own.http().get("/api/health").status()).isEqualTo(200);
            own.app().database().close();
            own.clock().advance(java.time.Duration.ofSeconds(2));

            TestResponse response = own.http().get("/api/health");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("status").asText()).isEqualTo("degraded");
            assertThat(response.json().path("environment").asText()).isEqualTo("development");
        }
    }

    @Test
    void health_timestamp_follows_the_clock_millisecond_by_millisecond_and_the_rest_of_the_body_stays() {
        try (TestServer own = TestServer.start()) {
            String first = own.http().get("/api/health").body();
            own.clock().advance(Duration.ofMillis(7));
            String second = own.http().get("/api/health").body();
            own.clock().advance(Duration.ofMinutes(61).plusMillis(993));
            JsonNode third = own.http().get("/api/health").json();

            assertThat(first).contains("\"timestamp\":\"2026-11-28T12:00:00.000Z\"");
            assertThat(second).isEqualTo(first.replace("12:00:00.000Z", "12:00:00.007Z"));
            assertThat(third.path("timestamp").asText()).isEqualTo("2026-11-28T13:01:01.000Z");
            assertThat(third.path("database").asText()).isEqualTo("ok");
            assertThat(third.path("writable").asBoolean()).isTrue();
        }
    }
}
