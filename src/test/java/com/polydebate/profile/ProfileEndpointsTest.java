package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProfileEndpointsTest {
    private static final String GPT = "openai/gpt-4o-mini";
    private static final String CLAUDE = "anthropic/claude-haiku-4.5";
    private static final String GROK = "x-ai/grok-4-fast";
    private static final String GEMINI = "google/gemini-2.5-flash";
    private static TestServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestUser newUser() {
        return server.newUser("Grace Hopper");
    }

    private static TestDebates debate(TestUser user, String category, String... models) {
        TestDebates debate = TestDebates.debate(server.jdbi(), user.id()).market("1", "Q?", category);
        for (String model : models) {
            debate.model(model, "Name of " + model, "Provider");
        }
        return debate;
    }

    private static TestResponse put(TestUser user, MultipartBody body) {
        return http.send(body.applyTo(http.request("/api/auth/profile"), "PUT")
                .header("Authorization", "Bearer " + user.token()));
    }

    private static String storedName(TestUser user) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT name FROM users WHERE id = :id")
                .bind("id", user.id()).mapTo(String.class).one());
    }

    private static long avatarFileCount() throws IOException {
        try (Stream<Path> files = Files.list(server.storage().resolve("avatars"))) {
            return files.count();
        }
    }

    @Test
    void a_new_user_has_zero_statistics_and_empty_lists() {
        TestUser user = newUser();

        TestResponse response = http.get("/api/auth/profile", user.auth());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.has("success")).isFalse();
        assertThat(body.path("user").path("id").asLong()).isEqualTo(user.id());
        assertThat(body.path("user").path("name").asText()).isEqualTo("Grace Hopper");
        assertThat(body.path("user").path("email").asText()).isEqualTo(user.user().email());
        assertThat(body.path("user").path("avatar_url").isNull()).isTrue();
        assertThat(body.path("user").path("created_at").asText()).isEqualTo("2026-11-28T12:00:00.000Z");
        JsonNode stats = body.path("statistics");
        assertThat(stats.path("total_debates").isInt()).isTrue();
        assertThat(stats.path("total_debates").asInt()).isZero();
        assertThat(stats.path("total_favorites").asInt()).isZero();
        assertThat(stats.path("favorite_models").isArray()).isTrue();
        assertThat(stats.path("favorite_models")).isEmpty();
        assertThat(stats.path("favorite_categories").isArray()).isTrue();
        assertThat(stats.path("favorite_categories")).isEmpty();
    }

    @Test
    void statistics_count_only_the_users_live_debates_and_rank_the_top_three() {
        TestUser user = newUser();
        TestUser other = newUser();
        debate(user, "Crypto", GPT, CLAUDE).insert();
        debate(user, "Crypto", GPT, GROK).insert();
        debate(user, "Politics", GPT, CLAUDE).insert();
        debate(user, "Sports", GEMINI).insert();
        debate(user, null, GROK).insert();
        debate(user, "Politics", CLAUDE).insert();
        debate(user, "Crypto", GEMINI, GROK).deleted().insert();
        debate(user, "Economy", GEMINI).deleted().insert();
        debate(other, "Economy", GEMINI).insert();
        debate(other, "Economy", GEMINI).insert();
        http.post("/api/favorites", "{\"market_id\":\"1\"}", user.auth());
        http.post("/api/favorites", "{\"market_id\":\"2\"}", user.auth());
        http.post("/api/favorites", "{\"market_id\":\"3\"}", other.auth());

        JsonNode body = http.get("/api/auth/profile", user.auth()).json();

        JsonNode stats = body.path("statistics");
        assertThat(stats.path("total_debates").asInt()).isEqualTo(6);
        assertThat(body.path("user").path("total_debates").asInt()).isEqualTo(6);
        assertThat(stats.path("total_favorites").asInt()).isEqualTo(2);
        JsonNode models = stats.path("favorite_models");
        assertThat(models).hasSize(3);
        assertThat(models.get(0).path("model_id").asText()).isEqualTo(CLAUDE);
        assertThat(models.get(0).path("usage_count").asInt()).isEqualTo(3);
        assertThat(models.get(1).path("model_id").asText()).isEqualTo(GPT);
        assertThat(models.get(1).path("model_name").asText()).isEqualTo("Name of " + GPT);
        assertThat(models.get(1).path("usage_count").asInt()).isEqualTo(3);
        assertThat(models.get(2).path("model_id").asText()).isEqualTo(GROK);
        assertThat(models.get(2).path("usage_count").asInt()).isEqualTo(2);
        JsonNode categories = stats.path("favorite_categories");
        assertThat(categories).extracting(c -> c.path("category").asText())
                .containsExactly("Crypto", "Politics", "Sports");
        assertThat(categories).extracting(c -> c.path("count").asInt()).containsExactly(2, 2, 1);
    }

    @Test
    void the_name_is_updated_trimmed_and_answered_as_a_bare_user() {
        TestUser user = newUser();

        TestResponse response = put(user, new MultipartBody().field("name", "  Ada Byron  "));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("success")).isFalse();
        assertThat(response.json().path("user").path("name").asText()).isEqualTo("Ada Byron");
        assertThat(response.json().path("user").path("id").asLong()).isEqualTo(user.id());
        assertThat(storedName(user)).isEqualTo("Ada Byron");
    }

    @Test
    void invalid_names_are_refused_with_invalid_name_and_change_nothing() {
        TestUser user = newUser();

        TestResponse empty = put(user, new MultipartBody().field("name", "   "));
        TestResponse single = put(user, new MultipartBody().field("name", "A"));
        TestResponse longName = put(user, new MultipartBody().field("name", "x".repeat(256)));
        TestResponse hugeName = put(user, new MultipartBody().field("name", "y".repeat(100_000)));

        assertThat(empty.errorCode()).isEqualTo("invalid_name");
        assertThat(empty.json().path("error").path("message").asText()).isEqualTo("Name is required");
        assertThat(single.errorCode()).isEqualTo("invalid_name");
        assertThat(single.json().path("error").path("message").asText()).isEqualTo("Name needs at least 2 characters");
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.errorCode()).isEqualTo("invalid_name");
        assertThat(hugeName.errorCode()).isEqualTo("invalid_name");
        assertThat(put(user, new MultipartBody().field("name", "x".repeat(255))).status()).isEqualTo(200);
        assertThat(storedName(user)).isEqualTo("x".repeat(255));
    }

    @Test
    void name_and_avatar_change_together_only_when_both_are_valid() throws IOException {
        TestUser user = newUser();
        long filesBefore = avatarFileCount();

        TestResponse badAvatar = put(user, new MultipartBody().field("name", "New Name")
                .file("avatar", "x.png", "image/png", "not an image".getBytes()));
        TestResponse badName = put(user, new MultipartBody().field("name", "N")
                .file("avatar", "x.png", "image/png", TestImages.png(64, 64)));

        assertThat(badAvatar.status()).isEqualTo(400);
        assertThat(badAvatar.errorCode()).isEqualTo("upload_failed");
        assertThat(badName.errorCode()).isEqualTo("invalid_name");
        assertThat(storedName(user)).isEqualTo("Grace Hopper");
        assertThat(avatarFileCount()).isEqualTo(filesBefore);

        TestResponse both = put(user, new MultipartBody().field("name", "New Name")
                .file("avatar", "x.jpg", "image/jpeg", TestImages.jpeg(64, 64)));

        assertThat(both.status()).isEqualTo(200);
        JsonNode updated = both.json().path("user");
        assertThat(updated.path("name").asText()).isEqualTo("New Name");
        assertThat(updated.path("avatar_url").asText()).startsWith("/uploads/avatars/user" + user.id() + "_").endsWith(".jpg");
        assertThat(http.get(updated.path("avatar_url").asText()).status()).isEqualTo(200);
    }

    @Test
    void a_profile_avatar_whose_file_name_is_not_an_image_name_is_upload_failed_and_changes_nothing() {
        TestUser user = newUser();

        TestResponse response = put(user, new MultipartBody().field("name", "New Name")
                .file("avatar", "avatar.bmp", "image/png", TestImages.png(64, 64)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("upload_failed");
        assertThat(storedName(user)).isEqualTo("Grace Hopper");
    }

    @Test
    void an_empty_file_part_from_a_browser_keeps_the_avatar() {
        TestUser user = newUser();
        String url = put(user, new MultipartBody().field("name", "Grace")
                .file("avatar", "a.png", "image/png", TestImages.png(32, 32))).json().path("user").path("avatar_url").asText();

        TestResponse response = put(user, new MultipartBody().field("name", "Grace H")
                .file("avatar", "", "application/octet-stream", new byte[0]));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("user").path("name").asText()).isEqualTo("Grace H");
        assertThat(response.json().path("user").path("avatar_url").asText()).isEqualTo(url);
    }

    @Test
    void bad_profile_requests_answer_4xx_in_the_error_format() {
        TestUser user = newUser();

        TestResponse json = http.put("/api/auth/profile", "{\"name\":\"Json Name\"}", user.auth());
        TestResponse malformed = http.send(http.request("/api/auth/profile")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("garbage"))
                .header("Content-Type", "multipart/form-data; boundary=zzz")
                .header("Authorization", "Bearer " + user.token()));
        TestResponse textAvatar = put(user, new MultipartBody().field("name", "Okay Name").field("avatar", "http://x/y.png"));

        assertThat(json.status()).isEqualTo(400);
        assertThat(json.errorCode()).isEqualTo("validation_error");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("validation_error");
        assertThat(textAvatar.errorCode()).isEqualTo("upload_failed");
        assertThat(storedName(user)).isEqualTo("Grace Hopper");
        assertThat(http.get("/api/auth/profile").status()).isEqualTo(401);
        assertThat(http.send(new MultipartBody().field("name", "Anon")
                .applyTo(http.request("/api/auth/profile"), "PUT")).status()).isEqualTo(401);
    }

    @Test
    void a_put_without_fields_changes_nothing() {
        TestUser user = newUser();

        TestResponse response = put(user, new MultipartBody().field("unrelated", "x"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("user").path("name").asText()).isEqualTo("Grace Hopper");
        assertThat(List.of(storedName(user))).containsExactly("Grace Hopper");
    }
}
