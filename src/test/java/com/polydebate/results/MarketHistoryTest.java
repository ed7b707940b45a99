package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarketHistoryTest {
    private FakeUpstream gamma;
    private TestServer server;

    @BeforeEach
    void start() {
        gamma = new FakeUpstream();
        server = TestServer.builder().env("POLYMARKET_GAMMA_URL", gamma.baseUrl()).start();
    }

    @AfterEach
    void stop() {
        server.close();
        gamma.close();
    }

    @Test
    void with_gamma_up_the_header_carries_the_live_question_and_current_prices() {
        gamma.on("GET", "/events/481717", call -> Reply.json(200,
                Fixtures.text("polymarket-gamma/event-categorical.json")));
        String id = TestDebates.debate(server.jdbi(), null).market("481717", "Stored question", "Politics").insert();

        TestResponse response = server.http().get("/api/markets/481717/debates");
        JsonNode detail = server.http().get("/api/markets/481717").json();

        assertThat(response.status()).isEqualTo(200);
        JsonNode market = response.json().path("market");
        assertThat(market.path("id").asText()).isEqualTo("481717");
        assertThat(market.path("question").asText()).isEqualTo("Fed Decision in September?");
        JsonNode odds = market.path("current_odds");
        assertThat(odds.size()).isEqualTo(detail.path("outcomes").size()).isPositive();
        for (JsonNode outcome : detail.path("outcomes")) {
            assertThat(odds.path(outcome.path("name").asText()).asDouble())
                    .isEqualTo(outcome.path("price").asDouble());
        }
        assertThat(response.json().path("debates").get(0).path("debate_id").asText()).isEqualTo(id);
    }

    @Test
    void with_gamma_failing_the_header_falls_back_and_the_list_is_still_served() {
        gamma.on("GET", "/events/481717", call -> Reply.json(500, "{\"error\":\"boom\"}"));
        TestDebates.debate(server.jdbi(), null).market("481717", "Stored question", "Politics").insert();

        TestResponse response = server.http().get("/api/markets/481717/debates");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("market").toString())
                .isEqualTo("{\"id\":\"481717\",\"question\":\"Stored question\",\"current_odds\":{}}");
        assertThat(response.json().path("total").asInt()).isEqualTo(1);
    }

    @Test
    void an_unknown_market_gives_an_empty_history_not_an_error() {
        gamma.on("GET", "/events/424242", call -> Reply.json(404, "{\"type\":\"not found\"}"));

        TestResponse response = server.http().get("/api/markets/424242/debates");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("market").path("question").asText()).isEmpty();
        assertThat(response.json().path("debates")).isEmpty();
    }
}
