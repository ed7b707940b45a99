package com.polydebate.results;

import static com.polydebate.support.TestDebates.predictions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TranscriptTest {
    private static TestServer server;
    private static String completed;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        completed = TestDebates.debate(server.jdbi(), null)
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .model("anthropic/claude-haiku-4.5", "Anthropic: Claude Haiku 4.5", "Anthropic")
                .model("x-ai/grok-4-fast", "xAI: Grok 4 Fast", "X-Ai")
                .status("completed").rounds(2)
                .message(1, "anthropic/claude-haiku-4.5", "ETF flows favour Yes.", predictions("Yes", 55.0, "No", 45.0))
                .audio("/api/audio/first.mp3", 1.6)
                .message(1, "x-ai/grok-4-fast", "Too early to tell.", Map.of())
                .message(2, "anthropic/claude-haiku-4.5", "Still Yes.", predictions("Yes", 58.5, "No", 41.5))
                .message(2, "x-ai/grok-4-fast", "Macro says No.", predictions("Yes", 33.34, "No", 66.66))
                .insert();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void json_transcript_lists_messages_without_audio_fields_by_default() {
        TestResponse response = server.http().get("/api/debate/" + completed + "/transcript");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("debate_id").asText()).isEqualTo(completed);
        assertThat(body.path("market_question").asText()).isEqualTo("Will Bitcoin reach $100k in 2025?");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("created_at").asText()).isEqualTo("2026-11-28T10:00:00.000Z");
        assertThat(body.path("completed_at").asText()).isEqualTo("2026-11-28T10:03:00.000Z");
        assertThat(body.path("messages")).hasSize(4);
        JsonNode first = body.path("messages").get(0);
        assertThat(first.path("model_name").asText()).isEqualTo("Anthropic: Claude Haiku 4.5");
        assertThat(first.path("message_type").asText()).isEqualTo("initial");
        assertThat(first.path("predictions").toString()).isEqualTo("{\"Yes\":55.0,\"No\":45.0}");
        assertThat(first.has("audio_url")).isFalse();
        assertThat(first.has("audio_duration")).isFalse();
        assertThat(first.has("audio_error")).isFalse();
    }

    @Test
    void json_transcript_with_include_audio_carries_the_audio_fields() {
        JsonNode first = server.http().get("/api/debate/" + completed + "/transcript?format=json&include_audio=TRUE")
                .json().path("messages").get(0);

        assertThat(first.path("audio_url").asText()).isEqualTo("/api/audio/first.mp3");
        assertThat(first.path("audio_duration").asDouble()).isEqualTo(1.6);
        assertThat(first.has("audio_error")).isTrue();
    }

    @Test
    void text_transcript_is_an_attachment_in_the_documented_layout() {
        TestResponse response = server.http().get("/api/debate/" + completed + "/transcript?format=txt&include_audio=true");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElseThrow()).isEqualToIgnoringWhitespace("text/plain; charset=utf-8");
        assertThat(response.header("Content-Disposition"))
                .contains("attachment; filename=\"debate-" + completed + ".txt\"");
        assertThat(response.body()).isEqualTo("""
                PolyDebate transcript
                Market: Will Bitcoin reach $100k in 2025?
                Date: 2026-11-28
                Status: completed
                Duration: 3 minutes

                === ROUND 1: INITIAL ===

                [Anthropic: Claude Haiku 4.5]
                ETF flows favour Yes.
                PREDICTION: Yes 55%, No 45%
                AUDIO: /api/audio/first.mp3

                [xAI: Grok 4 Fast]
                Too early to tell.

                === ROUND 2: FINAL ===

                [Anthropic: Claude Haiku 4.5]
                Still Yes.
                PREDICTION: Yes 58.5%, No 41.5%

                [xAI: Grok 4 Fast]
                Macro says No.
                PREDICTION: Yes 33.34%, No 66.66%

                """);
    }

    @Test
    void a_running_debate_has_a_transcript_of_its_messages_so_far_without_duration() {
        String running = TestDebates.debate(server.jdbi(), null).status("in_progress").rounds(3).currentRound(1)
                .completedAt(null)
                .message(1, "openai/gpt-4o-mini", "Opening words.", predictions("Yes", 60.0, "No", 40.0))
                .insert();

        TestResponse text = server.http().get("/api/debate/" + running + "/transcript?format=txt");
        JsonNode json = server.http().get("/api/debate/" + running + "/transcript").json();

        assertThat(text.status()).isEqualTo(200);
        assertThat(text.body()).contains("Status: in_progress\n\n=== ROUND 1: INITIAL ===").doesNotContain("Duration:")
                .contains("[OpenAI: GPT-4o-mini]\nOpening words.\nPREDICTION: Yes 60%, No 40%\n");
        assertThat(json.path("completed_at").isNull()).isTrue();
        assertThat(json.path("messages")).hasSize(1);
    }

    @Test
    void an_unknown_format_answers_400_validation_error() {
        TestResponse response = server.http().get("/api/debate/" + completed + "/transcript?format=pdf");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("validation_error");
        assertThat(response.json().path("error").path("details").path("format").asText()).contains("json");
    }

    @Test
    void transcripts_of_unknown_or_malformed_ids_answer_404() {
        assertThat(server.http().get("/api/debate/00000000-0000-4000-8000-000000000000/transcript?format=txt")
                .errorCode()).isEqualTo("debate_not_found");
        assertThat(server.http().get("/api/debate/x%22y/transcript?format=txt").status()).isEqualTo(404);
    }
}
