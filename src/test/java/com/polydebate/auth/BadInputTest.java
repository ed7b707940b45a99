package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every auth and admin endpoint answers bad input with a 4xx in the error format, never a 500. */
class BadInputTest {
    private static TestServer server;
    private static TestServer.TestUser user;

    private record Endpoint(String method, String path) {
    }

    private static final List<Endpoint> JSON_ENDPOINTS = List.of(
            new Endpoint("POST", "/api/auth/signup/request-code"),
            new Endpoint("POST", "/api/auth/signup/verify-code"),
            new Endpoint("POST", "/api/auth/login/request-code"),
            new Endpoint("POST", "/api/auth/login/verify-code"),
            new Endpoint("PUT", "/api/auth/me"),
            new Endpoint("POST", "/api/admin/login"));

    @BeforeAll
    static void start() {
        server = TestServer.builder().env("ADMIN_PASSWORD", "admin-password").start();
        user = server.createUser("bad-input@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestResponse send(Endpoint endpoint, String body) {
        return endpoint.method().equals("PUT") ? server.http().put(endpoint.path(), body, user.auth())
                : server.http().post(endpoint.path(), body);
    }

    private static void assertClientError(TestResponse response, String context) {
        assertThat(response.status()).as(context + " -> " + response.body()).isBetween(400, 499);
        JsonNode error = response.json().path("error");
        assertThat(error.path("code").asText()).as(context).isNotEmpty();
        assertThat(error.path("message").asText()).as(context).isNotEmpty();
        assertThat(error.path("timestamp").asText()).as(context).endsWith("Z");
    }

    @Test
    void malformed_json_is_invalid_json_everywhere() {
        for (Endpoint endpoint : JSON_ENDPOINTS) {
            for (String body : List.of("{\"email\":", "not json", "[1,2]", "\"text\"", "42")) {
                TestResponse response = send(endpoint, body);
                assertClientError(response, endpoint + " " + body);
                assertThat(response.errorCode()).as(endpoint + " " + body).isEqualTo("invalid_json");
            }
        }
    }

    @Test
    void wrong_types_are_validation_errors_everywhere() {
        for (Endpoint endpoint : JSON_ENDPOINTS) {
            for (String body : List.of("{\"email\":5,\"name\":\"Valid\",\"code\":\"123456\",\"password\":\"x\"}",
                    "{\"email\":\"a@example.com\",\"name\":[\"x\"],\"code\":{\"a\":1},\"password\":true}",
                    "{\"email\":{},\"name\":false,\"code\":12,\"password\":1.5}")) {
                TestResponse response = send(endpoint, body);
                if (endpoint.method().equals("PUT") && body.contains("\"name\":\"Valid\"")) {
                    // PUT /me reads only the name; a wrongly typed e-mail is one of the ignored fields.
                    assertThat(response.status()).isEqualTo(200);
                    continue;
                }
                assertClientError(response, endpoint + " " + body);
                assertThat(response.status()).as(endpoint + " " + body).isEqualTo(400);
            }
        }
    }

    @Test
    void missing_fields_are_4xx_everywhere() {
        for (Endpoint endpoint : JSON_ENDPOINTS) {
            TestResponse response = send(endpoint, "{}");
            if (endpoint.method().equals("PUT")) {
                // PUT /me: every field is optional; nothing changes.
                assertThat(response.status()).isEqualTo(200);
            } else {
                assertClientError(response, endpoint + " {}");
            }
            if (!endpoint.method().equals("PUT")) {
                assertClientError(send(endpoint, null), endpoint + " no body");
            }
        }
        assertThat(send(JSON_ENDPOINTS.get(0), "{}").errorCode()).isEqualTo("validation_error");
        assertThat(send(JSON_ENDPOINTS.get(5), "{}").errorCode()).isEqualTo("missing_credentials");
    }

    @Test
    void huge_strings_are_rejected_as_too_large() {
        String huge = "x".repeat(100 * 1024);
        for (Endpoint endpoint : JSON_ENDPOINTS) {
            TestResponse response = send(endpoint, "{\"email\":\"" + huge + "\",\"name\":\"Valid Name\"}");
            assertClientError(response, endpoint + " 100 KB");
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.errorCode()).isEqualTo("payload_too_large");
        }
    }

    @Test
    void long_strings_under_the_body_limit_are_validation_errors() {
        String long15k = "y".repeat(15 * 1024);
        for (Endpoint endpoint : JSON_ENDPOINTS.subList(0, 5)) {
            TestResponse response = send(endpoint, "{\"email\":\"" + long15k + "@example.com\",\"name\":\"" + long15k
                    + "\",\"code\":\"" + long15k + "\"}");
            assertClientError(response, endpoint + " 15 KB");
            assertThat(response.errorCode()).isEqualTo("validation_error");
        }
        TestResponse longCode = server.http().post("/api/auth/login/verify-code",
                "{\"email\":\"bad-input@example.com\",\"code\":\"" + long15k + "\"}");
        assertThat(longCode.errorCode()).isEqualTo("invalid_code");
    }

    @Test
    void an_invalid_email_on_admin_login_is_a_validation_error() {
        TestResponse response = server.http().post("/api/admin/login",
                "{\"email\":\"nope\",\"password\":\"admin-password\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("validation_error");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("Enter a valid email address");
        assertThat(response.json().path("error").path("details").path("email").asText())
                .isEqualTo("Enter a valid email address");
    }
}
