package com.polydebate.markets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cache rules of §6.13, the same for market detail, market lists and categories: each with its own TTL. */
class MarketCachingTest {
    /** A cached answer: the request, the Gamma call behind it and its TTL under the default settings. */
    enum Cached {
        DETAIL("/api/markets/2890", "/events/2890", 120),
        LIST("/api/markets?limit=20", "/events/pagination", 300),
        CATEGORIES("/api/categories", "/tags", 600);

        final String path;
        final String gammaPath;
        final Duration ttl;

        Cached(String path, String gammaPath, long ttlSeconds) {
            this.path = path;
            this.gammaPath = gammaPath;
            this.ttl = Duration.ofSeconds(ttlSeconds);
        }
    }

    private final FakePolymarket polymarket = new FakePolymarket();
    private final FakeUpstream gamma = polymarket.gamma;
    private TestServer server;

    @BeforeEach
    void start() {
        polymarket.serveBinaryEvent();
        gamma.on("GET", "/events/pagination", call -> Reply.json(200, MarketListTest.paginationEnvelope(true)));
        gamma.on("GET", "/tags", call -> Reply.json(200, Fixtures.text("polymarket-gamma/tags.json")));
        server = polymarket.start();
    }

    @AfterEach
    void stop() {
        polymarket.close();
    }

    private int gammaCalls(Cached cached) {
        return gamma.count("GET", cached.gammaPath);
    }

    @ParameterizedTest
    @EnumSource(Cached.class)
    void an_answer_is_served_from_the_cache_until_its_ttl_has_passed_on_the_clock(Cached cached) {
        server.http().get(cached.path);
        server.clock().advance(cached.ttl.minusSeconds(1));
        server.http().get(cached.path);
        assertThat(gammaCalls(cached)).isEqualTo(1);

        server.clock().advance(Duration.ofSeconds(2));
        server.http().get(cached.path);
        assertThat(gammaCalls(cached)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Cached.class)
    void the_stale_answer_is_served_when_gamma_fails_after_expiry(Cached cached) {
        JsonNode first = server.http().get(cached.path).json();
        gamma.on("GET", cached.gammaPath, call -> Reply.json(500, "{\"error\":\"rate limited\"}"));
        server.clock().advance(cached.ttl.plusSeconds(1));

        TestResponse stale = server.http().get(cached.path);

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.json()).isEqualTo(first);
        assertThat(gammaCalls(cached)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Cached.class)
    void a_gamma_failure_with_nothing_cached_answers_503_without_upstream_text(Cached cached) {
        for (Reply failure : List.of(Reply.json(429, "Too Many Requests: rate limit exceeded, slow down"),
                Reply.json(502, "Bad gateway: upstream rate limit"), Reply.hangUp())) {
            gamma.on("GET", cached.gammaPath, call -> failure);

            TestResponse response = server.http().get(cached.path);

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.errorCode()).isEqualTo("external_api_error");
            assertThat(response.json().path("error").path("message").asText()).contains("Polymarket");
            assertThat(response.body()).doesNotContainIgnoringCase("rate").doesNotContainIgnoringCase("limit")
                    .doesNotContain("Too Many").doesNotContain("gateway");
        }
    }
}
