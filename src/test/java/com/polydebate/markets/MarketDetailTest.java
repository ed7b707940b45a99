package com.polydebate.markets;

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

class MarketDetailTest {
    static final String BINARY_YES_TOKEN =
            "28182404005967940652495463228537840901055649726248190462854914416579180110833";
    static final String BINARY_NO_TOKEN =
            "47044845753450022047436429968808601130811164131571549682541703866165095016290";
    static final String FED_NO_CHANGE_TOKEN =
            "5615282760875985231868508008056959876238536896643315063916840237042205273721";

    private final FakePolymarket polymarket = new FakePolymarket();
    private final FakeUpstream gamma = polymarket.gamma;
    private final FakeUpstream clob = polymarket.clob;
    private TestServer server;

    @BeforeEach
    void start() {
        polymarket.serveBinaryEvent();
        gamma.on("GET", "/events/481717", call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-categorical.json")));
        gamma.on("GET", "/events/16167", call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-by-id-multimarket.json")));
        server = polymarket.start();
    }

    @AfterEach
    void stop() {
        polymarket.close();
    }

    @Test
    void binary_event_detail_has_two_outcomes_from_its_single_market() {
        TestResponse response = server.http().get("/api/markets/2890?t=1732800000000");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElse("")).startsWith("application/json");
        JsonNode m = response.json();
        assertThat(m.path("id").isTextual()).isTrue();
        assertThat(m.path("id").asText()).isEqualTo("2890");
        assertThat(m.path("question").asText()).startsWith("NBA: Will the Mavericks beat the Grizzlies");
        assertThat(m.path("description").isTextual()).isTrue();
        assertThat(m.path("category").asText()).isEqualTo("All");
        assertThat(m.path("tag_id").path("id").asText()).isEqualTo("100215");
        assertThat(m.path("tag_id").path("slug").asText()).isEqualTo("all");
        assertThat(m.path("market_type").asText()).isEqualTo("binary");
        assertThat(m.path("volume").asText()).isEqualTo("1.3K");
        assertThat(m.path("volume_24h").asText()).isEqualTo("0");
        assertThat(m.path("liquidity").asText()).isEqualTo("0");
        assertThat(m.path("price_change_24h").asDouble()).isEqualTo(0.0);
        assertThat(m.has("price_change_24h")).isTrue();
        assertThat(m.path("end_date").asText()).isEqualTo("2021-12-04T00:00:00Z");
        assertThat(m.path("created_date").asText()).isEqualTo("2022-07-27T14:40:02.074Z");
        assertThat(m.path("resolution_source").asText()).isEqualTo("https://www.nba.com/games");
        assertThat(m.path("image_url").asText()).endsWith("-543e7263-67da-4905-8732-cd3f220ae751.png");

        JsonNode yes = m.path("outcomes").get(0);
        JsonNode no = m.path("outcomes").get(1);
        assertThat(m.path("outcomes")).hasSize(2);
        assertThat(yes.path("name").asText()).isEqualTo("Yes");
        assertThat(no.path("name").asText()).isEqualTo("No");
        assertThat(yes.path("slug").isTextual()).isTrue();
        assertThat(yes.path("slug").asText()).isEqualTo(BINARY_YES_TOKEN);
        assertThat(no.path("slug").asText()).isEqualTo(BINARY_NO_TOKEN);
        assertThat(yes.path("price").asDouble()).isCloseTo(4.113679809846114E-7, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(no.path("price").asDouble()).isCloseTo(0.9999995886320190, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(yes.path("shares").asText()).isEqualTo("1335.045385");
        assertThat(yes.has("price_change_24h")).isFalse();
        assertThat(yes.path("image_url").asText()).endsWith("-aa2992d1-38df-404a-9190-49a909775014.png");

        assertThat(m.path("sparkline").isArray()).isTrue();
        assertThat(m.path("sparkline").toString()).isEqualTo("[0.63,0.605,0.605,0.61,0.635]");
        FakeUpstream.Call history = clob.calls("GET", "/prices-history").get(0);
        assertThat(history.query()).containsEntry("market", BINARY_YES_TOKEN)
                .containsEntry("interval", "1d").containsEntry("fidelity", "60");
    }

    @Test
    void categorical_event_detail_has_one_outcome_per_gamma_market() {
        JsonNode m = server.http().get("/api/markets/481717").json();

        assertThat(m.path("id").asText()).isEqualTo("481717");
        assertThat(m.path("question").asText()).isEqualTo("Fed Decision in September?");
        assertThat(m.path("category").asText()).isEqualTo("Politics");
        assertThat(m.path("tag_id").path("label").asText()).isEqualTo("fomc");
        assertThat(m.path("market_type").asText()).isEqualTo("categorical");
        assertThat(m.path("volume").asText()).isEqualTo("47.2M");
        assertThat(m.path("volume_24h").asText()).isEqualTo("3.8M");
        assertThat(m.path("liquidity").asText()).isEqualTo("4.0M");
        assertThat(m.path("resolution_source").asText()).isEqualTo("");
        assertThat(m.path("end_date").asText()).isEqualTo("2026-09-16T00:00:00Z");
        assertThat(m.path("created_date").asText()).isEqualTo("2026-05-13T17:23:04.366042Z");

        JsonNode outcomes = m.path("outcomes");
        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.findValuesAsText("name")).containsExactly(
                "50+ bps decrease", "25 bps decrease", "No change", "25 bps increase", "50+ bps increase");
        assertThat(outcomes.get(0).path("price").asDouble()).isEqualTo(0.0025);
        assertThat(outcomes.get(2).path("price").asDouble()).isEqualTo(0.685);
        assertThat(outcomes.get(2).path("slug").asText()).isEqualTo(FED_NO_CHANGE_TOKEN);
        assertThat(outcomes.get(0).path("shares").asText()).isEqualTo("6107280.298009998");
        assertThat(outcomes.get(0).has("price_change_24h")).as("absent oneDayPriceChange is omitted").isFalse();
        assertThat(outcomes.get(1).path("price_change_24h").asDouble()).isEqualTo(0.2);
        assertThat(outcomes.get(2).path("price_change_24h").asDouble()).isEqualTo(1.0);
        assertThat(outcomes.get(3).path("price_change_24h").asDouble()).isEqualTo(-2.0);
        assertThat(outcomes.get(4).path("price_change_24h").asDouble()).isEqualTo(0.1);
        assertThat(outcomes.get(0).path("image_url").asText()).endsWith("jerome+powell+glasses1.png");

        assertThat(m.path("price_change_24h").asDouble()).as("from the highest-priced market").isEqualTo(1.0);
        assertThat(clob.calls("GET", "/prices-history").get(0).query()).containsEntry("market", FED_NO_CHANGE_TOKEN);
        assertThat(m.path("sparkline")).hasSize(5);
    }

    @Test
    void multimarket_detail_omits_the_market_change_when_the_top_market_has_none() {
        JsonNode m = server.http().get("/api/markets/16167").json();

        assertThat(m.path("category").asText()).isEqualTo("Finance");
        assertThat(m.path("market_type").asText()).isEqualTo("categorical");
        assertThat(m.path("volume").asText()).isEqualTo("22.2M");
        assertThat(m.path("liquidity").asText()).isEqualTo("115.8K");
        assertThat(m.path("outcomes").findValuesAsText("name")).containsExactly(
                "December 31, 2025", "December 31, 2026", "March 31, 2026", "June 30, 2026");
        assertThat(m.path("outcomes").get(1).path("price").asDouble()).isEqualTo(0.095);
        assertThat(m.path("outcomes").get(1).has("price_change_24h")).isFalse();
        assertThat(m.path("outcomes").get(0).path("price_change_24h").asDouble()).isEqualTo(-0.1);
        assertThat(m.path("outcomes").get(2).path("price_change_24h").asDouble()).isEqualTo(-0.15);
        assertThat(m.has("price_change_24h")).isFalse();
    }

    @Test
    void sparkline_is_omitted_when_the_price_history_fails() {
        clob.on("GET", "/prices-history", call -> Reply.json(500, "{\"error\":\"boom\"}"));

        JsonNode m = server.http().get("/api/markets/481717").json();

        assertThat(m.has("sparkline")).isFalse();
        assertThat(m.path("outcomes")).hasSize(5);
    }

    @Test
    void sparkline_is_omitted_with_fewer_than_two_points() {
        clob.on("GET", "/prices-history", call -> Reply.json(200, "{\"history\":[{\"t\":1,\"p\":0.5}]}"));

        assertThat(server.http().get("/api/markets/481717").json().has("sparkline")).isFalse();
    }

    @Test
    void unknown_market_answers_404_market_not_found() {
        TestResponse response = server.http().get("/api/markets/999999");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("market_not_found");
        assertThat(gamma.count("GET", "/events/999999")).isEqualTo(1);
    }

    @Test
    void absurdly_long_numeric_id_answers_404_without_asking_gamma() {
        TestResponse response = server.http().get("/api/markets/12345678901234567890123");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("market_not_found");
        assertThat(gamma.calls()).isEmpty();
    }

    @Test
    void malformed_gamma_body_answers_503() {
        gamma.on("GET", "/events/779", call -> Reply.json(200, "{\"id\": \"779\", \"markets\": [ tru"));

        TestResponse response = server.http().get("/api/markets/779");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("external_api_error");
    }

    @Test
    void gamma_slower_than_the_ten_second_timeout_answers_503() {
        gamma.on("GET", "/events/781", call -> Reply.json(200, "{}").delayed(Duration.ofSeconds(12)));

        TestResponse response = server.http().get("/api/markets/781");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("external_api_error");
    }

    @Test
    void cache_buster_parameter_does_not_bypass_the_detail_cache() {
        server.http().get("/api/markets/2890?t=1");
        server.http().get("/api/markets/2890?t=2");
        server.http().get("/api/markets/2890");

        assertThat(gamma.count("GET", "/events/2890")).isEqualTo(1);
        assertThat(clob.count("GET", "/prices-history")).isEqualTo(1);
    }
}
