package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.http.Json;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.MutableClock;
import com.polydebate.upstream.UpstreamHttp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GeminiClientTest {
    private static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private final FakeUpstream fake = new FakeUpstream();
    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
    private final List<Duration> waits = new ArrayList<>();
    private final ObjectMapper mapper = Json.newMapper();
    /** Jitter only ever adds to a wait; without it the waits are exactly the ones asked for. */
    private static final RandomGenerator NO_JITTER = () -> 0L;

    @AfterEach
    void close() {
        fake.close();
    }

    /** Waiting advances the test clock instead of sleeping. */
    private GeminiClient client(int timeoutSeconds) {
        return new GeminiClient(new UpstreamHttp(UpstreamHttp.newClient(Duration.ofSeconds(5))), mapper,
                URI.create(fake.baseUrl() + "/v1beta/"), "gemini-2.5-flash", "gem-key",
                Duration.ofSeconds(timeoutSeconds), clock, d -> {
                    waits.add(d);
                    clock.advance(d);
                }, NO_JITTER);
    }

    @Test
    void success_returns_the_candidate_text_and_sends_key_and_json_mode() throws Exception {
        fake.on("POST", PATH, call -> Reply.json(200, Fixtures.text("gemini/generate-content.json")));

        GeminiClient.Result result = client(60).generate("Summarise this.");

        assertThat(result.ok()).isTrue();
        assertThat(result.text()).isEqualTo("Hello! How can I help you today?");
        FakeUpstream.Call call = fake.calls().get(0);
        assertThat(call.header("x-goog-api-key")).isEqualTo("gem-key");
        JsonNode body = mapper.readTree(call.body());
        assertThat(body.path("contents").get(0).path("parts").get(0).path("text").asText()).isEqualTo("Summarise this.");
        assertThat(body.path("contents").get(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("generationConfig").path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(body.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.4);
    }

    @Test
    void max_tokens_without_parts_is_unparseable() {
        fake.on("POST", PATH, call -> Reply.json(200, Fixtures.text("gemini/generate-content-max-tokens-empty.json")));

        GeminiClient.Result result = client(60).generate("x");

        assertThat(result.ok()).isFalse();
        assertThat(result.failure()).isEqualTo(GeminiClient.Failure.UNPARSEABLE);
        assertThat(result.detail()).contains("MAX_TOKENS");
    }

    @Test
    void a_429_is_retried_after_the_retry_info_delay() {
        AtomicInteger n = new AtomicInteger();
        fake.on("POST", PATH, call -> n.incrementAndGet() == 1
                ? Reply.json(429, Fixtures.text("gemini/error-429-resource-exhausted.json"))
                : Reply.json(200, Fixtures.text("gemini/generate-content.json")));

        GeminiClient.Result result = client(60).generate("x");

        assertThat(result.ok()).isTrue();
        assertThat(fake.count("POST", PATH)).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(26));
    }

    @Test
    void a_429_without_retry_info_backs_off_two_then_four_seconds_and_gives_up_after_three_attempts() {
        fake.on("POST", PATH, call -> Reply.json(429, Fixtures.text("gemini/error-429-resource-exhausted-minimal.json")));

        GeminiClient.Result result = client(60).generate("x");

        assertThat(result.failure()).isEqualTo(GeminiClient.Failure.ERROR);
        assertThat(result.detail()).contains("429").contains("RESOURCE_EXHAUSTED");
        assertThat(fake.count("POST", PATH)).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void a_retry_delay_beyond_the_deadline_ends_the_attempts_without_waiting() {
        fake.on("POST", PATH, call -> Reply.json(429, Fixtures.text("gemini/error-429-resource-exhausted.json")));

        GeminiClient.Result result = client(10).generate("x");

        assertThat(result.failure()).isEqualTo(GeminiClient.Failure.ERROR);
        assertThat(fake.count("POST", PATH)).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void a_500_is_retried_and_may_then_succeed() {
        AtomicInteger n = new AtomicInteger();
        fake.on("POST", PATH, call -> n.incrementAndGet() == 1
                ? Reply.json(500, "{\"error\":{\"code\":500,\"message\":\"Internal error\",\"status\":\"INTERNAL\"}}")
                : Reply.json(200, Fixtures.text("gemini/generate-content.json")));

        GeminiClient.Result result = client(60).generate("x");

        assertThat(result.ok()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void a_404_is_not_retried() {
        fake.on("POST", PATH, call -> Reply.json(404, Fixtures.text("gemini/error-404-model-not-found.json")));

        GeminiClient.Result result = client(60).generate("x");

        assertThat(result.failure()).isEqualTo(GeminiClient.Failure.ERROR);
        assertThat(result.detail()).contains("404").contains("NOT_FOUND");
        assertThat(fake.count("POST", PATH)).isEqualTo(1);
    }

    @Test
    void no_answer_within_the_timeout_is_an_error() {
        fake.on("POST", PATH, call -> Reply.json(200, Fixtures.text("gemini/generate-content.json"))
                .delayed(Duration.ofSeconds(3)));

        GeminiClient.Result result = client(1).generate("x");

        assertThat(result.failure()).isEqualTo(GeminiClient.Failure.ERROR);
        assertThat(result.detail()).isEqualTo("timeout");
    }

    @Test
    void a_dropped_connection_is_an_error() {
        fake.on("POST", PATH, call -> Reply.hangUp());

        assertThat(client(60).generate("x").failure()).isEqualTo(GeminiClient.Failure.ERROR);
    }
}
