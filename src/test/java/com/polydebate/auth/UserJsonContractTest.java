package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The User object (§18.10) has exactly its fields with their types wherever an endpoint answers one. */
class UserJsonContractTest {
    private static final Set<String> FIELDS = new TreeSet<>(Set.of("id", "email", "name", "avatar_url",
            "tokens_remaining", "total_debates", "created_at", "last_login", "is_active", "is_admin"));
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private static void assertUser(String where, JsonNode user) {
        List<String> names = new ArrayList<>();
        user.fieldNames().forEachRemaining(names::add);
        assertThat(new TreeSet<>(names)).as(where).isEqualTo(FIELDS);
        assertThat(user.path("id").isIntegralNumber()).as(where + " id").isTrue();
        assertThat(user.path("email").isTextual()).as(where + " email").isTrue();
        assertThat(user.path("name").isTextual()).as(where + " name").isTrue();
        assertThat(user.path("avatar_url").isNull() || user.path("avatar_url").isTextual()).as(where).isTrue();
        assertThat(user.path("tokens_remaining").isIntegralNumber()).as(where + " tokens_remaining").isTrue();
        assertThat(user.path("total_debates").isIntegralNumber()).as(where + " total_debates").isTrue();
        assertThat(user.path("created_at").asText()).as(where + " created_at").matches(TIMESTAMP);
        assertThat(user.path("last_login").isNull() || user.path("last_login").asText().matches(TIMESTAMP))
                .as(where + " last_login").isTrue();
        assertThat(user.path("is_active").isBoolean()).as(where + " is_active").isTrue();
        assertThat(user.path("is_admin").isBoolean()).as(where + " is_admin").isTrue();
    }

    @Test
    void every_endpoint_answers_the_same_user_shape_with_a_live_debate_count() {
        try (TestServer server = TestServer.builder().env("ADMIN_PASSWORD", "admin-secret").start()) {
            TestServer.TestUser ada = server.createUser("ada@example.com", "Ada", false);
            TestDebates.debate(server.jdbi(), ada.id()).insert();
            TestDebates.debate(server.jdbi(), ada.id()).insert();
            TestDebates.debate(server.jdbi(), ada.id()).deleted().insert();
            JsonNode login = server.http().post("/api/admin/login",
                    "{\"email\":\"root@example.com\",\"password\":\"admin-secret\"}").json();
            String adminToken = login.path("token").asText();

            JsonNode me = server.http().get("/api/auth/me", ada.auth()).json().path("data").path("user");
            JsonNode profile = server.http().get("/api/auth/profile", ada.auth()).json().path("user");
            JsonNode putMe = server.http().put("/api/auth/me", "{\"name\":\"Ada L\"}", ada.auth())
                    .json().path("data").path("user");
            JsonNode adminList = server.http().get("/api/admin/users", "Authorization", "Bearer " + adminToken)
                    .json().path("data");

            assertUser("GET /api/auth/me", me);
            assertUser("GET /api/auth/profile", profile);
            assertUser("PUT /api/auth/me", putMe);
            assertUser("POST /api/admin/login", login.path("user"));
            assertThat(adminList).hasSize(2);
            adminList.forEach(user -> assertUser("GET /api/admin/users", user));
            assertThat(me.path("total_debates").asInt()).isEqualTo(2);
            assertThat(profile.path("total_debates").asInt()).isEqualTo(2);
            assertThat(putMe.path("total_debates").asInt()).isEqualTo(2);
            assertThat(adminList.findValues("total_debates").stream().mapToInt(JsonNode::asInt).sum()).isEqualTo(2);
            assertThat(login.path("user").path("is_admin").asBoolean()).isTrue();
        }
    }
}
