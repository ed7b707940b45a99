package com.polydebate.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private static final String ALLOWED = "anthropic/claude-haiku-4.5, anthropic/claude-sonnet-4.5 ,"
            + "google/gemini-2.5-flash-lite,liquid/lfm-2.5-2.6b:free,openrouter/auto,qwen/qwen3.8-27b,x-ai/not-listed";

    private FakeUpstream openRouter;
    private TestServer server;

    @BeforeEach
    void start() {
        openRouter = new FakeUpstream();
        openRouter.on("GET", "/api/v1/models", call -> Reply.json(200, Fixtures.text("openrouter/models.json")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        openRouter.close();
    }

    private TestServer serverWith(String... env) {
        TestServer.Builder builder = TestServer.builder()
                .env("OPENROUTER_API_URL", openRouter.baseUrl() + "/api/v1")
                .env("ALLOWED_MODELS", ALLOWED)
                .env("FRONTEND_URL", "https://app.polydebate.test")
                .env("APP_NAME", "PolyDebate Test");
        for (int i = 0; i + 1 < env.length; i += 2) {
            builder.env(env[i], env[i + 1]);
        }
        server = builder.start();
        return server;
    }

    @Test
    void models_keeps_allowed_priced_models_in_upstream_order() {
        serverWith("OPENROUTER_API_KEY", "sk-or-test");

        TestResponse response = server.http().get("/api/models");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("models").findValuesAsText("id")).containsExactly(
                "qwen/qwen3.8-27b", "liquid/lfm-2.5-2.6b:free", "anthropic/claude-haiku-4.5",
                "google/gemini-2.5-flash-lite");
        assertThat(body.path("total_count").asInt()).isEqualTo(4);
        assertThat(body.path("free_count").asInt()).isEqualTo(1);
        assertThat(body.path("paid_count").asInt()).isEqualTo(3);

        JsonNode haiku = body.path("models").get(2);
        assertThat(haiku.path("name").asText()).isEqualTo("Anthropic: Claude Haiku 4.5");
        assertThat(haiku.path("provider").asText()).isEqualTo("Anthropic");
        assertThat(haiku.path("description").asText()).isNotEmpty();
        assertThat(haiku.path("pricing").path("input").asDouble()).isEqualTo(0.000001);
        assertThat(haiku.path("pricing").path("output").asDouble()).isEqualTo(0.000005);
        assertThat(haiku.path("pricing").path("total_per_million").asDouble()).isEqualTo(6.0);
        assertThat(haiku.path("is_free").asBoolean()).isFalse();
        assertThat(haiku.path("context_length").asLong()).isEqualTo(200000);
        assertThat(haiku.path("max_output_tokens").asLong()).isEqualTo(64000);
        assertThat(haiku.path("supported").asBoolean()).isTrue();

        JsonNode qwen = body.path("models").get(0);
        assertThat(qwen.path("provider").asText()).isEqualTo("Alibaba");
        assertThat(qwen.path("pricing").path("total_per_million").asDouble()).isEqualTo(3.65);
        JsonNode free = body.path("models").get(1);
        assertThat(free.path("is_free").asBoolean()).isTrue();
        assertThat(free.path("provider").asText()).isEqualTo("Liquid");
        assertThat(free.path("pricing").path("total_per_million").asDouble()).isEqualTo(0.0);
        assertThat(body.path("models").get(3).path("pricing").path("total_per_million").asDouble()).isEqualTo(0.5);
    }

    @Test
    void upstream_request_carries_key_referer_title_and_browser_agent() {
        serverWith("OPENROUTER_API_KEY", "sk-or-test");

        server.http().get("/api/models");

        FakeUpstream.Call call = openRouter.calls("GET", "/api/v1/models").get(0);
        assertThat(call.header("Authorization")).isEqualTo("Bearer sk-or-test");
        assertThat(call.header("HTTP-Referer")).isEqualTo("https://app.polydebate.test");
        assertThat(call.header("X-Title")).isEqualTo("PolyDebate Test");
        assertThat(call.header("User-Agent")).contains("Mozilla/5.0");
    }

    @Test
    void without_a_key_no_authorization_header_is_sent() {
        serverWith();

        assertThat(server.http().get("/api/models").status()).isEqualTo(200);

        assertThat(openRouter.calls("GET", "/api/v1/models").get(0).header("Authorization")).isNull();
    }

    @Test
    void price_ceiling_drops_expensive_paid_models_but_keeps_free_ones() {
        serverWith("MODELS_MAX_PRICE_PER_MILLION", "3");

        JsonNode body = server.http().get("/api/models").json();

        assertThat(body.path("models").findValuesAsText("id"))
                .containsExactly("liquid/lfm-2.5-2.6b:free", "google/gemini-2.5-flash-lite");
    }

    @Test
    void missing_max_completion_tokens_defaults_to_4096_and_missing_name_to_the_id() {
        openRouter.on("GET", "/api/v1/models", call -> Reply.json(200, """
                {"data":[{"id":"qwen/qwen3.8-27b","pricing":{"prompt":"0.000001","completion":"0.000001"},
                  "top_provider":{"max_completion_tokens":null}}]}"""));
        serverWith();

        JsonNode model = server.http().get("/api/models").json().path("models").get(0);

        assertThat(model.path("name").asText()).isEqualTo("qwen/qwen3.8-27b");
        assertThat(model.path("description").asText()).isEqualTo("");
        assertThat(model.path("max_output_tokens").asLong()).isEqualTo(4096);
        assertThat(model.path("context_length").asLong()).isEqualTo(0);
        assertThat(model.path("pricing").path("total_per_million").asDouble()).isEqualTo(2.0);
    }

    @Test
    void catalogue_is_cached_for_the_models_ttl() {
        serverWith();

        server.http().get("/api/models");
        server.clock().advance(Duration.ofSeconds(3599));
        server.http().get("/api/models");
        assertThat(openRouter.count("GET", "/api/v1/models")).isEqualTo(1);

        server.clock().advance(Duration.ofSeconds(2));
        server.http().get("/api/models");
        assertThat(openRouter.count("GET", "/api/v1/models")).isEqualTo(2);
    }

    @Test
    void stale_catalogue_is_served_when_openrouter_fails_later() {
        serverWith();
        JsonNode first = server.http().get("/api/models").json();
        openRouter.on("GET", "/api/v1/models", call -> Reply.json(503, "{}"));
        server.clock().advance(Duration.ofHours(2));

        TestResponse response = server.http().get("/api/models");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(first);
    }

    @Test
    void openrouter_failure_without_cache_answers_503_without_upstream_text() {
        openRouter.on("GET", "/api/v1/models", call -> Reply.json(429, Fixtures.text("openrouter/error-429.json")));
        serverWith();

        TestResponse response = server.http().get("/api/models");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("external_api_error");
        assertThat(response.json().path("error").path("message").asText())
                .doesNotContainIgnoringCase("rate")
                .doesNotContainIgnoringCase("limit")
                .doesNotContain("Provider returned error");
    }

    @Test
    void malformed_catalogue_answers_503() {
        openRouter.on("GET", "/api/v1/models", call -> Reply.json(200, "<html>Cloudflare</html>"));
        serverWith();

        assertThat(server.http().get("/api/models").errorCode()).isEqualTo("external_api_error");
    }
}
