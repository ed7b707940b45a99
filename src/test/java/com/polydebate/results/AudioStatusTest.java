package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AudioStatusTest {
    private static final String STATUS = "/api/debate/audio/status";
    private final FakeUpstream eleven = new FakeUpstream();
    private final List<TestServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(TestServer::close);
        eleven.close();
    }

    private TestServer server(Reply reply) {
        eleven.on("GET", "/v1/user", call -> reply);
        TestServer server = TestServer.builder().env("ELEVENLABS_API_URL", eleven.baseUrl() + "/v1")
                .env("ELEVENLABS_API_KEY", "xi-test-key").start();
        servers.add(server);
        return server;
    }

    private JsonNode status(Reply reply) {
        var response = server(reply).http().get(STATUS);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    @Test
    void without_a_key_narration_is_not_configured() {
        TestServer server = TestServer.start();
        servers.add(server);

        JsonNode body = server.http().get(STATUS).json();

        assertThat(body.path("has_audio").asBoolean(true)).isFalse();
        assertThat(body.path("error").asText()).isEqualTo("Narration is not configured on this server.");
    }

    @Test
    void a_paid_or_trial_account_has_audio_and_the_key_is_sent() {
        JsonNode body = status(Reply.json(200, Fixtures.text("elevenlabs/user.json")));

        assertThat(body.path("has_audio").asBoolean()).isTrue();
        assertThat(body.has("error")).isTrue();
        assertThat(body.path("error").isNull()).isTrue();
        FakeUpstream.Call call = eleven.calls().get(0);
        assertThat(call.header("xi-api-key")).isEqualTo("xi-test-key");
        assertThat(call.header("Accept")).isEqualTo("application/json");
        assertThat(call.header("User-Agent")).contains("Mozilla");
    }

    @Test
    void a_free_tier_with_its_characters_used_up_has_no_audio() {
        String user = Fixtures.text("elevenlabs/user.json").replace("\"tier\": \"trial\"", "\"tier\": \"free\"")
                .replace("\"character_count\": 17231", "\"character_count\": 100000");

        JsonNode body = status(Reply.json(200, user));

        assertThat(body.path("has_audio").asBoolean(true)).isFalse();
        assertThat(body.path("error").asText())
                .isEqualTo("The ElevenLabs free-tier allowance is used up, so this debate will have no audio.");
    }

    @Test
    void a_free_tier_with_characters_left_has_audio() {
        String user = Fixtures.text("elevenlabs/user.json").replace("\"tier\": \"trial\"", "\"tier\": \"free\"");

        assertThat(status(Reply.json(200, user)).path("has_audio").asBoolean()).isTrue();
    }

    @Test
    void a_401_quota_exceeded_means_credits_used_up() {
        JsonNode current = status(Reply.json(401, Fixtures.text("elevenlabs/error-401-quota-exceeded.json")));

        assertThat(current.path("has_audio").asBoolean(true)).isFalse();
        assertThat(current.path("error").asText()).isEqualTo("ElevenLabs credits are used up, so this debate will have no audio.");
    }

    @Test
    void the_2023_quota_body_is_recognised_too() {
        JsonNode legacy = status(Reply.json(401, Fixtures.text("elevenlabs/error-401-quota-exceeded-legacy-2023.json")));

        assertThat(legacy.path("error").asText()).startsWith("ElevenLabs credits are used up");
    }

    @Test
    void another_401_means_the_key_was_rejected() {
        JsonNode body = status(Reply.json(401, "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}"));

        assertThat(body.path("has_audio").asBoolean(true)).isFalse();
        assertThat(body.path("error").asText()).isEqualTo("The narration service rejected our API key.");
    }

    @Test
    void another_status_is_reported_with_its_number() {
        JsonNode body = status(Reply.json(400, Fixtures.text("elevenlabs/error-400-voice-limit-reached.json")));

        assertThat(body.path("has_audio").asBoolean(true)).isFalse();
        assertThat(body.path("error").asText()).isEqualTo("The narration service answered HTTP 400.");
    }

    @Test
    void a_network_failure_is_optimistic() {
        JsonNode body = status(Reply.hangUp());

        assertThat(body.path("has_audio").asBoolean()).isTrue();
        assertThat(body.path("error").isNull()).isTrue();
    }

    @Test
    void the_answer_is_cached_for_sixty_seconds() {
        TestServer server = server(Reply.json(200, Fixtures.text("elevenlabs/user.json")));

        server.http().get(STATUS);
        server.clock().advance(Duration.ofSeconds(59));
        server.http().get(STATUS);
        assertThat(eleven.count("GET", "/v1/user")).isEqualTo(1);

        server.clock().advance(Duration.ofSeconds(2));
        server.http().get(STATUS);
        assertThat(eleven.count("GET", "/v1/user")).isEqualTo(2);
    }
}
