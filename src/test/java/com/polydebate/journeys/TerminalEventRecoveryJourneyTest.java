package com.polydebate.journeys;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Debates whose process died after their terminal status was stored but before the terminal event went out: the
 * next start writes that event with the same data the live path sends (§10.4) and, for a completed debate,
 * stores the results first (§11.12).
 */
class TerminalEventRecoveryJourneyTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String CLAUDE = "anthropic/claude-haiku-4.5";
    private static final String GROK = "x-ai/grok-4-fast";

    private TestServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private static TestDebates twoModels(TestServer server, String status) {
        return TestDebates.debate(server.jdbi(), null)
                .model(CLAUDE, "Anthropic: Claude Haiku 4.5", "Anthropic")
                .model(GROK, "xAI: Grok 4 Fast", "X-Ai")
                .status(status).rounds(2)
                .createdAt("2026-11-28T10:00:00Z").completedAt("2026-11-28T10:03:00Z");
    }

    @Test
    void debates_finished_without_their_terminal_event_get_it_with_full_data_after_a_restart() {
        TestServer first = TestServer.start();
        String completed = twoModels(first, "completed")
                .message(1, CLAUDE, "Yes leads.", predictions("Yes", 60, "No", 40))
                .message(1, GROK, "No leads.", predictions("Yes", 40, "No", 60))
                .message(2, CLAUDE, "Still Yes.", predictions("Yes", 65, "No", 35))
                .message(2, GROK, "Still No.", predictions("Yes", 35, "No", 65))
                .insert();
        String stopped = twoModels(first, "stopped").currentRound(2)
                .message(1, CLAUDE, "Yes leads.", predictions("Yes", 60, "No", 40))
                .message(1, GROK, "No leads.", predictions("Yes", 40, "No", 60))
                .message(2, CLAUDE, "Still Yes.", predictions("Yes", 65, "No", 35))
                .insert();
        first.close();

        server = TestServer.builder().storage(first.storage()).start();
        AtomicReference<JsonNode> fetched = new AtomicReference<>();
        LiveStream.Result completeStream = LiveStream.read(server.baseUrl(), completed, null, LIMIT, event -> {
            if (event.event().equals("debate_complete")) {
                fetched.set(server.http().get("/api/debate/" + completed).json());
            }
            return true;
        });
        LiveStream.Result stopStream = LiveStream.read(server.baseUrl(), stopped, null, LIMIT);

        assertThat(completeStream.events()).extracting(SseEvent::event).containsExactly("debate_complete");
        JsonNode complete = completeStream.last().data();
        assertThat(complete.path("total_rounds").asInt()).isEqualTo(2);
        assertThat(complete.path("total_messages").asInt()).isEqualTo(4);
        assertThat(complete.path("duration_seconds").asLong()).isEqualTo(180);
        assertThat(complete.path("results_url").asText()).isEqualTo("/api/debate/" + completed + "/results");
        assertThat(fetched.get().path("final_summary").path("source").asText()).isEqualTo("local");
        assertThat(fetched.get().path("final_predictions").path(CLAUDE).path("predictions").path("Yes").asDouble())
                .isEqualTo(65.0);
        assertThat(stopStream.events()).extracting(SseEvent::event).containsExactly("debate_stopped");
        JsonNode stop = stopStream.last().data();
        assertThat(stop.path("stopped_by").asText()).isEqualTo("user");
        assertThat(stop.path("completed_rounds").asInt()).isEqualTo(1);
        assertThat(stop.path("total_messages").asInt()).isEqualTo(3);
        assertThat(server.http().get("/api/debate/" + stopped + "/results").status()).isEqualTo(200);
    }
}
