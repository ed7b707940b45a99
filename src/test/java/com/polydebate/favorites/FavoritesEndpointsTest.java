package com.polydebate.favorites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FavoritesEndpointsTest {
    private static TestServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String debateOf(TestUser owner, String marketId) {
        return TestDebates.debate(server.jdbi(), owner.id()).market(marketId, "Question " + marketId, "Crypto").insert();
    }

    @Test
    void adding_a_market_favorite_answers_201_and_it_is_listed() {
        TestUser user = server.newUser();

        TestResponse added = http.post("/api/favorites", "{\"market_id\":\"16167\"}", user.auth());

        assertThat(added.status()).isEqualTo(201);
        JsonNode body = added.json();
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("Favorite added");
        assertThat(body.path("data").path("id").isIntegralNumber()).isTrue();
        assertThat(body.path("data").path("user_id").asLong()).isEqualTo(user.id());
        assertThat(body.path("data").path("market_id").isTextual()).isTrue();
        assertThat(body.path("data").path("market_id").asText()).isEqualTo("16167");
        assertThat(body.path("data").path("debate_id").isNull()).isTrue();
        assertThat(body.path("data").path("created_at").asText()).isEqualTo("2026-11-28T12:00:00.000Z");

        JsonNode list = http.get("/api/favorites", user.auth()).json();
        assertThat(list.path("success").asBoolean()).isTrue();
        assertThat(list.path("data").path("total").asInt()).isEqualTo(1);
        assertThat(list.path("data").path("favorites").get(0).path("market_id").asText()).isEqualTo("16167");
    }

    @Test
    void adding_the_same_market_twice_answers_200_with_the_existing_favorite() {
        TestUser user = server.newUser();
        long first = http.post("/api/favorites", "{\"market_id\":\"500\"}", user.auth()).json().path("data").path("id").asLong();

        TestResponse again = http.post("/api/favorites", "{\"market_id\":\" 500 \"}", user.auth());

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("message").asText()).isEqualTo("Already a favorite");
        assertThat(again.json().path("data").path("id").asLong()).isEqualTo(first);
        assertThat(http.get("/api/favorites", user.auth()).json().path("data").path("total").asInt()).isEqualTo(1);
    }

    @Test
    void a_debate_favorite_and_a_market_favorite_of_the_same_market_coexist() {
        TestUser user = server.newUser();
        String debateId = debateOf(user, "700");

        TestResponse market = http.post("/api/favorites", "{\"market_id\":\"700\"}", user.auth());
        TestResponse debate = http.post("/api/favorites",
                "{\"market_id\":\"700\",\"debate_id\":\"" + debateId + "\"}", user.auth());
        TestResponse debateAgain = http.post("/api/favorites",
                "{\"market_id\":\"700\",\"debate_id\":\"" + debateId + "\"}", user.auth());

        assertThat(market.status()).isEqualTo(201);
        assertThat(debate.status()).isEqualTo(201);
        assertThat(debate.json().path("data").path("debate_id").asText()).isEqualTo(debateId);
        assertThat(debateAgain.status()).isEqualTo(200);
        assertThat(debateAgain.json().path("data").path("id").asLong())
                .isEqualTo(debate.json().path("data").path("id").asLong());
        assertThat(http.get("/api/favorites", user.auth()).json().path("data").path("total").asInt()).isEqualTo(2);
    }

    @Test
    void ten_concurrent_adds_of_one_market_store_a_single_row_without_errors() throws Exception {
        TestUser user = server.newUser();
        int threads = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<TestResponse>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return http.post("/api/favorites", "{\"market_id\":\"4242\"}", user.auth());
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (Future<TestResponse> answer : answers) {
                TestResponse response = answer.get();
                statuses.add(response.status());
                ids.add(response.json().path("data").path("id").asLong());
            }
            assertThat(statuses).containsOnly(200, 201);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        int rows = server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM user_favorites WHERE user_id = :u AND market_id = '4242'")
                .bind("u", user.id()).mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void a_missing_or_deleted_debate_answers_404_debate_not_found() {
        TestUser user = server.newUser();
        String deleted = TestDebates.debate(server.jdbi(), user.id()).market("800", "Q", "Crypto").deleted().insert();

        TestResponse unknown = http.post("/api/favorites",
                "{\"market_id\":\"800\",\"debate_id\":\"no-such-debate\"}", user.auth());
        TestResponse gone = http.post("/api/favorites",
                "{\"market_id\":\"800\",\"debate_id\":\"" + deleted + "\"}", user.auth());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("debate_not_found");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("debate_not_found");
    }

    @Test
    void a_debate_favorite_must_name_the_debates_market() {
        TestUser user = server.newUser();
        String debateId = debateOf(user, "810");

        TestResponse response = http.post("/api/favorites",
                "{\"market_id\":\"999\",\"debate_id\":\"" + debateId + "\"}", user.auth());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("validation_error");
    }

    @Test
    void bad_bodies_answer_400_in_the_error_format() {
        TestUser user = server.newUser();

        assertThat(http.post("/api/favorites", "{\"market_id\":\"   \"}", user.auth()).errorCode())
                .isEqualTo("validation_error");
        assertThat(http.post("/api/favorites", "{}", user.auth()).errorCode()).isEqualTo("validation_error");
        assertThat(http.post("/api/favorites", "{\"market_id\":16167}", user.auth()).errorCode())
                .isEqualTo("validation_error");
        assertThat(http.post("/api/favorites", "{\"market_id\":\"1\",\"debate_id\":[1]}", user.auth()).errorCode())
                .isEqualTo("validation_error");
        assertThat(http.post("/api/favorites", "{\"market_id\":\"" + "9".repeat(101) + "\"}", user.auth()).errorCode())
                .isEqualTo("validation_error");
        TestResponse malformed = http.post("/api/favorites", "{\"market_id\":", user.auth());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("invalid_json");
        assertThat(http.post("/api/favorites", "[\"16167\"]", user.auth()).errorCode()).isEqualTo("invalid_json");
        assertThat(http.post("/api/favorites", null, user.auth()).errorCode()).isEqualTo("invalid_json");
        TestResponse blank = http.post("/api/favorites", "{\"market_id\":\"\"}", user.auth());
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().path("error").path("message").asText()).contains("market_id");
    }

    @Test
    void every_favorites_route_but_check_requires_a_token() {
        assertThat(http.get("/api/favorites").status()).isEqualTo(401);
        assertThat(http.post("/api/favorites", "{\"market_id\":\"1\"}").status()).isEqualTo(401);
        assertThat(http.delete("/api/favorites/1").status()).isEqualTo(401);
        assertThat(http.post("/api/favorites/markets", null).status()).isEqualTo(401);
        assertThat(http.get("/api/favorites", TestHttp.bearer("garbage")).errorCode()).isEqualTo("unauthorized");
    }

    @Test
    void delete_by_debate_id_removes_the_debate_favorite_only() {
        TestUser user = server.newUser();
        String debateId = debateOf(user, "900");
        http.post("/api/favorites", "{\"market_id\":\"900\"}", user.auth());
        http.post("/api/favorites", "{\"market_id\":\"900\",\"debate_id\":\"" + debateId + "\"}", user.auth());

        TestResponse removed = http.delete("/api/favorites/" + debateId, user.auth());

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().path("success").asBoolean()).isTrue();
        assertThat(removed.json().path("message").asText()).isEqualTo("Favorite removed");
        JsonNode remaining = http.get("/api/favorites", user.auth()).json().path("data").path("favorites");
        assertThat(remaining).hasSize(1);
        assertThat(remaining.get(0).path("debate_id").isNull()).isTrue();
    }

    @Test
    void delete_by_market_id_prefers_the_market_favorite_then_the_oldest_debate_favorite() {
        TestUser user = server.newUser();
        String older = debateOf(user, "910");
        String newer = debateOf(user, "910");
        http.post("/api/favorites", "{\"market_id\":\"910\",\"debate_id\":\"" + older + "\"}", user.auth());
        server.clock().advance(Duration.ofMinutes(1));
        http.post("/api/favorites", "{\"market_id\":\"910\"}", user.auth());
        server.clock().advance(Duration.ofMinutes(1));
        http.post("/api/favorites", "{\"market_id\":\"910\",\"debate_id\":\"" + newer + "\"}", user.auth());

        assertThat(http.delete("/api/favorites/910", user.auth()).status()).isEqualTo(200);
        assertThat(debateIds(user)).containsExactlyInAnyOrder(older, newer);

        assertThat(http.delete("/api/favorites/910", user.auth()).status()).isEqualTo(200);
        assertThat(debateIds(user)).containsExactly(newer);

        assertThat(http.delete("/api/favorites/910", user.auth()).status()).isEqualTo(200);
        TestResponse none = http.delete("/api/favorites/910", user.auth());
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorCode()).isEqualTo("not_found");
    }

    @Test
    void delete_with_a_json_content_type_and_no_body_is_accepted() {
        TestUser user = server.newUser();
        http.post("/api/favorites", "{\"market_id\":\"920\"}", user.auth());

        TestResponse response = http.send(http.request("/api/favorites/920")
                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + user.token()));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void check_reports_favorited_for_any_favorite_of_the_market_and_false_for_anonymous_callers() {
        TestUser user = server.newUser();
        String debateId = debateOf(user, "930");
        http.post("/api/favorites", "{\"market_id\":\"930\",\"debate_id\":\"" + debateId + "\"}", user.auth());

        JsonNode mine = http.get("/api/favorites/check/930", user.auth()).json().path("data");
        JsonNode other = http.get("/api/favorites/check/931", user.auth()).json().path("data");
        TestResponse anonymous = http.get("/api/favorites/check/930");
        TestResponse badToken = http.get("/api/favorites/check/930", TestHttp.bearer("not-a-jwt"));

        assertThat(mine.path("is_favorited").asBoolean()).isTrue();
        assertThat(mine.path("authenticated").asBoolean()).isTrue();
        assertThat(other.path("is_favorited").asBoolean()).isFalse();
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.json().path("success").asBoolean()).isTrue();
        assertThat(anonymous.json().path("data").path("is_favorited").asBoolean()).isFalse();
        assertThat(anonymous.json().path("data").path("authenticated").asBoolean()).isFalse();
        assertThat(badToken.status()).isEqualTo(200);
        assertThat(badToken.json().path("data").path("authenticated").asBoolean()).isFalse();
    }

    @Test
    void favorite_markets_pages_newest_first_with_defaults_for_missing_or_bad_bodies() {
        TestUser user = server.newUser();
        for (int i = 1; i <= 5; i++) {
            http.post("/api/favorites", "{\"market_id\":\"10" + i + "\"}", user.auth());
            server.clock().advance(Duration.ofSeconds(1));
        }

        JsonNode page = http.post("/api/favorites/markets", "{\"limit\":2,\"offset\":1}", user.auth()).json().path("data");
        assertThat(page.path("total").asInt()).isEqualTo(5);
        assertThat(page.path("limit").asInt()).isEqualTo(2);
        assertThat(page.path("offset").asInt()).isEqualTo(1);
        assertThat(page.path("favorites")).extracting(f -> f.path("market_id").asText()).containsExactly("104", "103");

        for (String body : new String[] {null, "not json", "{\"limit\":\"x\",\"offset\":-3}", "[1,2]"}) {
            TestResponse response = http.post("/api/favorites/markets", body, user.auth());
            assertThat(response.status()).as(String.valueOf(body)).isEqualTo(200);
            JsonNode data = response.json().path("data");
            assertThat(data.path("limit").asInt()).isEqualTo(50);
            assertThat(data.path("offset").asInt()).isEqualTo(0);
            assertThat(data.path("favorites")).hasSize(5);
        }
        JsonNode clamped = http.post("/api/favorites/markets", "{\"limit\":1000,\"offset\":99999999999}", user.auth())
                .json().path("data");
        assertThat(clamped.path("limit").asInt()).isEqualTo(100);
        assertThat(clamped.path("favorites")).isEmpty();
        assertThat(http.post("/api/favorites/markets", "{\"limit\":0}", user.auth()).json().path("data").path("limit").asInt())
                .isEqualTo(1);
    }

    @Test
    void users_cannot_see_check_or_delete_each_others_favorites() {
        TestUser alice = server.newUser();
        TestUser bob = server.newUser();
        String debateId = debateOf(alice, "950");
        http.post("/api/favorites", "{\"market_id\":\"950\"}", alice.auth());
        http.post("/api/favorites", "{\"market_id\":\"950\",\"debate_id\":\"" + debateId + "\"}", alice.auth());

        assertThat(http.get("/api/favorites", bob.auth()).json().path("data").path("total").asInt()).isZero();
        assertThat(http.post("/api/favorites/markets", null, bob.auth()).json().path("data").path("total").asInt()).isZero();
        assertThat(http.get("/api/favorites/check/950", bob.auth()).json().path("data").path("is_favorited").asBoolean())
                .isFalse();
        assertThat(http.delete("/api/favorites/950", bob.auth()).errorCode()).isEqualTo("not_found");
        assertThat(http.delete("/api/favorites/" + debateId, bob.auth()).errorCode()).isEqualTo("not_found");
        assertThat(http.get("/api/favorites", alice.auth()).json().path("data").path("total").asInt()).isEqualTo(2);

        // Bob may favorite Alice's (public) debate; it is his own favorite then.
        assertThat(http.post("/api/favorites", "{\"market_id\":\"950\",\"debate_id\":\"" + debateId + "\"}",
                bob.auth()).status()).isEqualTo(201);
        assertThat(http.get("/api/favorites", alice.auth()).json().path("data").path("total").asInt()).isEqualTo(2);
    }

    private static List<String> debateIds(TestUser user) {
        List<String> ids = new ArrayList<>();
        http.get("/api/favorites", user.auth()).json().path("data").path("favorites")
                .forEach(f -> ids.add(f.path("debate_id").isNull() ? null : f.path("debate_id").asText()));
        return ids;
    }
}
