package com.polydebate.markets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The field rules the stock frontend depends on (§18.1, §18.2, §22.13–22.17), checked on every recorded
 * Gamma event as a list item and as a detail, plus null-heavy events that no recording shows.
 */
class MarketShapeInvariantsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> DETAIL_ONLY = Set.of("liquidity", "resolution_source", "sparkline");

    /** Gamma events with nulls where recordings have values: title, tags, prices, changes. */
    private static final String NULL_HEAVY = """
            [{"id":70001,"title":null,"description":null,"image":null,"tags":null,"volume":1.25000005E7,
              "markets":[{"outcomes":"[\\"Yes\\",\\"No\\"]","outcomePrices":null,"volume":1.25000005E7,
                          "oneDayPriceChange":null}]},
             {"id":"70002","title":"Null change","tags":[{"id":"9","label":"Ukraine","slug":"ukraine"}],
              "markets":[{"groupItemTitle":"  ","question":null,"outcomePrices":"not json","volume":"2.5E6",
                          "oneDayPriceChange":null},
                         {"groupItemTitle":"B","outcomePrices":["0.7","0.3"],"volume":null,"oneDayPriceChange":0}]}]
            """;

    private static List<JsonNode> events() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String name : List.of("events-list.json", "event-binary.json", "events-by-slug-negrisk.json")) {
            MAPPER.readTree(Fixtures.text("polymarket-gamma/" + name)).forEach(events::add);
        }
        events.add(MAPPER.readTree(Fixtures.text("polymarket-gamma/event-categorical.json")));
        events.add(MAPPER.readTree(Fixtures.text("polymarket-gamma/event-by-id-multimarket.json")));
        MAPPER.readTree(NULL_HEAVY).forEach(events::add);
        return events;
    }

    private static void assertMarket(JsonNode m, boolean detail) {
        String where = "market " + m.path("id");
        assertThat(m.path("id").isTextual()).as(where + " id is a string").isTrue();
        assertThat(m.path("question").isTextual()).as(where + " question").isTrue();
        assertThat(m.path("description").isTextual()).as(where + " description").isTrue();
        assertThat(m.path("category").isTextual()).as(where + " category").isTrue();
        assertThat(m.path("tag_id").isObject() || m.path("tag_id").isNull()).as(where + " tag_id").isTrue();
        assertThat(m.has("tag_id")).as(where + " tag_id present").isTrue();
        assertThat(m.path("market_type").asText()).isIn("binary", "categorical");
        assertThat(m.path("volume").isTextual()).isTrue();
        assertThat(m.path("volume_24h").isTextual()).isTrue();
        assertThat(m.path("image_url").isTextual()).as(where + " image_url").isTrue();
        assertThat(m.has("end_date") && m.has("created_date")).as(where + " dates present").isTrue();
        if (m.has("price_change_24h")) {
            assertThat(m.path("price_change_24h").isNumber()).as(where + " market change").isTrue();
        }
        for (String field : DETAIL_ONLY) {
            if (detail && !field.equals("sparkline")) {
                assertThat(m.has(field)).as(where + " detail has " + field).isTrue();
            }
            if (!detail) {
                assertThat(m.has(field)).as(where + " list item omits " + field).isFalse();
            }
        }
        for (JsonNode o : m.path("outcomes")) {
            assertThat(o.path("name").isTextual()).as(where + " outcome name").isTrue();
            assertThat(o.path("slug").isTextual()).as(where + " outcome slug").isTrue();
            assertThat(o.path("price").isNumber()).as(where + " outcome price").isTrue();
            assertThat(o.path("shares").asText()).as(where + " outcome shares").matches("-?\\d+(\\.\\d+)?");
            assertThat(o.has("price_change_24h") && !o.path("price_change_24h").isNumber())
                    .as(where + " outcome change is a number or absent, never null").isFalse();
            assertThat(o.has("image_url") && !o.path("image_url").isTextual())
                    .as(where + " outcome image is a string or absent").isFalse();
        }
        if (m.path("market_type").asText().equals("binary")) {
            m.path("outcomes").forEach(o -> assertThat(o.has("price_change_24h"))
                    .as(where + " binary outcomes carry no change").isFalse());
        }
    }

    @Test
    void every_list_item_and_detail_keeps_the_frontend_field_rules() throws Exception {
        List<JsonNode> events = events();
        ArrayNode page = MAPPER.createArrayNode();
        events.forEach(page::add);
        try (FakeUpstream gamma = new FakeUpstream(); FakeUpstream clob = new FakeUpstream()) {
            gamma.on("GET", "/events/pagination", call -> Reply.json(200,
                    "{\"data\":" + page + ",\"pagination\":{\"hasMore\":false}}"));
            for (JsonNode event : events) {
                gamma.on("GET", "/events/" + event.path("id").asText(), call -> Reply.json(200, event.toString()));
            }
            clob.on("GET", "/prices-history", call -> Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));
            try (TestServer server = TestServer.builder()
                    .env("POLYMARKET_GAMMA_URL", gamma.baseUrl())
                    .env("POLYMARKET_CLOB_URL", clob.baseUrl())
                    .start()) {
                JsonNode list = server.http().get("/api/markets").json();

                assertThat(list.path("markets")).hasSize(events.size());
                list.path("markets").forEach(m -> assertMarket(m, false));
                for (JsonNode event : events) {
                    JsonNode detail = server.http().get("/api/markets/" + event.path("id").asText() + "?t=1").json();
                    assertMarket(detail, true);
                }
                JsonNode nullHeavy = server.http().get("/api/markets/70001").json();
                assertThat(nullHeavy.path("question").asText()).isEmpty();
                assertThat(nullHeavy.path("category").asText()).isEqualTo("Other");
                assertThat(nullHeavy.path("tag_id").isNull()).isTrue();
                assertThat(nullHeavy.path("outcomes").get(0).path("shares").asText()).isEqualTo("12500000.5");
                assertThat(nullHeavy.has("price_change_24h")).isFalse();
                JsonNode categorical = server.http().get("/api/markets/70002").json();
                assertThat(categorical.path("outcomes").get(0).path("shares").asText()).isEqualTo("2500000");
                assertThat(categorical.path("outcomes").get(0).path("name").asText()).isEmpty();
                assertThat(categorical.path("outcomes").get(1).path("shares").asText()).isEqualTo("0");
                assertThat(categorical.path("outcomes").get(1).path("price_change_24h").asDouble()).isZero();
            }
        }
    }
}
