package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.support.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextAndPredictionsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AnswerParser parser = new AnswerParser(MAPPER);

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static String clean(String text) {
        return TextCleaner.clean(text, text).orElseThrow();
    }

    @Test
    void the_sentence_splitter_keeps_decimal_percentages_intact() {
        assertThat(clean("Odds sit at 39.78% and rose 3.5% this week. Next sentence here."))
                .isEqualTo("Odds sit at 39.78% and rose 3.5% this week.");
        assertThat(clean("Really?! Yes.")).isEqualTo("Really?!");
        assertThat(clean("No terminator at all")).isEqualTo("No terminator at all.");
        assertThat(clean("Ends with 3.5%")).isEqualTo("Ends with 3.5%.");
    }

    @Test
    void markdown_html_and_json_residue_are_removed() {
        assertThat(clean("**Bold** and *italic* with `code` and [a link](http://x.y) <b>tag</b>."))
                .isEqualTo("Bold and italic with code and a link tag.");
        assertThat(clean("Before ```json {\"a\":1}``` after.")).isEqualTo("Before after.");
        assertThat(clean("{\"argument\": \"Yes leads at 55%.\", \"predictions\": {\"Yes\": 55}}"))
                .isEqualTo("Yes leads at 55%.");
        assertThat(clean("argument: The market is wrong\",}")).isEqualTo("The market is wrong.");
        assertThat(clean("  lots   of\n\nspace  ")).isEqualTo("lots of space.");
    }

    @Test
    void empty_clean_text_falls_back_to_the_raw_content_or_nothing() {
        assertThat(TextCleaner.clean("```x```", "raw   content")).contains("raw content");
        assertThat(TextCleaner.clean("", "  ")).isEmpty();
    }

    @Test
    void parser_reads_whole_json_fenced_json_balanced_objects_and_salvages_truncation() {
        assertThat(parser.parse("{\"argument\": \"A.\", \"predictions\": {\"Yes\": 60}}").predictions().path("Yes").asInt())
                .isEqualTo(60);
        AnswerParser.Answer fenced = parser.parse("Here:\n```\n{\"argument\": \"B.\", \"predictions\": {\"No\": 40}}\n```");
        assertThat(fenced.argument()).isEqualTo("B.");
        AnswerParser.Answer balanced = parser.parse(
                "Sure {\"argument\": \"C with {braces} in \\\"text\\\".\", \"predictions\": {\"Yes\": 1}} trailing }");
        assertThat(balanced.argument()).isEqualTo("C with {braces} in \"text\".");
        AnswerParser.Answer salvaged = parser.parse(
                "{\"argument\": \"Cut \\\"short\\\" here\", \"predictions\": {\"Yes\": 70, \"No\": 30}, \"extra\": [");
        assertThat(salvaged.argument()).isEqualTo("Cut \"short\" here");
        assertThat(salvaged.predictions().path("No").asInt()).isEqualTo(30);
        AnswerParser.Answer noClosingQuote = parser.parse("{\"argument\": \"Running out of tok");
        assertThat(noClosingQuote.argument()).isEqualTo("Running out of tok");
        assertThat(noClosingQuote.predictions().isEmpty()).isTrue();
        AnswerParser.Answer nonString = parser.parse("{\"argument\": 42, \"predictions\": [1]}");
        assertThat(nonString.argument()).isEqualTo("42");
        assertThat(nonString.predictions().isEmpty()).isTrue();
    }

    @Test
    void recorded_completions_without_json_become_plain_argument_text() throws Exception {
        for (String fixture : List.of("openrouter/chat-completion.json", "openrouter/chat-completion-reasoning.json")) {
            String content = json(Fixtures.text(fixture)).path("choices").get(0).path("message").path("content").asText();
            AnswerParser.Answer answer = parser.parse(content);
            assertThat(answer.argument()).isEqualTo(content);
            assertThat(answer.predictions().isEmpty()).isTrue();
            String text = TextCleaner.clean(answer.argument(), content).orElseThrow();
            assertThat(text).doesNotContain("\n");
            assertThat(text).matches("(?s).*[.!?]$");
        }
        String reasoning = json(Fixtures.text("openrouter/chat-completion-reasoning.json"))
                .path("choices").get(0).path("message").path("content").asText();
        assertThat(TextCleaner.clean(reasoning, reasoning).orElseThrow()).isEqualTo(
                "Here’s a concise but thorough overview of Mars — the fourth planet from the Sun and Earth’s most "
                        + "studied neighbor.");
        String joke = json(Fixtures.text("openrouter/chat-completion.json"))
                .path("choices").get(0).path("message").path("content").asText();
        assertThat(TextCleaner.clean(joke, joke).orElseThrow()).isEqualTo("Why did the train break up with the track?");
    }

    @Test
    void contract_examples_of_prediction_normalisation_hold() throws Exception {
        assertThat(Predictions.normalise(json("{\"yes\": 0.62, \"No\": 0.38}"), List.of("Yes", "No")))
                .containsExactly(Map.entry("Yes", 62.0), Map.entry("No", 38.0));
        assertThat(Predictions.normalise(json("{\"A\": 33.333, \"B\": 33.333, \"C\": 33.333}"), List.of("A", "B", "C")))
                .containsExactly(Map.entry("A", 33.34), Map.entry("B", 33.33), Map.entry("C", 33.33));
        assertThat(Predictions.normalise(json("{\"Outcome 1\": 50, \"Yes\": 50}"), List.of("Yes", "No")))
                .containsExactly(Map.entry("Yes", 100.0));
    }

    @Test
    void predictions_coerce_values_drop_placeholders_and_keep_outcome_order() throws Exception {
        Map<String, Double> result = Predictions.normalise(json(
                "{\"No\": \"40%\", \" yes \": 60, \"placeholder-x\": 10, \"Maybe\": true, \"YES\": 99}"),
                List.of("Yes", "No", "Maybe"));
        assertThat(result).containsExactly(Map.entry("Yes", 60.0), Map.entry("No", 40.0), Map.entry("Maybe", 0.0));
        assertThat(Predictions.normalise(json("{\"Yes\": -5, \"No\": null}"), List.of("Yes", "No"))).isEmpty();
        assertThat(Predictions.normalise(json("{}"), List.of("Yes"))).isEmpty();
        Map<String, Double> thirds = Predictions.normalise(json("{\"A\": 1, \"B\": 1, \"C\": 1}"), List.of("C", "B", "A"));
        assertThat(thirds).containsExactly(Map.entry("C", 33.34), Map.entry("B", 33.33), Map.entry("A", 33.33));
        Map<String, Double> sevenths = Predictions.normalise(json(
                "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1}"), List.of("a", "b", "c", "d", "e", "f", "g"));
        assertThat(sevenths.values().stream().map(java.math.BigDecimal::valueOf)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add)).isEqualByComparingTo("100.00");
    }

    @Test
    void the_outcome_filter_drops_placeholders_zero_volume_and_fake_other_but_never_everything() {
        StoredOutcome yes = new StoredOutcome("Yes", "s", 0.4, "100", null, null, null);
        StoredOutcome placeholder = new StoredOutcome("Placeholder 3", "s", 0.1, "100", null, null, null);
        StoredOutcome noShares = new StoredOutcome("Nope", "s", 0.1, "0", null, null, null);
        StoredOutcome flat = new StoredOutcome("Flat", "s", 0.1, "5", null, 0.0, null);
        StoredOutcome other = new StoredOutcome("Other", "s", 0.5, null, null, null, null);
        StoredOutcome noVolume = new StoredOutcome("Quiet", "s", 0.1, "5", "abc", null, null);

        assertThat(OutcomeFilter.apply(List.of(yes, placeholder, noShares, flat, other, noVolume))).containsExactly(yes);
        assertThat(OutcomeFilter.apply(List.of(placeholder, noShares))).containsExactly(placeholder, noShares);
    }

    @Test
    void max_tokens_follow_the_contract_formula() {
        assertThat(PromptBuilder.maxTokens(2)).isEqualTo(1000);
        assertThat(PromptBuilder.maxTokens(16)).isEqualTo(1000);
        assertThat(PromptBuilder.maxTokens(17)).isEqualTo(1100);
        assertThat(PromptBuilder.maxTokens(30)).isEqualTo(1600);
        assertThat(PromptBuilder.maxTokens(200)).isEqualTo(4000);
    }

    @Test
    void prompts_quote_outcomes_and_earlier_messages_sorted_by_value() {
        List<StoredOutcome> outcomes = List.of(new StoredOutcome("Yes", "s", 0.455, "1", null, null, null),
                new StoredOutcome("No", "s", 0.545, "1", null, null, null));
        Map<String, Double> predictions = new LinkedHashMap<>();
        predictions.put("Yes", 30.0);
        predictions.put("No", 70.0);
        List<PromptBuilder.ChatMessage> messages = PromptBuilder.build("Q?", "D", outcomes, 3, 3, false,
                List.of(new ContextMessage("Model A", "Text.", predictions)));

        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).content()).contains("1. Yes (45.5%)", "\"Yes\", \"No\"", "final round");
        assertThat(messages.get(1).role()).isEqualTo("assistant");
        assertThat(messages.get(1).content()).startsWith("[Model A]: Text.\nPredictions: No: 70%, Yes: 30%");
        assertThat(messages.get(2).content()).contains("final forecast", "all 2 outcomes");
    }

    @Test
    void a_blind_round_one_prompt_says_the_model_answers_alone_and_a_sighted_one_invites_the_discussion() {
        List<StoredOutcome> outcomes = List.of(new StoredOutcome("Yes", "s", 0.455, "1", null, null, null),
                new StoredOutcome("No", "s", 0.545, "1", null, null, null));

        List<PromptBuilder.ChatMessage> blind = PromptBuilder.build("Q?", "D", outcomes, 1, 3, true, List.of());
        List<PromptBuilder.ChatMessage> sighted = PromptBuilder.build("Q?", "D", outcomes, 1, 3, false, List.of());

        assertThat(blind).hasSize(2);
        assertThat(blind.get(0).content()).contains("This is round 1 of 3.", "forecasts independently",
                "your own analysis of the market").doesNotContain("discussion so far");
        assertThat(blind.get(1).content()).contains("opening argument", "all 2 outcomes");
        assertThat(sighted.get(0).content()).contains("discussion so far").doesNotContain("independently");
        assertThat(sighted.get(1).content()).isEqualTo(blind.get(1).content());
    }

    @Test
    void mp3_duration_is_measured_from_frame_headers_after_an_id3_tag() {
        byte[] frames = DebateHarness.mp3(100);
        assertThat(Mp3Duration.of(frames)).contains(2.6);
        byte[] tagged = new byte[20 + frames.length];
        tagged[0] = 'I';
        tagged[1] = 'D';
        tagged[2] = '3';
        tagged[3] = 4;
        tagged[9] = 10;
        System.arraycopy(frames, 0, tagged, 20, frames.length);
        assertThat(Mp3Duration.of(tagged)).contains(2.6);
        assertThat(Mp3Duration.of("not an mp3 at all".getBytes())).isEmpty();
        assertThat(Mp3Duration.of(new byte[0])).isEmpty();
        byte[] mpeg2 = new byte[208 * 20];
        for (int f = 0; f < 20; f++) {
            // MPEG-2 Layer III, 64 kbit/s, 22.05 kHz: 72 * 64000 / 22050 = 208 bytes, 576 samples per frame
            mpeg2[f * 208] = (byte) 0xFF;
            mpeg2[f * 208 + 1] = (byte) 0xF3;
            mpeg2[f * 208 + 2] = (byte) 0x80;
        }
        assertThat(Mp3Duration.of(java.util.Arrays.copyOf(mpeg2, 208 * 13))).contains(0.3);
    }
}
