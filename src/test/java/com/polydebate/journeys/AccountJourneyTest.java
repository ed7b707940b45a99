package com.polydebate.journeys;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's debates across features: deletion as seen by the debate, list, profile, favorites, admin and quota
 * endpoints; the daily quota over UTC midnight; and the frontend's request quirks (§1, §22.22).
 */
class AccountJourneyTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String ORIGIN = "http://localhost:3000";

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;
    private TestUser owner;

    private void startServer(int dailyLimit) {
        server = fakes.start(fakes.server().env("DAILY_DEBATE_LIMIT", String.valueOf(dailyLimit)));
        owner = server.createUser("owner@example.com");
    }

    private TestResponse startDebate(int rounds) {
        return server.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, rounds, MODEL_A, MODEL_B), owner.auth());
    }

    private String finishedDebate() {
        String id = DebateHarness.debateId(startDebate(1));
        assertThat(LiveStream.read(server.baseUrl(), id, null, LIMIT).last().event()).isEqualTo("debate_complete");
        return id;
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path(field).asText()));
        return ids;
    }

    private String[] ownerJson() {
        return new String[] {"Authorization", "Bearer " + owner.token(), "Content-Type", "application/json"};
    }

    /** A body-less request as the frontend's fetchJson sends it: JSON content type, empty body. */
    private TestResponse emptyJson(String method, String path, String... headers) {
        HttpRequest.Builder request = server.http().request(path)
                .method(method, HttpRequest.BodyPublishers.ofString(""));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.http().send(request);
    }

    private static void assertJsonSuccess(TestResponse response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 299);
        assertThat(response.header("Content-Type").orElse("")).startsWith("application/json");
        assertThat(response.json().isObject()).isTrue();
        assertThat(response.json().size()).isPositive();
    }

    @Test
    void a_deleted_favorite_debate_disappears_everywhere_but_the_admin_list_and_still_counts_against_the_quota() {
        startServer(3);
        String kept = finishedDebate();
        String deleted = finishedDebate();
        for (String id : List.of(kept, deleted)) {
            TestResponse favorite = server.http().post("/api/favorites",
                    "{\"market_id\": \"" + BINARY_MARKET + "\", \"debate_id\": \"" + id + "\"}", owner.auth());
            assertThat(favorite.status()).isEqualTo(201);
        }
        assertThat(server.http().get("/api/auth/profile", owner.auth()).json()
                .path("statistics").path("total_debates").asInt()).isEqualTo(2);
        assertThat(server.http().get("/api/auth/me", owner.auth()).json().path("data").path("user").path("total_debates").asInt())
                .isEqualTo(2);
        server.http().get("/api/auth/debates", owner.auth()).json().path("debates")
                .forEach(item -> assertThat(item.path("is_favorite").asBoolean()).isTrue());
        assertThat(ids(server.http().get("/api/auth/debates/top?type=favorites", owner.auth()).json()
                .path("debates"), "debate_id")).containsExactlyInAnyOrder(kept, deleted);

        TestResponse deletion = server.http().delete("/api/debates/" + deleted, owner.auth());

        assertJsonSuccess(deletion);
        assertThat(deletion.json().path("success").asBoolean()).isTrue();
        assertThat(deletion.json().path("debate_id").asText()).isEqualTo(deleted);
        for (String path : List.of("", "/results", "/transcript")) {
            TestResponse gone = server.http().get("/api/debate/" + deleted + path);
            assertThat(gone.status()).as(path).isEqualTo(404);
            assertThat(gone.errorCode()).isEqualTo("debate_not_found");
        }
        TestResponse stream = server.http().get("/api/debate/" + deleted + "/stream", "Accept", "text/event-stream");
        assertThat(stream.status()).isEqualTo(404);
        assertThat(stream.errorCode()).isEqualTo("debate_not_found");
        assertThat(ids(server.http().get("/api/debates").json().path("debates"), "debate_id"))
                .contains(kept).doesNotContain(deleted);
        JsonNode mine = server.http().get("/api/auth/debates", owner.auth()).json();
        assertThat(ids(mine.path("debates"), "debate_id")).containsExactly(kept);
        assertThat(mine.path("pagination").path("total").asInt()).isEqualTo(1);
        assertThat(ids(server.http().get("/api/auth/debates/top?type=recent", owner.auth()).json()
                .path("debates"), "debate_id")).containsExactly(kept);
        JsonNode profile = server.http().get("/api/auth/profile", owner.auth()).json();
        assertThat(profile.path("statistics").path("total_debates").asInt()).isEqualTo(1);
        assertThat(profile.path("statistics").path("total_favorites").asInt()).isEqualTo(2);
        assertThat(profile.path("statistics").path("favorite_models").get(0).path("usage_count").asInt()).isEqualTo(1);
        assertThat(server.http().get("/api/auth/me", owner.auth()).json().path("data").path("user").path("total_debates").asInt())
                .isEqualTo(1);
        JsonNode top = server.http().get("/api/auth/debates/top?type=favorites", owner.auth()).json();
        assertThat(ids(top.path("debates"), "debate_id")).containsExactly(kept);
        assertThat(server.http().get("/api/markets/" + BINARY_MARKET + "/debates").body()).doesNotContain(deleted);

        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        JsonNode adminList = server.http().get("/api/admin/debates", admin.auth()).json().path("data");
        JsonNode adminItem = null;
        for (JsonNode item : adminList) {
            if (item.path("id").asText().equals(deleted)) {
                adminItem = item;
            }
        }
        assertThat(adminItem).as("deleted debate in the admin list").isNotNull();
        assertThat(adminItem.path("is_deleted").asBoolean()).isTrue();
        assertThat(adminItem.path("debate_id").asText()).isEqualTo(deleted);
        for (JsonNode user : server.http().get("/api/admin/users", admin.auth()).json().path("data")) {
            if (user.path("id").asLong() == owner.id()) {
                assertThat(user.path("total_debates").asInt()).isEqualTo(1);
            }
        }
        assertThat(server.http().get("/api/admin/analytics", admin.auth()).json()
                .path("data").path("total_debates").asInt()).isEqualTo(2);
        JsonNode limits = server.http().get("/api/auth/limits", owner.auth()).json();
        assertThat(limits.path("daily_limit").asInt()).isEqualTo(3);
        assertThat(limits.path("remaining_debates").asInt()).isEqualTo(1);
        assertThat(server.http().delete("/api/debates/" + deleted, owner.auth()).status()).isEqualTo(404);
    }

    @Test
    void the_daily_quota_blocks_a_second_start_until_utc_midnight() {
        startServer(1);
        String first = DebateHarness.debateId(startDebate(1));

        TestResponse refused = startDebate(1);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.errorCode()).isEqualTo("daily_limit_reached");
        assertThat(refused.json().path("remaining_debates").isInt()).isTrue();
        assertThat(refused.json().path("remaining_debates").asInt()).isZero();
        assertThat(refused.json().path("error").path("message").asText()).contains("limit");
        JsonNode limits = server.http().get("/api/auth/limits", owner.auth()).json();
        assertThat(limits.path("remaining_debates").asInt()).isZero();
        assertThat(limits.path("next_reset_at").asText()).isEqualTo("2026-11-29T00:00:00.000Z");
        assertThat(server.http().get("/api/auth/debates", owner.auth()).json().path("pagination")
                .path("total").asInt()).isEqualTo(1);
        assertThat(LiveStream.read(server.baseUrl(), first, null, LIMIT).last().event()).isEqualTo("debate_complete");

        server.clock().set(Instant.parse("2026-11-28T23:59:59Z"));
        assertThat(startDebate(1).status()).isEqualTo(429);
        server.clock().set(Instant.parse("2026-11-29T00:00:01Z"));

        assertThat(server.http().get("/api/auth/limits", owner.auth()).json().path("remaining_debates").asInt())
                .isEqualTo(1);
        String second = DebateHarness.debateId(startDebate(1));
        assertThat(second).isNotEqualTo(first);
        assertThat(server.http().get("/api/auth/limits", owner.auth()).json().path("remaining_debates").asInt())
                .isZero();
        assertThat(LiveStream.read(server.baseUrl(), second, null, LIMIT).last().event()).isEqualTo("debate_complete");
    }

    @Test
    void concurrent_starts_get_exactly_the_daily_limit_and_a_failed_start_costs_nothing() throws Exception {
        startServer(2);
        TestResponse unknownMarket = server.http().post("/api/debate/start",
                DebateHarness.startBody("999999", 1, MODEL_A), owner.auth());
        assertThat(unknownMarket.status()).isEqualTo(404);
        assertThat(unknownMarket.errorCode()).isEqualTo("market_not_found");
        assertThat(server.http().get("/api/auth/limits", owner.auth()).json().path("remaining_debates").asInt())
                .isEqualTo(2);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<TestResponse> answers = new ArrayList<>();
        try {
            List<Future<TestResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> startDebate(1)));
            }
            for (Future<TestResponse> future : futures) {
                answers.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers.stream().filter(a -> a.status() == 201).count()).isEqualTo(2);
        assertThat(answers.stream().filter(a -> a.status() == 429).count()).isEqualTo(4);
        assertThat(server.http().get("/api/auth/debates", owner.auth()).json().path("pagination")
                .path("total").asInt()).isEqualTo(2);
        assertThat(server.http().get("/api/auth/limits", owner.auth()).json().path("remaining_debates").asInt())
                .isZero();
        for (TestResponse started : answers.stream().filter(a -> a.status() == 201).toList()) {
            assertThat(LiveStream.read(server.baseUrl(), DebateHarness.debateId(started), null, LIMIT).last().event())
                    .isEqualTo("debate_complete");
        }
    }

    @Test
    void body_less_requests_sent_with_a_json_content_type_and_an_empty_body_are_accepted_and_answer_json() {
        fakes.answerAfter(Duration.ofMillis(300));
        startServer(5);
        String id = DebateHarness.debateId(startDebate(3));
        assertThat(server.http().post("/api/favorites",
                "{\"market_id\": \"" + BINARY_MARKET + "\", \"debate_id\": \"" + id + "\"}", owner.auth()).status())
                .isEqualTo(201);

        TestResponse pause = emptyJson("POST", "/api/debate/" + id + "/pause", ownerJson());
        TestResponse pausedAgain = server.http().post("/api/debate/" + id + "/pause", null, ownerJson());
        TestResponse resume = emptyJson("POST", "/api/debate/" + id + "/resume", ownerJson());
        TestResponse stop = emptyJson("POST", "/api/debate/" + id + "/stop", ownerJson());
        TestResponse stopAgain = server.http().post("/api/debate/" + id + "/stop", null, ownerJson());
        TestResponse unfavorite = emptyJson("DELETE", "/api/favorites/" + id, ownerJson());
        TestResponse delete = emptyJson("DELETE", "/api/debates/" + id, ownerJson());

        for (TestResponse response : List.of(pause, pausedAgain, resume, stop, unfavorite, delete)) {
            assertJsonSuccess(response);
        }
        assertThat(pause.json().path("status").asText()).isEqualTo("paused");
        assertThat(resume.json().path("status").asText()).isEqualTo("in_progress");
        assertThat(stop.json().path("status").asText()).isEqualTo("stopped");
        assertThat(stopAgain.status()).isEqualTo(409);
        assertThat(stopAgain.errorCode()).isEqualTo("debate_not_active");
        assertThat(unfavorite.json().path("success").asBoolean()).isTrue();
        assertThat(delete.json().path("debate_id").asText()).isEqualTo(id);
        assertThat(emptyJson("DELETE", "/api/favorites/" + id, ownerJson()).errorCode()).isEqualTo("not_found");
    }

    @Test
    void the_stream_and_a_401_carry_the_cors_header_for_an_allowed_origin() {
        startServer(5);
        String id = DebateHarness.debateId(startDebate(1));

        LiveStream.Result stream = LiveStream.read(server.baseUrl(), id, null, LIMIT, "Origin", ORIGIN);
        TestResponse anonymous = server.http().get("/api/auth/limits", "Origin", ORIGIN,
                "Content-Type", "application/json");
        TestResponse badToken = emptyJson("POST", "/api/debate/" + id + "/stop", "Origin", ORIGIN,
                "Authorization", "Bearer not-a-token", "Content-Type", "application/json");
        TestResponse elsewhere = server.http().get("/api/auth/limits", "Origin", "http://evil.example");

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.last().event()).isEqualTo("debate_complete");
        assertThat(stream.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.header("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(elsewhere.status()).isEqualTo(401);
        assertThat(elsewhere.header("Access-Control-Allow-Origin")).isEmpty();
    }
}
