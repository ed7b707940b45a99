package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HistoryEndpointsTest {
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger maxInFlight = new AtomicInteger();
    private static FakeUpstream gamma;
    private static TestServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        gamma = new FakeUpstream();
        gamma.on("GET", "/events/481717", call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-categorical.json")));
        gamma.on("GET", "/events/16167", call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-by-id-multimarket.json")));
        gamma.on("GET", "/events/555", call -> Reply.json(500, "{\"error\":\"internal\"}"));
        for (String id : new String[] {"601", "602", "603"}) {
            gamma.on("GET", "/events/" + id, call -> {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
                return Reply.json(404, "{\"error\":\"not found\"}");
            });
        }
        server = TestServer.builder().env("POLYMARKET_GAMMA_URL", gamma.baseUrl()).start();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
        gamma.close();
    }

    private static TestDebates debate(TestUser user) {
        return TestDebates.debate(server.jdbi(), user.id());
    }

    private static List<String> ids(JsonNode debates) {
        List<String> ids = new ArrayList<>();
        debates.forEach(d -> ids.add(d.path("debate_id").asText()));
        return ids;
    }

    private static JsonNode history(TestUser user, String query) {
        TestResponse response = http.get("/api/auth/debates" + query, user.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void history_lists_the_callers_live_debates_newest_first_as_user_debates() {
        TestUser user = server.newUser();
        TestUser other = server.newUser();
        String old = debate(user).createdAt("2026-11-01T09:00:00Z").tokens(5120)
                .model("a/one", "One", "A").model("b/two", "Two", "B").insert();
        String recent = debate(user).createdAt("2026-11-20T09:00:00Z").status("in_progress").completedAt(null).insert();
        debate(user).createdAt("2026-11-25T09:00:00Z").deleted().insert();
        debate(other).createdAt("2026-11-26T09:00:00Z").insert();
        http.post("/api/favorites", "{\"market_id\":\"16167\",\"debate_id\":\"" + old + "\"}", user.auth());
        // A market favorite of the same market does not make the other debate a favorite.
        http.post("/api/favorites", "{\"market_id\":\"16167\"}", user.auth());

        JsonNode body = history(user, "");

        assertThat(ids(body.path("debates"))).containsExactly(recent, old);
        JsonNode first = body.path("debates").get(0);
        assertThat(first.path("status").asText()).isEqualTo("in_progress");
        assertThat(first.path("completed_at").isNull()).isTrue();
        assertThat(first.path("is_favorite").asBoolean()).isFalse();
        assertThat(first.path("total_tokens_used").isNumber()).isTrue();
        assertThat(first.path("total_tokens_used").asLong()).isZero();
        JsonNode second = body.path("debates").get(1);
        assertThat(second.path("market_id").asText()).isEqualTo("16167");
        assertThat(second.path("market_question").asText()).isEqualTo("Will Bitcoin reach $100k in 2025?");
        assertThat(second.path("market_category").asText()).isEqualTo("Crypto");
        assertThat(second.path("rounds").asInt()).isEqualTo(1);
        assertThat(second.path("models_count").asInt()).isEqualTo(2);
        assertThat(second.path("total_tokens_used").asLong()).isEqualTo(5120);
        assertThat(second.path("created_at").asText()).isEqualTo("2026-11-01T09:00:00.000Z");
        assertThat(second.path("completed_at").asText()).isEqualTo("2026-11-28T10:03:00.000Z");
        assertThat(second.path("is_favorite").asBoolean()).isTrue();
        JsonNode pagination = body.path("pagination");
        assertThat(pagination.path("total").asInt()).isEqualTo(2);
        assertThat(pagination.path("limit").asInt()).isEqualTo(12);
        assertThat(pagination.path("offset").asInt()).isZero();
        assertThat(pagination.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void category_is_case_insensitive_and_tech_matches_technology() {
        TestUser user = server.newUser();
        String tech = debate(user).market("1", "AI?", "Technology").insert();
        String crypto = debate(user).market("2", "BTC?", "Crypto").insert();
        debate(user).market("3", "Vote?", "Politics").insert();

        assertThat(ids(history(user, "?category=Tech").path("debates"))).containsExactly(tech);
        assertThat(ids(history(user, "?category=technology").path("debates"))).containsExactly(tech);
        assertThat(ids(history(user, "?category=cRyPtO").path("debates"))).containsExactly(crypto);
        assertThat(history(user, "?category=Sports").path("pagination").path("total").asInt()).isZero();
    }

    @Test
    void status_and_date_filters_are_inclusive_and_a_date_only_end_covers_the_day() {
        TestUser user = server.newUser();
        String early = debate(user).createdAt("2026-11-10T00:00:00Z").insert();
        String lateInDay = debate(user).createdAt("2026-11-10T23:59:59.999Z").status("failed").insert();
        String nextDay = debate(user).createdAt("2026-11-11T00:00:00Z").insert();

        assertThat(ids(history(user, "?date_from=2026-11-10&date_to=2026-11-10").path("debates")))
                .containsExactly(lateInDay, early);
        assertThat(ids(history(user, "?date_from=2026-11-10T23:59:59.999Z").path("debates")))
                .containsExactly(nextDay, lateInDay);
        assertThat(ids(history(user, "?date_to=2026-11-10T00:00:00Z").path("debates"))).containsExactly(early);
        assertThat(ids(history(user, "?status=failed").path("debates"))).containsExactly(lateInDay);
        assertThat(ids(history(user, "?status=completed&date_from=2026-11-11").path("debates"))).containsExactly(nextDay);
    }

    @Test
    void unparseable_dates_answer_400_validation_error() {
        TestUser user = server.newUser();

        TestResponse from = http.get("/api/auth/debates?date_from=last-week", user.auth());
        TestResponse to = http.get("/api/auth/debates?date_to=2026-02-30", user.auth());

        assertThat(from.status()).isEqualTo(400);
        assertThat(from.errorCode()).isEqualTo("validation_error");
        assertThat(from.json().path("error").path("details").has("date_from")).isTrue();
        assertThat(to.errorCode()).isEqualTo("validation_error");
    }

    @Test
    void sort_by_rounds_then_recency() {
        TestUser user = server.newUser();
        String threeOld = debate(user).rounds(3).createdAt("2026-11-01T00:00:00Z").insert();
        String one = debate(user).rounds(1).createdAt("2026-11-05T00:00:00Z").insert();
        String threeNew = debate(user).rounds(3).createdAt("2026-11-03T00:00:00Z").insert();
        String five = debate(user).rounds(5).createdAt("2026-10-01T00:00:00Z").insert();

        assertThat(ids(history(user, "?sort=rounds").path("debates"))).containsExactly(five, threeNew, threeOld, one);
        assertThat(ids(history(user, "?sort=whatever").path("debates"))).containsExactly(one, threeNew, threeOld, five);
    }

    @Test
    void pagination_is_clamped_and_reports_has_more() {
        TestUser user = server.newUser();
        for (int i = 0; i < 55; i++) {
            debate(user).createdAt(String.format("2026-10-01T00:%02d:00Z", i)).insert();
        }

        JsonNode page = history(user, "?limit=20&offset=30").path("pagination");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(history(user, "?limit=20&offset=35").path("pagination").path("has_more").asBoolean()).isFalse();
        assertThat(history(user, "?limit=20&offset=35").path("debates")).hasSize(20);
        JsonNode max = history(user, "?limit=500");
        assertThat(max.path("pagination").path("limit").asInt()).isEqualTo(50);
        assertThat(max.path("debates")).hasSize(50);
        assertThat(max.path("pagination").path("has_more").asBoolean()).isTrue();
        assertThat(history(user, "?limit=0").path("pagination").path("limit").asInt()).isEqualTo(1);
        assertThat(history(user, "?limit=abc&offset=-4").path("pagination").path("limit").asInt()).isEqualTo(12);
        assertThat(history(user, "?limit=abc&offset=-4").path("pagination").path("offset").asInt()).isZero();
        assertThat(history(user, "?offset=1000").path("debates")).isEmpty();
    }

    @Test
    void history_and_top_require_a_token() {
        assertThat(http.get("/api/auth/debates").status()).isEqualTo(401);
        assertThat(http.get("/api/auth/debates/top").status()).isEqualTo(401);
        assertThat(http.get("/api/auth/debates/top", TestHttp.bearer("bad")).errorCode()).isEqualTo("unauthorized");
    }

    @Test
    void top_recent_is_the_newest_five_by_default() {
        TestUser user = server.newUser();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(debate(user).createdAt(String.format("2026-11-0%dT00:00:00Z", i + 1)).insert());
        }

        JsonNode body = http.get("/api/auth/debates/top", user.auth()).json();

        assertThat(body.path("type").asText()).isEqualTo("recent");
        assertThat(ids(body.path("debates"))).containsExactly(
                created.get(6), created.get(5), created.get(4), created.get(3), created.get(2));
        assertThat(http.get("/api/auth/debates/top?limit=50", user.auth()).json().path("debates")).hasSize(7);
        assertThat(http.get("/api/auth/debates/top?limit=0&type=bogus", user.auth()).json().path("debates")).hasSize(1);
    }

    @Test
    void top_favorites_mixes_debates_and_saved_markets_labelled_from_the_market_detail() {
        TestUser user = server.newUser();
        String kept = debate(user).market("481717", "Fed?", "Politics").createdAt("2026-11-20T00:00:00Z").insert();
        String deleted = debate(user).market("481717", "Fed?", "Politics").insert();
        http.post("/api/favorites", "{\"market_id\":\"481717\",\"debate_id\":\"" + kept + "\"}", user.auth());
        server.clock().advance(Duration.ofMinutes(1));
        http.post("/api/favorites", "{\"market_id\":\"481717\",\"debate_id\":\"" + deleted + "\"}", user.auth());
        server.jdbi().useHandle(h -> h.execute("UPDATE debates SET is_deleted = TRUE WHERE debate_id = ?", deleted));
        server.clock().advance(Duration.ofMinutes(1));
        http.post("/api/favorites", "{\"market_id\":\"16167\"}", user.auth());
        server.clock().advance(Duration.ofMinutes(1));
        http.post("/api/favorites", "{\"market_id\":\"481717\"}", user.auth());
        JsonNode fed = http.get("/api/markets/481717").json();
        JsonNode microstrategy = http.get("/api/markets/16167").json();

        JsonNode body = http.get("/api/auth/debates/top?type=favorites", user.auth()).json();

        assertThat(body.path("type").asText()).isEqualTo("favorites");
        JsonNode debates = body.path("debates");
        assertThat(ids(debates)).containsExactly("saved-481717", "saved-16167", kept);
        JsonNode saved = debates.get(0);
        assertThat(saved.path("market_id").asText()).isEqualTo("481717");
        assertThat(saved.path("market_question").asText()).isEqualTo("Fed Decision in September?");
        assertThat(saved.path("market_question").asText()).isEqualTo(fed.path("question").asText());
        assertThat(saved.path("market_category").asText()).isEqualTo(fed.path("category").asText());
        assertThat(saved.path("status").asText()).isEqualTo("saved");
        assertThat(saved.path("rounds").asInt()).isZero();
        assertThat(saved.path("models_count").asInt()).isZero();
        assertThat(saved.path("total_tokens_used").asInt()).isZero();
        assertThat(saved.path("created_at").asText()).isEqualTo("2026-11-28T12:03:00.000Z");
        assertThat(saved.path("completed_at").isNull()).isTrue();
        assertThat(saved.path("is_favorite").asBoolean()).isTrue();
        assertThat(debates.get(1).path("market_question").asText()).isEqualTo(microstrategy.path("question").asText());
        assertThat(debates.get(2).path("is_favorite").asBoolean()).isTrue();
        assertThat(debates.get(2).path("status").asText()).isEqualTo("completed");

        JsonNode two = http.get("/api/auth/debates/top?type=favorites&limit=2", user.auth()).json().path("debates");
        assertThat(ids(two)).containsExactly("saved-481717", "saved-16167");
    }

    @Test
    void a_failing_market_lookup_falls_back_to_a_plain_label() {
        TestUser user = server.newUser();
        http.post("/api/favorites", "{\"market_id\":\"555\"}", user.auth());
        http.post("/api/favorites", "{\"market_id\":\"not-a-market\"}", user.auth());

        TestResponse response = http.get("/api/auth/debates/top?type=favorites", user.auth());

        assertThat(response.status()).isEqualTo(200);
        JsonNode debates = response.json().path("debates");
        assertThat(debates).hasSize(2);
        for (JsonNode item : debates) {
            String marketId = item.path("market_id").asText();
            assertThat(item.path("debate_id").asText()).isEqualTo("saved-" + marketId);
            assertThat(item.path("market_question").asText()).isEqualTo("Market #" + marketId);
            assertThat(item.path("market_category").isNull()).isTrue();
        }
        assertThat(gamma.count("GET", "/events/555")).isPositive();
    }

    @Test
    void saved_market_lookups_run_in_parallel() {
        TestUser user = server.newUser();
        for (String id : new String[] {"601", "602", "603"}) {
            http.post("/api/favorites", "{\"market_id\":\"" + id + "\"}", user.auth());
        }

        JsonNode debates = http.get("/api/auth/debates/top?type=favorites", user.auth()).json().path("debates");

        assertThat(ids(debates)).containsExactlyInAnyOrder("saved-601", "saved-602", "saved-603");
        assertThat(maxInFlight.get()).as("simultaneous Gamma requests").isGreaterThanOrEqualTo(2);
    }
}
