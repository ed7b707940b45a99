package com.polydebate.markets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.util.Locale;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No recorded biggest-movers answer exists (fixtures README), so the movers payload here is synthetic,
 * built to the shape of §6.7 with both encodings of list fields; the slug lookup and CLOB answers are
 * the recorded fixtures.
 */
class BreakingMarketsTest {
    private final FakePolymarket polymarket = new FakePolymarket();
    private final FakeUpstream gamma = polymarket.gamma;
    private final FakeUpstream web = polymarket.web;
    private final FakeUpstream clob = polymarket.clob;
    private TestServer server;

    private static String history(int points) {
        StringJoiner joiner = new StringJoiner(",", "[", "]");
        for (int i = 0; i < points; i++) {
            joiner.add(String.format(Locale.ROOT, "{\"t\":%d,\"p\":%s}", 1_789_340_000 + i * 3600, "0." + (40 + i) + "04"));
        }
        return joiner.toString();
    }

    private static String movers() {
        return "{\"markets\":["
                + "{\"id\":501,\"question\":\"England vs. Argentina: England?\",\"image\":\"https://img/eng.png\","
                + "\"outcomePrices\":\"[\\\"0.41\\\",\\\"0.59\\\"]\",\"clobTokenIds\":[\"111\",\"222\"],"
                + "\"oneDayPriceChange\":0.12,\"volume\":\"12345.6\",\"history\":" + history(30) + ","
                + "\"events\":[{\"slug\":\"fifwc-eng-arg-2026-07-15\",\"volume\":2500000}]},"
                + "{\"id\":\"502\",\"outcomes\":[\"Up\",\"Down\"],\"outcomePrices\":[0.7,0.3],"
                + "\"clobTokenIds\":\"[\\\"333\\\",\\\"444\\\"]\",\"history\":[{\"t\":1,\"p\":0.5}],\"events\":[]},"
                + "{\"id\":\"503\",\"question\":\"Third\",\"events\":[{\"slug\":\"third-slug\",\"volume\":1}]}"
                + "]}";
    }

    @BeforeEach
    void start() {
        web.on("GET", "/api/biggest-movers", call -> Reply.json(200, movers()));
        gamma.on("GET", "/events", call -> "fifwc-eng-arg-2026-07-15".equals(call.query().get("slug"))
                ? Reply.json(200, Fixtures.text("polymarket-gamma/events-by-slug-negrisk.json"))
                : Reply.json(200, "[]"));
        server = polymarket.start();
    }

    @AfterEach
    void stop() {
        polymarket.close();
    }

    @Test
    void breaking_builds_markets_from_biggest_movers_enriched_by_the_slug_lookup() {
        TestResponse response = server.http().get("/api/markets/breaking?limit=2&tag=politics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(web.calls("GET", "/api/biggest-movers").get(0).query()).containsEntry("category", "politics");
        JsonNode body = response.json();
        assertThat(body.path("total").asInt()).isEqualTo(2);
        assertThat(body.path("limit").asInt()).isEqualTo(2);
        assertThat(body.path("offset").asInt()).isEqualTo(0);
        assertThat(body.path("has_more").asBoolean()).isFalse();

        JsonNode first = body.path("markets").get(0);
        assertThat(first.path("id").asText()).as("resolved event id").isEqualTo("694581");
        assertThat(first.path("question").asText()).isEqualTo("England vs. Argentina: England?");
        assertThat(first.path("description").asText()).isEqualTo("");
        assertThat(first.path("category").asText()).isEqualTo("Sports");
        assertThat(first.path("tag_id").isNull()).isTrue();
        assertThat(first.path("volume").asText()).isEqualTo("2.5M");
        assertThat(first.path("volume_24h").asText()).isEqualTo("N/A");
        assertThat(first.path("price_change_24h").asDouble()).isEqualTo(12.0);
        assertThat(first.path("end_date").isNull()).isTrue();
        assertThat(first.path("created_date").isNull()).isTrue();
        assertThat(first.path("image_url").asText()).isEqualTo("https://img/eng.png");
        assertThat(first.path("outcomes")).extracting(o -> o.path("name").asText()).containsExactly("Yes", "No");
        assertThat(first.path("outcomes")).extracting(o -> o.path("slug").asText()).containsExactly("111", "222");
        assertThat(first.path("outcomes")).extracting(o -> o.path("price").asDouble()).containsExactly(0.41, 0.59);
        assertThat(first.path("outcomes").get(0).path("shares").asText()).isEqualTo("12345.6");
        JsonNode line = first.path("sparkline");
        assertThat(line).as("last 24 history points").hasSize(24);
        assertThat(line.get(0).asDouble()).isEqualTo(0.46);
        assertThat(line.get(23).asDouble()).isEqualTo(0.69);

        JsonNode second = body.path("markets").get(1);
        assertThat(second.path("id").asText()).isEqualTo("502");
        assertThat(second.path("question").asText()).isEqualTo("");
        assertThat(second.path("category").asText()).isEqualTo("Other");
        assertThat(second.path("volume").asText()).isEqualTo("0");
        assertThat(second.path("image_url").asText()).isEqualTo("");
        assertThat(second.has("price_change_24h")).isFalse();
        assertThat(second.path("outcomes")).extracting(o -> o.path("name").asText()).containsExactly("Up", "Down");
        assertThat(second.path("outcomes")).extracting(o -> o.path("slug").asText()).containsExactly("333", "444");
        assertThat(second.path("outcomes").get(0).path("shares").asText()).isEqualTo("0");
        assertThat(second.path("sparkline").toString()).as("one history point → CLOB")
                .isEqualTo("[0.63,0.605,0.605,0.61,0.635]");
        assertThat(clob.calls("GET", "/prices-history")).hasSize(1);
        assertThat(clob.calls("GET", "/prices-history").get(0).query()).containsEntry("market", "333");

        assertThat(gamma.calls("GET", "/events")).extracting(c -> c.query().get("slug"))
                .containsExactly("fifwc-eng-arg-2026-07-15");
    }

    @Test
    void breaking_without_a_tag_sends_no_category_and_caches_slug_lookups() {
        server.http().get("/api/markets/breaking?limit=2");
        server.http().get("/api/markets?category=breaking&limit=1");

        assertThat(web.calls("GET", "/api/biggest-movers").get(0).query()).doesNotContainKey("category");
        assertThat(web.count("GET", "/api/biggest-movers")).isEqualTo(2);
        assertThat(gamma.count("GET", "/events")).isEqualTo(1);
    }

    @Test
    void failed_slug_lookup_only_loses_the_enrichment() {
        gamma.on("GET", "/events", call -> Reply.json(500, "{}"));
        clob.on("GET", "/prices-history", call -> Reply.hangUp());

        JsonNode markets = server.http().get("/api/markets/breaking?limit=3").json().path("markets");

        assertThat(markets).extracting(m -> m.path("id").asText()).containsExactly("501", "502", "503");
        assertThat(markets.get(0).path("category").asText()).isEqualTo("Other");
        assertThat(markets.get(0).path("sparkline")).hasSize(24);
        assertThat(markets.get(1).has("sparkline")).as("no history and no CLOB").isFalse();
        assertThat(markets.get(2).path("volume").asText()).isEqualTo("1");
    }

    @Test
    void biggest_movers_failure_answers_503() {
        web.on("GET", "/api/biggest-movers", call -> Reply.json(403, "<html>Cloudflare rate limit</html>"));

        TestResponse response = server.http().get("/api/markets/breaking?limit=15");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("external_api_error");
        assertThat(response.body()).doesNotContainIgnoringCase("rate limit");
    }
}
