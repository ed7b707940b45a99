package com.polydebate.scores;

import static com.polydebate.resolutions.MutableGamma.admin;
import static com.polydebate.resolutions.MutableGamma.refresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness;
import com.polydebate.resolutions.GammaEvents;
import com.polydebate.resolutions.GammaEvents.Stage;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A debate run by the real engine (OpenRouter and ElevenLabs faked at the wire) on a market that then resolves:
 * the predictions the engine stored are the ones scored.
 */
class LiveDebateScoreTest {
    @RegisterExtension
    final DebateHarness harness = new DebateHarness();

    @Test
    void a_debate_the_engine_ran_is_scored_from_its_stored_predictions_once_its_market_resolves() {
        AtomicReference<String> event = new AtomicReference<>(GammaEvents.binary(DebateHarness.BINARY_MARKET,
                Stage.OPEN, "2026-11-29 18:00:00+00"));
        harness.gamma.on("GET", "/events/" + DebateHarness.BINARY_MARKET, call -> Reply.json(200, event.get()));
        TestServer server = harness.start(harness.server().env("RESOLUTION_POLL_MINUTES", "0")
                .env("RESOLUTION_REQUESTS_PER_MINUTE", "60000"));
        TestUser owner = server.newUser();
        TestUser admin = admin(server);

        String debate = DebateHarness.startDebate(server, owner, 2, DebateHarness.MODEL_A, DebateHarness.MODEL_B);
        DebateHarness.SseResult stream = DebateHarness.stream(server.baseUrl(), debate, null);
        assertThat(stream.events().get(stream.events().size() - 1).event()).isEqualTo("debate_complete");

        refresh(server, admin);
        assertThat(server.http().get("/api/debate/" + debate + "/results").json().path("score").isNull()).isTrue();
        assertThat(server.http().get("/api/debate/" + debate + "/score").json().path("market_state").asText())
                .isEqualTo("open");

        event.set(GammaEvents.binary(DebateHarness.BINARY_MARKET, Stage.RESOLVED_YES, "2026-11-29 18:00:00+00"));
        refresh(server, admin);

        JsonNode score = server.http().get("/api/debate/" + debate + "/results").json().path("score");
        assertThat(score.path("status").asText()).isEqualTo("resolved");
        assertThat(score.path("winner").asText()).isEqualTo("Yes");
        // Every model answers Yes 60 / No 40 in every round (the harness's answer): Brier 0.4² + 0.4² = 0.32 in
        // round 1 and at the end, lift 0; no spread between the models, so no herding either.
        assertThat(score.path("models")).hasSize(2);
        for (JsonNode model : score.path("models")) {
            assertThat(model.path("round1").path("predictions").path("Yes").asDouble()).isCloseTo(60.0, within(1e-9));
            assertThat(model.path("round1").path("brier").asDouble()).isCloseTo(0.32, within(1e-12));
            assertThat(model.path("final").path("round").asInt()).isEqualTo(2);
            assertThat(model.path("final").path("brier").asDouble()).isCloseTo(0.32, within(1e-12));
            assertThat(model.path("lift").asDouble()).isCloseTo(0.0, within(1e-12));
        }
        assertThat(score.path("herding").path("herding").asDouble()).isCloseTo(0.0, within(1e-12));
        // The market's 0.45 / 0.55 when the debate started: 0.55² + 0.55² = 0.605.
        assertThat(score.path("market").path("brier").asDouble()).isCloseTo(0.605, within(1e-12));
        assertThat(score.path("ensemble").path("brier_skill_vs_market").asDouble())
                .isCloseTo(1 - 0.32 / 0.605, within(1e-12));
    }
}
