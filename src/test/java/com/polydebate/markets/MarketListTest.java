package com.polydebate.markets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarketListTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FakePolymarket polymarket = new FakePolymarket();
    private final FakeUpstream gamma = polymarket.gamma;
    private final FakeUpstream clob = polymarket.clob;
    private TestServer server;

    /**
     * No recorded /events/pagination answer exists (see the fixtures README): this wraps the recorded
     * events-list.json events in the documented envelope, so the envelope itself is synthetic.
     */
    static String paginationEnvelope(boolean hasMore) {
        return "{\"data\":" + Fixtures.text("polymarket-gamma/events-list.json")
                + ",\"pagination\":{\"hasMore\":" + hasMore + ",\"totalResults\":2}}";
    }

    @BeforeEach
    void start() {
        gamma.on("GET", "/events/pagination", call -> Reply.json(200, paginationEnvelope(true)));
        gamma.on("GET", "/events", call -> call.query().containsKey("slug")
                ? Reply.json(200, Fixtures.text("polymarket-gamma/events-by-slug-negrisk.json"))
                : Reply.json(200, Fixtures.text("polymarket-gamma/events-list.json")));
        gamma.on("GET", "/tags", call -> Reply.json(200, Fixtures.text("polymarket-gamma/tags.json")));
        server = polymarket.start();
    }

    @AfterEach
    void stop() {
        polymarket.close();
    }

    private Map<String, String> lastQuery(String path) {
        List<FakeUpstream.Call> calls = gamma.calls("GET", path);
        assertThat(calls).isNotEmpty();
        return calls.get(calls.size() - 1).query();
    }

    @Test
    void default_list_reads_gamma_pagination_by_24h_volume() {
        TestResponse response = server.http().get("/api/markets");

        assertThat(response.status()).isEqualTo(200);
        assertThat(lastQuery("/events/pagination")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "offset", "0", "archived", "false", "active", "true", "order", "volume24hr",
                "ascending", "false", "limit", "100"));
        JsonNode body = response.json();
        assertThat(body.path("total").asInt()).isEqualTo(2);
        assertThat(body.path("offset").asInt()).isEqualTo(0);
        assertThat(body.path("limit").asInt()).isEqualTo(100);
        assertThat(body.path("has_more").asBoolean()).as("from pagination.hasMore").isTrue();
        assertThat(body.path("markets")).extracting(m -> m.path("id").asText()).containsExactly("16183", "16263");
    }

    @Test
    void list_items_carry_the_list_fields_and_omit_detail_only_fields() {
        JsonNode kraken = server.http().get("/api/markets").json().path("markets").get(0);

        assertThat(kraken.path("question").asText()).isEqualTo("Kraken IPO by ___ ?");
        assertThat(kraken.path("category").asText()).isEqualTo("Crypto");
        assertThat(kraken.path("tag_id").path("id").asText()).isEqualTo("21");
        assertThat(kraken.path("tag_id").path("label").asText()).isEqualTo("Crypto");
        assertThat(kraken.path("market_type").asText()).isEqualTo("categorical");
        assertThat(kraken.path("volume").asText()).isEqualTo("1.6M");
        assertThat(kraken.path("volume_24h").asText()).isEqualTo("5");
        assertThat(kraken.path("end_date").asText()).isEqualTo("2027-01-01T05:00:00Z");
        assertThat(kraken.path("created_date").asText()).isEqualTo("2024-12-31T18:18:36.692417Z");
        assertThat(kraken.path("image_url").asText()).endsWith("will-kraken-ipo-in-2024--_GT-GzKWtUW.jpg");
        assertThat(kraken.has("liquidity")).isFalse();
        assertThat(kraken.has("resolution_source")).isFalse();
        assertThat(kraken.has("sparkline")).isFalse();

        JsonNode outcomes = kraken.path("outcomes");
        assertThat(outcomes.findValuesAsText("name"))
                .containsExactly("December 31", "March 31, 2026", "December 31, 2026", "June 30");
        assertThat(outcomes.get(2).path("price").asDouble()).isEqualTo(0.265);
        assertThat(outcomes.get(2).path("shares").asText()).isEqualTo("549126.4347080018");
        assertThat(outcomes.get(2).path("price_change_24h").asDouble()).isEqualTo(-2.0);
        JsonNode undeployed = outcomes.get(3);
        assertThat(undeployed.path("slug").asText()).as("no clobTokenIds").isEqualTo("");
        assertThat(undeployed.path("price").asDouble()).as("no outcomePrices").isEqualTo(0.5);
        assertThat(undeployed.path("shares").asText()).isEqualTo("0");
        assertThat(clob.count("GET", "/prices-history")).as("lists draw no sparkline").isZero();

        JsonNode macron = server.http().get("/api/markets").json().path("markets").get(1);
        assertThat(macron.path("category").asText()).isEqualTo("Politics");
        assertThat(macron.path("outcomes").get(1).path("price").asDouble()).isEqualTo(0.0035);
    }

    @Test
    void binary_event_in_a_list_has_its_two_sides_and_no_detail_fields() {
        gamma.on("GET", "/events", call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-binary.json")));

        JsonNode body = server.http().get("/api/markets/trending?limit=1").json();

        assertThat(body.path("has_more").asBoolean()).isTrue();
        JsonNode item = body.path("markets").get(0);
        assertThat(item.path("id").asText()).isEqualTo("2890");
        assertThat(item.path("market_type").asText()).isEqualTo("binary");
        assertThat(item.path("category").asText()).isEqualTo("All");
        assertThat(item.path("volume").asText()).isEqualTo("1.3K");
        assertThat(item.path("price_change_24h").asDouble()).isEqualTo(0.0);
        assertThat(item.path("outcomes")).extracting(o -> o.path("name").asText()).containsExactly("Yes", "No");
        assertThat(item.path("outcomes")).extracting(o -> o.path("shares").asText())
                .containsExactly("1335.045385", "1335.045385");
        assertThat(item.path("outcomes").get(1).path("slug").asText())
                .isEqualTo(MarketDetailTest.BINARY_NO_TOKEN);
        assertThat(item.path("outcomes").get(0).has("price_change_24h")).isFalse();
        assertThat(item.has("liquidity")).isFalse();
        assertThat(item.has("resolution_source")).isFalse();
        assertThat(item.has("sparkline")).isFalse();
    }

    @Test
    void has_more_falls_back_to_a_full_page_when_pagination_is_absent() {
        gamma.on("GET", "/events/pagination", call -> Reply.json(200,
                "{\"data\":" + Fixtures.text("polymarket-gamma/events-list.json") + "}"));

        assertThat(server.http().get("/api/markets?limit=2").json().path("has_more").asBoolean()).isTrue();
        assertThat(server.http().get("/api/markets?limit=3").json().path("has_more").asBoolean()).isFalse();
    }

    @Test
    void events_without_markets_are_skipped() throws Exception {
        ArrayNode events = (ArrayNode) MAPPER.readTree(Fixtures.text("polymarket-gamma/events-list.json"));
        ((ObjectNode) events.get(0)).putArray("markets");
        ((ObjectNode) events.get(1)).remove("markets");
        ObjectNode extra = events.addObject();
        extra.put("id", "1");
        gamma.on("GET", "/events/pagination", call -> Reply.json(200, "{\"data\":" + events + "}"));

        JsonNode body = server.http().get("/api/markets").json();

        assertThat(body.path("markets")).isEmpty();
        assertThat(body.path("total").asInt()).isZero();
    }

    @Test
    void category_slugs_map_to_gamma_tag_slugs_case_insensitively() {
        Map<String, String> expected = Map.of(
                "/api/markets?category=crypto", "crypto",
                "/api/markets/CRYPTO?limit=5", "crypto",
                "/api/markets/technology", "tech",
                "/api/markets/tech?limit=7", "tech",
                "/api/markets/culture", "pop-culture",
                "/api/markets/elections", "global-elections",
                "/api/markets/activity", "more");
        expected.forEach((path, tagSlug) -> {
            assertThat(server.http().get(path).status()).isEqualTo(200);
            assertThat(lastQuery("/events/pagination")).as(path).containsEntry("tag_slug", tagSlug);
        });
    }

    @Test
    void unknown_slug_lists_without_a_tag_filter_and_shares_the_unfiltered_cache_entry() {
        TestResponse mentions = server.http().get("/api/markets/mentions");
        TestResponse plain = server.http().get("/api/markets?t=123&unknown=1");

        assertThat(mentions.status()).isEqualTo(200);
        assertThat(plain.json()).isEqualTo(mentions.json());
        assertThat(gamma.count("GET", "/events/pagination")).isEqualTo(1);
        assertThat(lastQuery("/events/pagination")).doesNotContainKey("tag_slug");
    }

    @Test
    void tag_id_is_passed_through_in_the_query_form_only() {
        server.http().get("/api/markets?tag_id=21");
        assertThat(lastQuery("/events/pagination")).containsEntry("tag_id", "21");

        server.http().get("/api/markets/politics?tag_id=22");
        assertThat(lastQuery("/events/pagination")).doesNotContainKey("tag_id").containsEntry("tag_slug", "politics");
    }

    @Test
    void closed_markets_ask_for_three_times_the_limit_newest_ended_first() {
        JsonNode body = server.http().get("/api/markets?limit=20&offset=40&closed=TRUE").json();

        assertThat(lastQuery("/events/pagination")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "offset", "40", "archived", "false", "active", "false", "closed", "true", "order", "endDate",
                "ascending", "false", "limit", "60"));
        assertThat(body.path("limit").asInt()).isEqualTo(20);
        assertThat(body.path("offset").asInt()).isEqualTo(40);

        server.http().get("/api/markets?closed=true");
        assertThat(lastQuery("/events/pagination")).containsEntry("limit", "300");
    }

    @Test
    void trending_reads_gamma_events_by_24h_volume() {
        JsonNode body = server.http().get("/api/markets/trending?limit=100&offset=0&closed=false").json();

        assertThat(lastQuery("/events")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "offset", "0", "archived", "false", "active", "true", "order", "volume24hr",
                "ascending", "false", "limit", "100"));
        assertThat(gamma.count("GET", "/events/pagination")).isZero();
        assertThat(body.path("markets")).hasSize(2);
        assertThat(body.path("has_more").asBoolean()).isFalse();
        assertThat(server.http().get("/api/markets?category=trending&limit=2").json().path("has_more").asBoolean())
                .isTrue();
    }

    @Test
    void new_reads_gamma_events_by_start_date_with_three_times_the_limit() {
        server.http().get("/api/markets/new?limit=10");

        assertThat(lastQuery("/events")).containsEntry("order", "startDate").containsEntry("ascending", "false")
                .containsEntry("limit", "30").containsEntry("active", "true");
    }

    @Test
    void lenient_parameters_take_defaults_and_are_clamped() {
        JsonNode abc = server.http().get("/api/markets?limit=abc&offset=xyz").json();
        assertThat(abc.path("limit").asInt()).isEqualTo(100);
        assertThat(abc.path("offset").asInt()).isEqualTo(0);

        JsonNode big = server.http().get("/api/markets?limit=1000&offset=-5").json();
        assertThat(big.path("limit").asInt()).isEqualTo(100);
        assertThat(big.path("offset").asInt()).isEqualTo(0);
        assertThat(lastQuery("/events/pagination")).containsEntry("limit", "100").containsEntry("offset", "0");

        JsonNode zero = server.http().get("/api/markets?limit=0&closed=yes").json();
        assertThat(zero.path("limit").asInt()).isEqualTo(1);
        assertThat(lastQuery("/events/pagination")).containsEntry("limit", "1").doesNotContainKey("closed");
    }

    @Test
    void list_is_cached_per_effective_parameters() {
        server.http().get("/api/markets?limit=20");
        server.http().get("/api/markets?limit=20&t=1");
        server.http().get("/api/markets?limit=21");

        assertThat(gamma.count("GET", "/events/pagination")).isEqualTo(2);
    }

    @Test
    void fifty_concurrent_cold_requests_make_one_upstream_call() throws Exception {
        gamma.on("GET", "/events/pagination", call -> Reply.json(200, paginationEnvelope(false))
                .delayed(Duration.ofMillis(500)));
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<TestResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                responses.add(pool.submit(() -> server.http().get("/api/markets?limit=20")));
            }
            for (Future<TestResponse> response : responses) {
                TestResponse answer = response.get(30, TimeUnit.SECONDS);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().path("markets")).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(gamma.count("GET", "/events/pagination")).isEqualTo(1);
    }

    @Test
    void malformed_list_bodies_answer_503() {
        gamma.on("GET", "/events/pagination", call -> Reply.json(200, "[1,2,3]"));
        gamma.on("GET", "/events", call -> Reply.json(200, "{\"data\":[]}"));

        assertThat(server.http().get("/api/markets").errorCode()).isEqualTo("external_api_error");
        assertThat(server.http().get("/api/markets/trending").errorCode()).isEqualTo("external_api_error");
    }

    @Test
    void categories_come_from_gamma_tags() {
        TestResponse response = server.http().get("/api/categories");

        assertThat(response.status()).isEqualTo(200);
        JsonNode categories = response.json().path("categories");
        assertThat(categories).hasSize(100);
        JsonNode first = categories.get(0);
        assertThat(first.path("id").asText()).isEqualTo("766");
        assertThat(first.path("name").asText()).isEqualTo("u.s. congress");
        assertThat(first.path("slug").asText()).isEqualTo("uptspt-congress");
        assertThat(first.path("market_count").asInt()).isZero();
        assertThat(first.path("icon_url").asText()).isEqualTo("");
    }

    @Test
    void categories_fall_back_to_the_id_and_read_event_counts() {
        gamma.on("GET", "/tags", call -> Reply.json(200, "[{\"id\":7,\"eventCount\":12},{\"label\":\"no id\"}]"));

        JsonNode categories = server.http().get("/api/categories").json().path("categories");

        assertThat(categories).hasSize(1);
        assertThat(categories.get(0).path("id").asText()).isEqualTo("7");
        assertThat(categories.get(0).path("name").asText()).isEqualTo("7");
        assertThat(categories.get(0).path("slug").asText()).isEqualTo("7");
        assertThat(categories.get(0).path("market_count").asInt()).isEqualTo(12);
    }
}
