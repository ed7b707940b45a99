package com.polydebate.resolutions;

import static com.polydebate.resolutions.MutableGamma.admin;
import static com.polydebate.resolutions.MutableGamma.listed;
import static com.polydebate.resolutions.MutableGamma.refresh;
import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.resolutions.GammaEvents.Stage;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.MutableClock;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resolution tracker end to end: real servers, Gamma faked at the wire and moved from stage to stage between
 * polls, debates stored as the engine stores them. Polls are started by the admin refresh or by {@code pollDue} after
 * moving the test clock; nothing sleeps.
 */
class ResolutionTrackingTest {
    private static final String CLOSES = "2026-11-29 18:00:00+00";

    private final MutableGamma gamma = new MutableGamma();
    private final List<TestServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
        gamma.close();
    }

    private TestServer start(TestServer.Builder builder) {
        TestServer server = builder.start();
        servers.add(server);
        return server;
    }

    /** A completed two-model debate on a binary market with the recorded Yes/No tokens. */
    private static String binaryDebate(TestServer server, String marketId) {
        return TestDebates.debate(server.jdbi(), null)
                .market(marketId, "Will event " + marketId + " happen?", "Politics")
                .outcome("Yes", 0.4, GammaEvents.YES_TOKEN).outcome("No", 0.6, GammaEvents.NO_TOKEN)
                .model("m/a", "Model A", "A").model("m/b", "Model B", "B").rounds(2)
                .message(1, "m/a", "A1.", predictions("Yes", 70, "No", 30))
                .message(1, "m/b", "B1.", predictions("Yes", 20, "No", 80))
                .message(2, "m/a", "A2.", predictions("Yes", 80, "No", 20))
                .message(2, "m/b", "B2.", predictions("Yes", 50, "No", 50))
                .insert();
    }

    private static JsonNode score(TestServer server, String debateId) {
        TestResponse response = server.http().get("/api/debate/" + debateId + "/score");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static int forecastRows(TestServer server) {
        return server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM forecast_scores")
                .mapTo(Integer.class).one());
    }

    @Test
    void a_market_moves_open_closing_proposed_disputed_resolved_and_is_scored_only_once_resolved() {
        gamma.set("9001", GammaEvents.binary("9001", Stage.OPEN_NEAR_CERTAIN, CLOSES));
        TestServer server = start(gamma.server());
        TestUser admin = admin(server);
        String debate = binaryDebate(server, "9001");

        assertThat(score(server, debate).path("status").asText()).isEqualTo("not_tracked");
        assertThat(score(server, debate).path("reason").asText()).isEqualTo("market_not_checked_yet");

        record Step(Stage stage, String state, String list) {
        }
        for (Step step : List.of(new Step(Stage.OPEN_NEAR_CERTAIN, "open", "pending"),
                new Step(Stage.CLOSED, "closing", "pending"), new Step(Stage.PROPOSED, "proposed", "pending"),
                new Step(Stage.DISPUTED, "disputed", "disputed"))) {
            gamma.set("9001", GammaEvents.binary("9001", step.stage(), CLOSES));
            JsonNode poll = refresh(server, admin);
            assertThat(poll.path("polled").asInt()).isEqualTo(1);
            MutableGamma.Listed listed = listed(server, admin, "9001").orElseThrow();
            assertThat(listed.state()).isEqualTo(step.state());
            assertThat(listed.list()).isEqualTo(step.list());
            assertThat(listed.item().path("winner").isNull()).isTrue();
            JsonNode pending = score(server, debate);
            assertThat(pending.path("status").asText()).as(step.state()).isEqualTo("pending");
            assertThat(pending.path("market_state").asText()).isEqualTo(step.state());
            assertThat(pending.path("models")).isEmpty();
            // Not even a near-certain price at 0.9995 (open) or 0.9985 (closed, proposed, disputed) gets scored.
            assertThat(forecastRows(server)).as(step.state()).isZero();
        }
        TestResponse leaderboard = server.http().get("/api/leaderboard");
        assertThat(leaderboard.status()).as(leaderboard.body()).isEqualTo(200);
        assertThat(leaderboard.json().path("rows")).isEmpty();
        assertThat(leaderboard.json().path("debates_scored").asInt()).isZero();

        gamma.set("9001", GammaEvents.binary("9001", Stage.RESOLVED_YES, CLOSES));
        JsonNode poll = refresh(server, admin);
        assertThat(poll.path("changed").asInt()).isEqualTo(1);
        assertThat(poll.path("remaining").asInt()).isZero();

        MutableGamma.Listed resolved = listed(server, admin, "9001").orElseThrow();
        assertThat(resolved.list()).isEqualTo("recent");
        assertThat(resolved.state()).isEqualTo("resolved");
        assertThat(resolved.item().path("winner").asText()).isEqualTo("Yes");
        assertThat(resolved.item().path("winner_token").asText()).isEqualTo(GammaEvents.YES_TOKEN);
        assertThat(resolved.item().path("settled_at").asText()).isEqualTo("2026-11-29T18:00:00.000Z");
        assertThat(resolved.item().path("debates").asInt()).isEqualTo(1);
        assertThat(resolved.item().path("question").asText()).isEqualTo("Will event 9001 happen?");
        assertThat(resolved.item().path("raw").path("markets").get(0).path("umaResolutionStatus").asText())
                .isEqualTo("resolved");
        List<String> history = new ArrayList<>();
        resolved.item().path("history").forEach(h -> history.add(h.path("state").asText()));
        assertThat(history).containsExactly("open", "closing", "proposed", "disputed", "resolved");

        JsonNode scored = score(server, debate);
        assertThat(scored.path("status").asText()).isEqualTo("resolved");
        assertThat(scored.path("winner").asText()).isEqualTo("Yes");
        assertThat(scored.path("resolved_at").asText()).isEqualTo("2026-11-29T18:00:00.000Z");
        assertThat(scored.path("models")).hasSize(2);
        // A settled market is not read again: five polls, five requests, and the sixth poll has nothing to do.
        assertThat(refresh(server, admin).path("polled").asInt()).isZero();
        assertThat(gamma.calls("9001")).isEqualTo(5);
    }

    @Test
    void a_market_settled_fifty_fifty_is_void_and_its_debates_are_never_scored() {
        gamma.set("9002", GammaEvents.binary("9002", Stage.VOID, CLOSES));
        TestServer server = start(gamma.server());
        TestUser admin = admin(server);
        String debate = binaryDebate(server, "9002");

        refresh(server, admin);

        MutableGamma.Listed listed = listed(server, admin, "9002").orElseThrow();
        assertThat(listed.list()).isEqualTo("recent");
        assertThat(listed.state()).isEqualTo("void");
        JsonNode score = score(server, debate);
        assertThat(score.path("status").asText()).isEqualTo("void");
        assertThat(score.path("reason").asText()).isEqualTo("market_void");
        assertThat(score.path("winner").isNull()).isTrue();
        assertThat(forecastRows(server)).isZero();
        TestResponse results = server.http().get("/api/debate/" + debate + "/results");
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.json().has("score")).isTrue();
        assertThat(results.json().path("score").isNull()).isTrue();
    }

    @Test
    void a_categorical_event_resolves_to_the_outcome_whose_market_settled_yes() {
        gamma.set(GammaEvents.CATEGORICAL_ID, GammaEvents.categoricalOpen());
        TestServer server = start(gamma.server());
        TestUser admin = admin(server);
        String debate = TestDebates.debate(server.jdbi(), null)
                .market(GammaEvents.CATEGORICAL_ID, "England vs. Argentina", "Sports")
                .createdAt("2026-07-14T10:00:00Z").completedAt("2026-07-14T10:05:00Z")
                .outcome("England", 0.31, GammaEvents.ENGLAND_TOKEN)
                .outcome("Draw (England vs. Argentina)", 0.27, GammaEvents.DRAW_TOKEN)
                .outcome("Argentina", 0.42, GammaEvents.ARGENTINA_TOKEN)
                .model("m/a", "Model A", "A").rounds(1)
                .message(1, "m/a", "A.", predictions("England", 30, "Draw (England vs. Argentina)", 20,
                        "Argentina", 50))
                .insert();

        refresh(server, admin);
        assertThat(listed(server, admin, GammaEvents.CATEGORICAL_ID).orElseThrow().state()).isEqualTo("open");
        assertThat(score(server, debate).path("status").asText()).isEqualTo("pending");

        gamma.set(GammaEvents.CATEGORICAL_ID, GammaEvents.categoricalResolved());
        refresh(server, admin);

        MutableGamma.Listed listed = listed(server, admin, GammaEvents.CATEGORICAL_ID).orElseThrow();
        assertThat(listed.state()).isEqualTo("resolved");
        assertThat(listed.item().path("winner").asText()).isEqualTo("Argentina");
        assertThat(listed.item().path("closed_at").asText()).isEqualTo(GammaEvents.CATEGORICAL_CLOSED_AT);
        JsonNode score = score(server, debate);
        assertThat(score.path("status").asText()).isEqualTo("resolved");
        assertThat(score.path("winner").asText()).isEqualTo("Argentina");
        assertThat(score.path("winner_not_debated").asBoolean()).isFalse();
        // Brier = 0.3² + 0.2² + (0.5 − 1)² = 0.09 + 0.04 + 0.25 = 0.38.
        assertThat(score.path("models").get(0).path("final").path("brier").asDouble())
                .isCloseTo(0.38, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void the_tracker_resumes_after_a_restart_from_what_the_database_holds() {
        gamma.set("9003", GammaEvents.binary("9003", Stage.PROPOSED, CLOSES));
        MutableClock clock = MutableClock.at("2026-11-29T20:00:00Z");
        TestServer first = start(gamma.server().clock(clock).env("RESOLUTION_POLL_MINUTES", "30"));
        TestUser admin = admin(first);
        String debate = binaryDebate(first, "9003");
        refresh(first, admin);
        assertThat(listed(first, admin, "9003").orElseThrow().state()).isEqualTo("proposed");
        first.close();
        servers.remove(first);

        TestServer second = start(gamma.server().clock(clock).env("RESOLUTION_POLL_MINUTES", "30")
                .storage(first.storage()));
        TestUser admin2 = admin(second);
        MutableGamma.Listed listed = listed(second, admin2, "9003").orElseThrow();
        assertThat(listed.state()).isEqualTo("proposed");
        assertThat(listed.item().path("checked_at").asText()).isEqualTo("2026-11-29T20:00:00.000Z");
        assertThat(listed.item().path("next_check_at").asText()).isEqualTo("2026-11-29T20:30:00.000Z");
        assertThat(score(second, debate).path("status").asText()).isEqualTo("pending");

        // The schedule's poll reads only markets that are due: not yet...
        gamma.set("9003", GammaEvents.binary("9003", Stage.RESOLVED_NO, CLOSES));
        assertThat(second.app().resolutions().pollDue()).isTrue();
        assertThat(gamma.calls("9003")).isEqualTo(1);
        assertThat(score(second, debate).path("status").asText()).isEqualTo("pending");

        // ... and once the poll interval has passed.
        clock.advance(Duration.ofMinutes(31));
        assertThat(second.app().resolutions().pollDue()).isTrue();
        assertThat(gamma.calls("9003")).isEqualTo(2);
        JsonNode score = score(second, debate);
        assertThat(score.path("status").asText()).isEqualTo("resolved");
        assertThat(score.path("winner").asText()).isEqualTo("No");
    }

    @Test
    void only_one_instance_polls_at_a_time_and_a_dead_holders_lease_expires() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-29T20:00:00Z");
        TestServer a = start(gamma.server().clock(clock).env("INSTANCE_ID", "instance-a"));
        TestServer b = start(gamma.server().clock(clock).env("INSTANCE_ID", "instance-b").storage(a.storage()));
        TestUser adminA = admin(a);
        TestUser adminB = admin(b);
        binaryDebate(a, "9004");
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String open = GammaEvents.binary("9004", Stage.OPEN_NEAR_CERTAIN, CLOSES);
        gamma.upstream.on("GET", "/events/9004", call -> {
            reading.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, open);
        });

        CompletableFuture<TestResponse> aPolls = CompletableFuture.supplyAsync(
                () -> a.http().post("/api/admin/resolutions/refresh", "", adminA.auth()));
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();

        TestResponse busy = b.http().post("/api/admin/resolutions/refresh", "", adminB.auth());
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.errorCode()).isEqualTo("tracker_busy");
        JsonNode tracker = b.http().get("/api/admin/resolutions", adminB.auth()).json().path("data").path("tracker");
        assertThat(tracker.path("lease_owner").asText()).isEqualTo("instance-a");
        assertThat(gamma.calls("9004")).isEqualTo(1);

        // Instance a dies while holding the lease: b waits for the lease to run out, then carries on alone.
        a.app().haltAbruptly();
        servers.remove(a);
        assertThat(b.http().post("/api/admin/resolutions/refresh", "", adminB.auth()).status()).isEqualTo(409);
        clock.advance(ResolutionTracker.LEASE.plusSeconds(1));
        release.countDown();
        // The halted instance's request dies with it.
        aPolls.exceptionally(dropped -> null).join();
        gamma.set("9004", GammaEvents.binary("9004", Stage.CLOSED, CLOSES));
        JsonNode poll = refresh(b, adminB);
        assertThat(poll.path("polled").asInt()).isEqualTo(1);
        assertThat(listed(b, adminB, "9004").orElseThrow().state()).isEqualTo("closing");
        assertThat(b.http().get("/api/admin/resolutions", adminB.auth()).json().path("data").path("tracker")
                .path("lease_owner").isNull()).isTrue();
    }

    @Test
    void a_failed_gamma_read_is_recorded_and_the_market_is_read_again_next_time() {
        TestServer server = start(gamma.server());
        TestUser admin = admin(server);
        String debate = binaryDebate(server, "9005");
        gamma.upstream.on("GET", "/events/9005", call -> Reply.json(502, "{\"error\":\"bad gateway\"}"));

        JsonNode poll = refresh(server, admin);
        assertThat(poll.path("failed").asInt()).isEqualTo(1);
        MutableGamma.Listed failing = listed(server, admin, "9005").orElseThrow();
        assertThat(failing.state()).isEqualTo("unknown");
        assertThat(failing.item().path("failures").asInt()).isEqualTo(1);
        assertThat(failing.item().path("last_error").asText()).isNotBlank();
        assertThat(score(server, debate).path("status").asText()).isEqualTo("pending");

        gamma.set("9005", GammaEvents.binary("9005", Stage.RESOLVED_NO, CLOSES));
        refresh(server, admin);
        MutableGamma.Listed settled = listed(server, admin, "9005").orElseThrow();
        assertThat(settled.state()).isEqualTo("resolved");
        assertThat(settled.item().path("failures").asInt()).isZero();
        assertThat(settled.item().path("last_error").isNull()).isTrue();
    }

    @Test
    void markets_whose_debates_were_all_deleted_are_not_followed() {
        gamma.set("9006", GammaEvents.binary("9006", Stage.OPEN_NEAR_CERTAIN, CLOSES));
        TestServer server = start(gamma.server());
        TestUser admin = admin(server);
        TestDebates.debate(server.jdbi(), null).market("9006", "Deleted?", "Politics").deleted().insert();

        assertThat(refresh(server, admin).path("polled").asInt()).isZero();
        assertThat(gamma.calls("9006")).isZero();
        assertThat(listed(server, admin, "9006")).isEmpty();
    }

    @Test
    void the_admin_routes_want_an_admin() {
        TestServer server = start(gamma.server());
        TestUser user = server.newUser();

        assertThat(server.http().get("/api/admin/resolutions").status()).isEqualTo(401);
        assertThat(server.http().post("/api/admin/resolutions/refresh", "").status()).isEqualTo(401);
        TestResponse forbidden = server.http().post("/api/admin/resolutions/refresh", "", user.auth());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errorCode()).isEqualTo("forbidden");
        assertThat(server.http().get("/api/admin/resolutions", user.auth()).status()).isEqualTo(403);
    }
}
