package com.polydebate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Administration (§17) over HTTP. */
class AdminEndpointsTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static TestServer server;

    @BeforeAll
    static void start() {
        // The test client is the trusted proxy, so X-Forwarded-For names the client IP in these tests.
        server = TestServer.builder().env("ADMIN_PASSWORD", PASSWORD).env("TRUSTED_PROXIES", "127.0.0.1").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestResponse login(String email, String password, String... headers) {
        return server.http().post("/api/admin/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", headers);
    }

    private static String adminToken(String email) {
        TestResponse response = login(email, PASSWORD);
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("token").asText();
    }

    @Test
    void login_is_disabled_without_an_admin_password() {
        try (TestServer plain = TestServer.start()) {
            TestResponse response = plain.http().post("/api/admin/login",
                    "{\"email\":\"admin@example.com\",\"password\":\"anything\"}");

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.errorCode()).isEqualTo("admin_login_disabled");
        }
    }

    @Test
    void login_creates_a_system_admin_and_returns_a_token_and_user() {
        TestResponse response = login("  Boss@Example.com ", PASSWORD);

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("user").path("email").asText()).isEqualTo("boss@example.com");
        assertThat(body.path("user").path("name").asText()).isEqualTo("System Admin");
        assertThat(body.path("user").path("is_admin").asBoolean()).isTrue();
        assertThat(body.path("user").path("total_debates").asInt()).isZero();
        String token = body.path("token").asText();
        assertThat(server.http().get("/api/admin/users", TestHttp.bearer(token)).status()).isEqualTo(200);
    }

    @Test
    void login_promotes_an_existing_user_and_keeps_the_name() {
        TestServer.TestUser user = server.createUser("promote@example.com", "Existing Person", false);

        TestResponse response = login("promote@example.com", PASSWORD);

        assertThat(response.json().path("user").path("id").asLong()).isEqualTo(user.id());
        assertThat(response.json().path("user").path("name").asText()).isEqualTo("Existing Person");
        assertThat(response.json().path("user").path("is_admin").asBoolean()).isTrue();
        assertThat(server.http().get("/api/admin/analytics", user.auth()).status()).isEqualTo(200);
    }

    @Test
    void a_wrong_password_is_401_invalid_credentials() {
        TestResponse response = login("wrong@example.com", "guess");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("invalid_credentials");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("Wrong admin password");
    }

    @Test
    void missing_credentials_are_400() {
        TestResponse noPassword = server.http().post("/api/admin/login", "{\"email\":\"a@example.com\"}");
        TestResponse noEmail = server.http().post("/api/admin/login", "{\"password\":\"x\"}");
        TestResponse blank = login("", "");

        assertThat(noPassword.errorCode()).isEqualTo("missing_credentials");
        assertThat(noEmail.errorCode()).isEqualTo("missing_credentials");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.errorCode()).isEqualTo("missing_credentials");
    }

    @Test
    void an_inactive_account_cannot_log_in_as_admin() {
        TestServer.TestUser user = server.createUser("inactive-admin@example.com", "Former", true);
        server.jdbi().useHandle(h -> h.execute("UPDATE users SET is_active = FALSE WHERE id = ?", user.id()));

        TestResponse response = login("inactive-admin@example.com", PASSWORD);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("account_inactive");
    }

    @Test
    void five_failed_admin_logins_lock_the_ip_whatever_the_email_even_for_the_right_password() {
        String[] ip = {"X-Forwarded-For", "203.0.113.99"};
        for (int i = 0; i < 5; i++) {
            assertThat(login("guess" + i + "@example.com", "wrong", ip).status()).isEqualTo(401);
        }

        TestResponse limited = login("limited@example.com", PASSWORD, ip);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(limited.json().path("error").path("remaining").asInt(-1)).isZero();
        assertThat(login("limited@example.com", PASSWORD, "X-Forwarded-For", "203.0.113.100").status())
                .isEqualTo(200);
        server.clock().advance(Duration.ofMinutes(16));
        assertThat(login("limited@example.com", PASSWORD, ip).status()).isEqualTo(200);
    }

    @Test
    void successful_admin_logins_do_not_count_as_failures() {
        String[] ip = {"X-Forwarded-For", "203.0.113.150"};
        for (int i = 0; i < 4; i++) {
            assertThat(login("busy@example.com", "wrong", ip).status()).isEqualTo(401);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(login("busy@example.com", PASSWORD, ip).status()).isEqualTo(200);
        }
        assertThat(login("busy@example.com", "wrong", ip).status()).isEqualTo(401);
        assertThat(login("busy@example.com", "wrong", ip).status()).isEqualTo(429);
    }

    @Test
    void admin_routes_refuse_non_admins_with_403_and_anonymous_callers_with_401() {
        TestServer.TestUser user = server.createUser("plain@example.com");
        List<String> paths = List.of("/api/admin/users", "/api/admin/debates", "/api/admin/analytics",
                "/api/admin/debug");

        for (String path : paths) {
            TestResponse forbidden = server.http().get(path, user.auth());
            assertThat(forbidden.status()).as(path).isEqualTo(403);
            assertThat(forbidden.errorCode()).isEqualTo("forbidden");
            assertThat(forbidden.json().path("error").path("message").asText())
                    .isEqualTo("Administrator access required");
            assertThat(server.http().get(path).status()).as(path).isEqualTo(401);
            assertThat(server.http().get(path, TestHttp.bearer("bad.token.here")).status()).as(path).isEqualTo(401);
        }
        assertThat(server.http().delete("/api/admin/users/1", user.auth()).status()).isEqualTo(403);
    }

    @Test
    void users_are_listed_newest_first_with_their_debate_counts() {
        String token = adminToken("lister@example.com");
        server.clock().advance(Duration.ofSeconds(5));
        TestServer.TestUser older = server.createUser("older@example.com", "Older", false);
        server.clock().advance(Duration.ofSeconds(5));
        TestServer.TestUser newer = server.createUser("newer@example.com", "Newer", false);
        TestDebates.debate(server.jdbi(), older.id()).insert();
        TestDebates.debate(server.jdbi(), older.id()).insert();
        TestDebates.debate(server.jdbi(), older.id()).deleted().insert();

        TestResponse response = server.http().get("/api/admin/users", TestHttp.bearer(token));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("success").asBoolean()).isTrue();
        List<String> emails = new ArrayList<>();
        JsonNode olderNode = null;
        for (JsonNode user : response.json().path("data")) {
            emails.add(user.path("email").asText());
            if (user.path("id").asLong() == older.id()) {
                olderNode = user;
            }
            assertThat(user.has("is_active")).isTrue();
            assertThat(user.has("created_at")).isTrue();
        }
        assertThat(emails.indexOf("newer@example.com")).isLessThan(emails.indexOf("older@example.com"));
        assertThat(emails.indexOf(newer.user().email())).isZero();
        assertThat(olderNode).isNotNull();
        assertThat(olderNode.path("total_debates").asInt()).isEqualTo(2);
        assertThat(olderNode.path("name").asText()).isEqualTo("Older");
        assertThat(olderNode.path("is_admin").asBoolean()).isFalse();
    }

    @Test
    void deactivating_a_user_ends_their_sessions() {
        String token = adminToken("deactivator@example.com");
        TestServer.TestUser target = server.createUser("target@example.com");
        assertThat(server.http().get("/api/auth/me", target.auth()).status()).isEqualTo(200);

        TestResponse response = server.http().delete("/api/admin/users/" + target.id(), TestHttp.bearer(token));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("success").asBoolean()).isTrue();
        assertThat(response.json().path("message").asText()).isEqualTo("User has been deactivated");
        assertThat(server.http().get("/api/auth/me", target.auth()).status()).isEqualTo(401);
    }

    @Test
    void deactivation_refuses_unknown_ids_non_integers_and_oneself() {
        TestResponse admin = login("self@example.com", PASSWORD);
        String token = admin.json().path("token").asText();
        long selfId = admin.json().path("user").path("id").asLong();

        TestResponse unknown = server.http().delete("/api/admin/users/999999", TestHttp.bearer(token));
        TestResponse word = server.http().delete("/api/admin/users/abc", TestHttp.bearer(token));
        TestResponse huge = server.http().delete("/api/admin/users/99999999999999999999999", TestHttp.bearer(token));
        TestResponse self = server.http().delete("/api/admin/users/" + selfId, TestHttp.bearer(token));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("not_found");
        assertThat(word.status()).isEqualTo(404);
        assertThat(word.errorCode()).isEqualTo("not_found");
        assertThat(huge.status()).isEqualTo(404);
        assertThat(self.status()).isEqualTo(409);
        assertThat(self.errorCode()).isEqualTo("cannot_deactivate_self");
        assertThat(server.http().get("/api/auth/me", TestHttp.bearer(token)).status()).isEqualTo(200);
    }

    @Test
    void debates_list_includes_deleted_ones_newest_first_with_the_debate_id_as_id() {
        String token = adminToken("debates-admin@example.com");
        TestServer.TestUser owner = server.createUser("debater@example.com");
        String old = TestDebates.debate(server.jdbi(), owner.id()).market("111", "Old question?", "Politics")
                .createdAt("2026-11-20T10:00:00Z").insert();
        String deleted = TestDebates.debate(server.jdbi(), owner.id()).market("222", "Deleted question?", "Crypto")
                .status("stopped").deleted().createdAt("2026-11-27T10:00:00Z").insert();

        TestResponse response = server.http().get("/api/admin/debates", TestHttp.bearer(token));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("success").asBoolean()).isTrue();
        List<String> ids = new ArrayList<>();
        JsonNode deletedNode = null;
        for (JsonNode item : response.json().path("data")) {
            ids.add(item.path("id").asText());
            if (item.path("id").asText().equals(deleted)) {
                deletedNode = item;
            }
        }
        assertThat(ids.indexOf(deleted)).isGreaterThanOrEqualTo(0).isLessThan(ids.indexOf(old));
        assertThat(deletedNode).isNotNull();
        assertThat(deletedNode.path("debate_id").asText()).isEqualTo(deleted);
        assertThat(deletedNode.path("slug").asText()).isEqualTo("222");
        assertThat(deletedNode.path("title").asText()).isEqualTo("Deleted question?");
        assertThat(deletedNode.path("user_id").asLong()).isEqualTo(owner.id());
        assertThat(deletedNode.path("status").asText()).isEqualTo("stopped");
        assertThat(deletedNode.path("is_deleted").asBoolean()).isTrue();
        assertThat(deletedNode.path("created_at").asText()).isEqualTo("2026-11-27T10:00:00.000Z");
    }

    @Test
    void debates_list_is_capped_at_one_hundred() {
        try (TestServer own = TestServer.builder().env("ADMIN_PASSWORD", PASSWORD).start()) {
            String token = own.http().post("/api/admin/login",
                    "{\"email\":\"cap@example.com\",\"password\":\"" + PASSWORD + "\"}").json().path("token").asText();
            for (int i = 0; i < 101; i++) {
                TestDebates.debate(own.jdbi(), null).insert();
            }

            TestResponse response = own.http().get("/api/admin/debates", TestHttp.bearer(token));

            assertThat(response.json().path("data").size()).isEqualTo(100);
        }
    }

    @Test
    void analytics_count_users_debates_messages_and_the_last_day() {
        try (TestServer own = TestServer.builder().env("ADMIN_PASSWORD", PASSWORD).start()) {
            String token = own.http().post("/api/admin/login",
                    "{\"email\":\"stats@example.com\",\"password\":\"" + PASSWORD + "\"}").json().path("token").asText();
            TestServer.TestUser user = own.createUser("counted@example.com");
            TestDebates.debate(own.jdbi(), user.id()).createdAt("2026-11-28T11:00:00Z")
                    .message(1, "openai/gpt-4o-mini", "One.", java.util.Map.of())
                    .message(1, "openai/gpt-4o-mini", "Two.", java.util.Map.of()).insert();
            TestDebates.debate(own.jdbi(), user.id()).createdAt("2026-11-20T11:00:00Z").deleted().insert();

            TestResponse response = own.http().get("/api/admin/analytics", TestHttp.bearer(token));

            assertThat(response.status()).isEqualTo(200);
            JsonNode data = response.json().path("data");
            assertThat(response.json().path("success").asBoolean()).isTrue();
            assertThat(data.path("total_users").asInt()).isEqualTo(2);
            assertThat(data.path("total_debates").asInt()).isEqualTo(2);
            assertThat(data.path("total_messages").asInt()).isEqualTo(2);
            assertThat(data.path("recent_debates_24h").asInt()).isEqualTo(1);
        }
    }

    @Test
    void debug_reports_runtime_and_storage_without_secrets() {
        String token = adminToken("debug@example.com");

        TestResponse response = server.http().get("/api/admin/debug", TestHttp.bearer(token));

        assertThat(response.status()).isEqualTo(200);
        JsonNode data = response.json().path("data");
        assertThat(data.path("python_version").asText()).startsWith("Java ").contains(System.getProperty("java.version"));
        assertThat(data.path("java_version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(data.path("env").asText()).isEqualTo("development");
        assertThat(data.path("storage_status").path("db_exists").asBoolean()).isTrue();
        assertThat(data.path("storage_status").path("database_kind").asText())
                .isEqualTo(TestDatabases.onPostgres() ? "postgresql" : "sqlite");
        assertThat(data.path("storage_status").path("database_writable").asBoolean()).isTrue();
        assertThat(data.path("storage_status").path("audio_dir_exists").asBoolean()).isTrue();
        assertThat(data.path("storage_status").path("avatar_dir_exists").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain(PASSWORD).doesNotContain(TestServer.TEST_JWT_SECRET)
                .doesNotContain(server.storage().toString());
    }
}
