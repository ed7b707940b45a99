package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestServer;
import org.junit.jupiter.api.Test;

class ProfileOpenApiTest {

    @Test
    void every_favorites_and_profile_route_is_documented_with_its_method() {
        String[][] routes = {
            {"/api/favorites", "get"}, {"/api/favorites", "post"}, {"/api/favorites/{resource_id}", "delete"},
            {"/api/favorites/check/{market_id}", "get"}, {"/api/favorites/markets", "post"},
            {"/api/auth/profile", "get"}, {"/api/auth/profile", "put"}, {"/api/auth/upload-avatar", "post"},
            {"/api/auth/debates", "get"}, {"/api/auth/debates/top", "get"}, {"/uploads/avatars/{filename}", "get"},
        };
        try (TestServer server = TestServer.start()) {
            JsonNode doc = server.http().get("/api/openapi.json").json();
            for (String[] route : routes) {
                JsonNode operation = doc.path("paths").path(route[0]).path(route[1]);
                assertThat(operation.isObject()).as("%s %s", route[1], route[0]).isTrue();
                assertThat(operation.path("responses").path("200").isObject()
                        || operation.path("responses").path("201").isObject()).isTrue();
                // Every route is really registered: an undocumented or unregistered one would answer 404 not_found.
                String code = server.http().send(server.http().request(route[0].replace("{resource_id}", "x")
                                .replace("{market_id}", "1").replace("{filename}", "none.png"))
                        .method(route[1].toUpperCase(), java.net.http.HttpRequest.BodyPublishers.noBody())).errorCode();
                assertThat(code).as("%s %s is routed", route[1], route[0]).isNotIn("not_found", "method_not_allowed");
            }
            assertThat(doc.path("components").path("schemas").has("UserDebate")).isTrue();
            assertThat(doc.path("components").path("schemas").has("Favorite")).isTrue();
        }
    }
}
