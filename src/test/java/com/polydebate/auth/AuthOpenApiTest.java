package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The auth and admin routes are documented in the served OpenAPI document. */
class AuthOpenApiTest {

    @Test
    void every_auth_and_admin_route_is_documented_with_its_method() {
        try (TestServer server = TestServer.start()) {
            JsonNode paths = server.http().get("/api/openapi.json").json().path("paths");

            List<String[]> routes = List.of(
                    new String[] {"post", "/api/auth/signup/request-code"},
                    new String[] {"post", "/api/auth/signup/verify-code"},
                    new String[] {"post", "/api/auth/login/request-code"},
                    new String[] {"post", "/api/auth/login/verify-code"},
                    new String[] {"get", "/api/auth/me"},
                    new String[] {"put", "/api/auth/me"},
                    new String[] {"get", "/api/auth/limits"},
                    new String[] {"post", "/api/admin/login"},
                    new String[] {"get", "/api/admin/users"},
                    new String[] {"delete", "/api/admin/users/{user_id}"},
                    new String[] {"get", "/api/admin/debates"},
                    new String[] {"get", "/api/admin/analytics"},
                    new String[] {"get", "/api/admin/debug"});
            for (String[] route : routes) {
                assertThat(paths.path(route[1]).has(route[0])).as(route[0] + " " + route[1]).isTrue();
                assertThat(paths.path(route[1]).path(route[0]).path("responses").size()).isPositive();
            }
            for (JsonNode methods : paths) {
                methods.forEach(op -> op.path("responses").forEach(resp -> {
                    String ref = resp.path("content").path("application/json").path("schema").path("$ref").asText();
                    if (!ref.isEmpty()) {
                        String name = ref.substring(ref.lastIndexOf('/') + 1);
                        assertThat(server.http().get("/api/openapi.json").json().path("components").path("schemas")
                                .has(name)).as(ref).isTrue();
                    }
                }));
            }
        }
    }
}
