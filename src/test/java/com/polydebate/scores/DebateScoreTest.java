package com.polydebate.scores;

import static com.polydebate.resolutions.MutableGamma.admin;
import static com.polydebate.resolutions.MutableGamma.refresh;
import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.resolutions.GammaEvents;
import com.polydebate.resolutions.GammaEvents.Stage;
import com.polydebate.resolutions.MutableGamma;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The score of a debate once its market resolved, against numbers worked out by hand below, end to end: debates
 * stored as the engine stores them, Gamma faked at the wire, the tracker polled through the admin refresh.
 */
class DebateScoreTest {
    private static final Offset<Double> EXACT = within(1e-12);
    private static final String CLOSES = "2026-11-29 18:00:00+00";

    private final MutableGamma gamma = new MutableGamma();
    private TestServer server;
    private TestUser admin;

    @BeforeEach
    void start() {
        server = gamma.server().start();
        admin = admin(server);
    }

    @AfterEach
    void stop() {
        server.close();
        gamma.close();
    }

    /**
     * Market "Yes" 0.40 / "No" 0.60 at the start, resolves Yes. Four models over two rounds; C fails round 2 and D
     * fails round 1 (neither has a message there).
     * <pre>
     *          round 1      round 2
     *   A      Yes 70 %     Yes 80 %
     *   B      Yes 20 %     Yes 50 %
     *   C      Yes 60 %     (failed)
     *   D      (failed)     Yes 90 %
     * </pre>
     */
    private String knownDebate(String owner) {
        return TestDebates.debate(server.jdbi(), owner == null ? null : Long.valueOf(owner))
                .market("9101", "Will it happen?", "Politics")
                .outcome("Yes", 0.40, GammaEvents.YES_TOKEN).outcome("No", 0.60, GammaEvents.NO_TOKEN)
                .model("m/a", "Model A", "A").model("m/b", "Model B", "B").model("m/c", "Model C", "C")
                .model("m/d", "Model D", "D").rounds(2)
                .message(1, "m/a", "A1.", predictions("Yes", 70, "No", 30))
                .message(1, "m/b", "B1.", predictions("Yes", 20, "No", 80))
                .message(1, "m/c", "C1.", predictions("Yes", 60, "No", 40))
                .message(2, "m/a", "A2.", predictions("Yes", 80, "No", 20))
                .message(2, "m/b", "B2.", predictions("Yes", 50, "No", 50))
                .message(2, "m/d", "D2.", predictions("Yes", 90, "No", 10))
                .insert();
    }

    private JsonNode score(String debateId) {
        TestResponse response = server.http().get("/api/debate/" + debateId + "/score");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode model(JsonNode score, String modelId) {
        for (JsonNode model : score.path("models")) {
            if (model.path("model_id").asText().equals(modelId)) {
                return model;
            }
        }
        throw new AssertionError("no row for " + modelId + " in " + score);
    }

    @Test
    void a_resolved_debate_scores_as_worked_out_by_hand() {
        String debate = knownDebate(null);
        gamma.set("9101", GammaEvents.binary("9101", Stage.RESOLVED_YES, CLOSES));
        refresh(server, admin);

        JsonNode score = score(debate);
        assertThat(score.path("status").asText()).isEqualTo("resolved");
        assertThat(score.path("winner").asText()).isEqualTo("Yes");
        assertThat(score.path("winner_not_debated").asBoolean()).isFalse();
        assertThat(score.path("outcomes").toString()).isEqualTo("[\"Yes\",\"No\"]");

        // Market (0.4, 0.6), outcome (1, 0): Brier = 0.6² + 0.6² = 0.72; log = ln 0.4.
        JsonNode market = score.path("market");
        assertThat(market.path("predictions").path("Yes").asDouble()).isCloseTo(40.0, EXACT);
        assertThat(market.path("brier").asDouble()).isCloseTo(0.72, EXACT);
        assertThat(market.path("log_score").asDouble()).isCloseTo(Math.log(0.4), EXACT);

        // A: round 1 (0.7, 0.3): 0.3² + 0.3² = 0.18, ln 0.7; final (0.8, 0.2): 0.2² + 0.2² = 0.08, ln 0.8;
        // lift 0.18 − 0.08 = 0.10; skill 1 − 0.08 / 0.72 = 0.8889.
        JsonNode a = model(score, "m/a");
        assertThat(a.path("round1").path("round").asInt()).isEqualTo(1);
        assertThat(a.path("round1").path("brier").asDouble()).isCloseTo(0.18, EXACT);
        assertThat(a.path("round1").path("log_score").asDouble()).isCloseTo(Math.log(0.7), EXACT);
        assertThat(a.path("final").path("round").asInt()).isEqualTo(2);
        assertThat(a.path("final").path("predictions").path("Yes").asDouble()).isCloseTo(80.0, EXACT);
        assertThat(a.path("final").path("brier").asDouble()).isCloseTo(0.08, EXACT);
        assertThat(a.path("final").path("log_score").asDouble()).isCloseTo(Math.log(0.8), EXACT);
        assertThat(a.path("lift").asDouble()).isCloseTo(0.10, EXACT);
        assertThat(a.path("brier_skill_vs_market").asDouble()).isCloseTo(1 - 0.08 / 0.72, EXACT);

        // B: round 1 (0.2, 0.8): 0.8² + 0.8² = 1.28, ln 0.2; final (0.5, 0.5): 0.25 + 0.25 = 0.5, ln 0.5; lift 0.78.
        JsonNode b = model(score, "m/b");
        assertThat(b.path("round1").path("brier").asDouble()).isCloseTo(1.28, EXACT);
        assertThat(b.path("round1").path("log_score").asDouble()).isCloseTo(Math.log(0.2), EXACT);
        assertThat(b.path("final").path("brier").asDouble()).isCloseTo(0.5, EXACT);
        assertThat(b.path("lift").asDouble()).isCloseTo(0.78, EXACT);
        assertThat(b.path("brier_skill_vs_market").asDouble()).isCloseTo(1 - 0.5 / 0.72, EXACT);

        // C failed round 2: its last successful forecast (round 1, 0.6) is its final one: 0.4² + 0.4² = 0.32 both
        // times, lift 0, and the row says round 1.
        JsonNode c = model(score, "m/c");
        assertThat(c.path("final").path("round").asInt()).isEqualTo(1);
        assertThat(c.path("round1").path("brier").asDouble()).isCloseTo(0.32, EXACT);
        assertThat(c.path("final").path("brier").asDouble()).isCloseTo(0.32, EXACT);
        assertThat(c.path("lift").asDouble()).isCloseTo(0.0, EXACT);

        // D failed round 1: no blind forecast is invented, so no round-1 score and no lift; final (0.9, 0.1):
        // 0.1² + 0.1² = 0.02, ln 0.9.
        JsonNode d = model(score, "m/d");
        assertThat(d.path("round1").isNull()).isTrue();
        assertThat(d.path("lift").isNull()).isTrue();
        assertThat(d.path("final").path("round").asInt()).isEqualTo(2);
        assertThat(d.path("final").path("brier").asDouble()).isCloseTo(0.02, EXACT);
        assertThat(d.path("final").path("log_score").asDouble()).isCloseTo(Math.log(0.9), EXACT);

        // Ensemble round 1 = mean of A, B, C = (0.7 + 0.2 + 0.6) / 3 = 0.5: Brier 0.5² + 0.5² = 0.5;
        // final = mean of A, B, C, D = (0.8 + 0.5 + 0.6 + 0.9) / 4 = 0.7: Brier 0.3² + 0.3² = 0.18;
        // lift 0.5 − 0.18 = 0.32; skill 1 − 0.18 / 0.72 = 0.75.
        JsonNode ensemble = score.path("ensemble");
        assertThat(ensemble.path("round1").path("predictions").path("Yes").asDouble()).isCloseTo(50.0, within(1e-9));
        assertThat(ensemble.path("round1").path("brier").asDouble()).isCloseTo(0.5, EXACT);
        assertThat(ensemble.path("round1").path("log_score").asDouble()).isCloseTo(Math.log(0.5), EXACT);
        assertThat(ensemble.path("final").path("brier").asDouble()).isCloseTo(0.18, EXACT);
        assertThat(ensemble.path("final").path("log_score").asDouble()).isCloseTo(Math.log(0.7), EXACT);
        assertThat(ensemble.path("lift").asDouble()).isCloseTo(0.32, EXACT);
        assertThat(ensemble.path("brier_skill_vs_market").asDouble()).isCloseTo(0.75, EXACT);

        // Herding among the models with both forecasts (A, B, C). Round 1, Yes: 0.7, 0.2, 0.6, mean 0.5, squared
        // deviations 0.04 + 0.09 + 0.01 = 0.14, population sd √(0.14/3) = 0.216025 (No mirrors Yes, so the mean
        // over outcomes is the same). Final, Yes: 0.8, 0.5, 0.6, mean 0.6333, squares 0.02778 + 0.01778 + 0.00111
        // = 0.04667 = 0.14/3, sd √(0.14/9) = 0.124722. Herding = 0.216025 − 0.124722 = 0.091303.
        JsonNode herding = score.path("herding");
        assertThat(herding.path("dispersion_round1").asDouble()).isCloseTo(Math.sqrt(0.14 / 3), EXACT);
        assertThat(herding.path("dispersion_final").asDouble()).isCloseTo(Math.sqrt(0.14 / 9), EXACT);
        assertThat(herding.path("herding").asDouble()).isCloseTo(Math.sqrt(0.14 / 3) - Math.sqrt(0.14 / 9), EXACT);
        assertThat(herding.path("herding").asDouble()).isCloseTo(0.091303, within(1e-6));

        // The leaderboard of this one debate, best final Brier first: D 0.02, A 0.08, ensemble 0.18, C 0.32,
        // B 0.5, market 0.72.
        JsonNode rows = server.http().get("/api/leaderboard").json().path("rows");
        List<String> order = new ArrayList<>();
        rows.forEach(r -> order.add(r.path("model_id").asText()));
        assertThat(order).containsExactly("m/d", "m/a", "ensemble", "m/c", "m/b", "market");
        assertThat(rows.get(1).path("mean_lift").asDouble()).isCloseTo(0.10, EXACT);
        assertThat(rows.get(1).path("herding").asDouble()).isCloseTo(0.091303, within(1e-6));
        assertThat(rows.get(5).path("mean_lift").isNull()).isTrue();
        assertThat(rows.get(5).path("brier_skill_vs_market").isNull()).isTrue();
    }

    @Test
    void the_results_carry_the_score_block_once_the_market_resolved() {
        String debate = knownDebate(null);
        gamma.set("9101", GammaEvents.binary("9101", Stage.PROPOSED, CLOSES));
        refresh(server, admin);
        JsonNode before = server.http().get("/api/debate/" + debate + "/results").json();
        assertThat(before.has("score")).isTrue();
        assertThat(before.path("score").isNull()).isTrue();

        gamma.set("9101", GammaEvents.binary("9101", Stage.RESOLVED_NO, CLOSES));
        refresh(server, admin);
        JsonNode after = server.http().get("/api/debate/" + debate + "/results").json();
        assertThat(after.path("score")).isEqualTo(score(debate));
        assertThat(after.path("score").path("winner").asText()).isEqualTo("No");
        // Market (0.4, 0.6) against No: 0.4² + 0.4² = 0.32.
        assertThat(after.path("score").path("market").path("brier").asDouble()).isCloseTo(0.32, EXACT);
    }

    @Test
    void a_winner_outside_the_debated_outcomes_takes_an_implicit_other_outcome_forecast_at_zero() {
        String debate = TestDebates.debate(server.jdbi(), null)
                .market(GammaEvents.CATEGORICAL_ID, "England vs. Argentina", "Sports")
                .createdAt("2026-07-14T10:00:00Z").completedAt("2026-07-14T10:05:00Z")
                .outcome("England", 0.30, GammaEvents.ENGLAND_TOKEN)
                .outcome("Draw (England vs. Argentina)", 0.20, GammaEvents.DRAW_TOKEN)
                .model("m/a", "Model A", "A").rounds(1)
                .message(1, "m/a", "A.", predictions("England", 60, "Draw (England vs. Argentina)", 40))
                .insert();
        gamma.set(GammaEvents.CATEGORICAL_ID, GammaEvents.categoricalResolved());
        refresh(server, admin);

        JsonNode score = score(debate);
        assertThat(score.path("status").asText()).isEqualTo("resolved");
        assertThat(score.path("winner").isNull()).isTrue();
        assertThat(score.path("winner_not_debated").asBoolean()).isTrue();
        // Argentina (not debated) won: (0.6 − 0)² + (0.4 − 0)² + (0 − 1)² = 0.36 + 0.16 + 1 = 1.52; ln 0.001.
        JsonNode a = model(score, "m/a");
        assertThat(a.path("final").path("brier").asDouble()).isCloseTo(1.52, EXACT);
        assertThat(a.path("final").path("log_score").asDouble()).isCloseTo(Math.log(0.001), EXACT);
        // The market's 0.30 / 0.20 normalised: 0.6 / 0.4, the same forecast, the same score.
        assertThat(score.path("market").path("predictions").path("England").asDouble()).isCloseTo(60.0,
                within(1e-9));
        assertThat(score.path("market").path("brier").asDouble()).isCloseTo(1.52, within(1e-12));
    }

    @Test
    void debates_started_after_trading_stopped_or_not_completed_are_not_scored() {
        String late = TestDebates.debate(server.jdbi(), null)
                .market(GammaEvents.CATEGORICAL_ID, "England vs. Argentina", "Sports")
                .createdAt("2026-07-15T21:30:00Z").completedAt("2026-07-15T21:35:00Z")
                .outcome("Argentina", 0.99, GammaEvents.ARGENTINA_TOKEN).outcome("England", 0.01,
                        GammaEvents.ENGLAND_TOKEN)
                .model("m/a", "Model A", "A").rounds(1)
                .message(1, "m/a", "A.", predictions("Argentina", 99, "England", 1))
                .insert();
        String stopped = TestDebates.debate(server.jdbi(), null)
                .market(GammaEvents.CATEGORICAL_ID, "England vs. Argentina", "Sports")
                .createdAt("2026-07-14T10:00:00Z").completedAt("2026-07-14T10:01:00Z").status("stopped")
                .outcome("Argentina", 0.4, GammaEvents.ARGENTINA_TOKEN).model("m/a", "Model A", "A")
                .message(1, "m/a", "A.", predictions("Argentina", 100))
                .insert();
        gamma.set(GammaEvents.CATEGORICAL_ID, GammaEvents.categoricalResolved());
        refresh(server, admin);

        JsonNode lateScore = score(late);
        assertThat(lateScore.path("status").asText()).isEqualTo("not_tracked");
        assertThat(lateScore.path("reason").asText()).isEqualTo("debate_after_close");
        assertThat(lateScore.path("models")).isEmpty();
        JsonNode stoppedScore = score(stopped);
        assertThat(stoppedScore.path("status").asText()).isEqualTo("not_tracked");
        assertThat(stoppedScore.path("reason").asText()).isEqualTo("debate_not_completed");
        assertThat(server.http().get("/api/leaderboard").json().path("debates_scored").asInt()).isZero();
    }

    @Test
    void unknown_malformed_and_deleted_debates_answer_404() {
        String debate = knownDebate(String.valueOf(server.newUser().id()));
        server.jdbi().useHandle(h -> h.createUpdate("UPDATE debates SET is_deleted = TRUE WHERE debate_id = :id")
                .bind("id", debate).execute());

        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid", debate)) {
            TestResponse response = server.http().get("/api/debate/" + id + "/score");
            assertThat(response.status()).as(id).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("debate_not_found");
        }
    }

    @Test
    void the_score_is_public_and_may_be_cached_for_a_minute() {
        String debate = knownDebate(null);
        TestResponse response = server.http().get("/api/debate/" + debate + "/score");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("public, max-age=60");
    }

    @Test
    void a_deleted_debate_leaves_the_leaderboard_and_a_score_of_older_rules_is_recomputed_once() {
        TestUser owner = server.newUser();
        String kept = knownDebate(String.valueOf(owner.id()));
        String deleted = knownDebate(String.valueOf(owner.id()));
        gamma.set("9101", GammaEvents.binary("9101", Stage.RESOLVED_YES, CLOSES));
        refresh(server, admin);
        JsonNode both = server.http().get("/api/leaderboard").json();
        assertThat(both.path("debates_scored").asInt()).isEqualTo(2);

        assertThat(server.http().delete("/api/debates/" + deleted, owner.auth()).status()).isEqualTo(200);
        server.clock().advance(Duration.ofSeconds(61));
        JsonNode one = server.http().get("/api/leaderboard").json();
        assertThat(one.path("debates_scored").asInt()).isEqualTo(1);
        // Two identical debates or one: the means are the same, the counts halve.
        assertThat(one.path("rows").get(0).path("debates_scored").asInt()).isEqualTo(1);
        assertThat(one.path("rows").get(0).path("mean_brier_final").asDouble())
                .isCloseTo(both.path("rows").get(0).path("mean_brier_final").asDouble(), EXACT);

        // A score stored under older rules is recomputed on the next pass, and the sums are not counted twice.
        server.jdbi().useHandle(h -> h.createUpdate(
                        "UPDATE debate_scores SET scoring_version = 0 WHERE debate_id = :id")
                .bind("id", kept).execute());
        server.clock().advance(Duration.ofSeconds(61));
        refresh(server, admin);
        int version = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT scoring_version FROM debate_scores WHERE debate_id = :id").bind("id", kept)
                .mapTo(Integer.class).one());
        assertThat(version).isEqualTo(ScoreService.SCORING_VERSION);
        assertThat(score(kept).path("scored_at").asText()).isEqualTo("2026-11-28T12:02:02.000Z");
        JsonNode recomputed = server.http().get("/api/leaderboard").json();
        assertThat(recomputed.path("rows")).isEqualTo(one.path("rows"));
    }
}
