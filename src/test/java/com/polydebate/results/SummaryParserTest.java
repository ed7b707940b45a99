package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.http.Json;
import org.junit.jupiter.api.Test;

class SummaryParserTest {
    private final SummaryParser parser = new SummaryParser(Json.newMapper());

    @Test
    void reads_the_content_of_a_fenced_block() {
        ObjectNode summary = parser.parse("Here you go:\n```json\n{\"overall\": \"Fine.\", \"consensus\": \"Yes wins.\"}\n```\nBye {x}")
                .orElseThrow();

        assertThat(summary.path("overall").asText()).isEqualTo("Fine.");
        assertThat(summary.path("consensus").asText()).isEqualTo("Yes wins.");
    }

    @Test
    void without_a_fence_takes_the_first_to_the_last_brace() {
        ObjectNode summary = parser.parse("Sure! {\"overall\": \"A {nested} word.\", \"agreements\": [\"x\"]} done")
                .orElseThrow();

        assertThat(summary.path("overall").asText()).isEqualTo("A {nested} word.");
        assertThat(summary.path("agreements").get(0).asText()).isEqualTo("x");
    }

    @Test
    void text_without_an_object_is_unparseable() {
        assertThat(parser.parse("Hello! How can I help you today?")).isEmpty();
        assertThat(parser.parse("[1, 2]")).isEmpty();
        assertThat(parser.parse("{\"overall\": ")).isEmpty();
    }

    @Test
    void missing_keys_get_defaults_and_blank_or_wrong_types_are_replaced() {
        ObjectNode summary = parser.parse("{\"overall\": \"  \", \"consensus\": 42, \"agreements\": \"one\"}").orElseThrow();

        assertThat(summary.path("overall").asText()).isEqualTo(SummaryParser.DEFAULT_OVERALL);
        assertThat(summary.path("consensus").asText()).isEqualTo(SummaryParser.DEFAULT_CONSENSUS);
        assertThat(summary.path("agreements").isArray()).isTrue();
        assertThat(summary.path("agreements")).isEmpty();
        assertThat(summary.path("disagreements")).isEmpty();
        assertThat(summary.path("model_rationales")).isEmpty();
    }

    @Test
    void list_items_the_frontend_would_crash_on_are_dropped_or_repaired() {
        ObjectNode summary = parser.parse("""
                {"agreements": ["keep", 3, {"x": 1}, null],
                 "disagreements": [null, {"topic": ""}, {"topic": 5}, {"topic": "Odds", "positions": ["a"]},
                                   {"topic": "Timing", "positions": {"A": "early", "B": 7, "C": {"x": 1}}}],
                 "model_rationales": [null, {"model": ""}, {"model": "GPT", "rationale": {"x": 1},
                   "key_arguments": "one string", "final_prediction": [1]},
                   {"model": "Claude", "rationale": "Because.", "key_arguments": ["a", 2, "b"],
                    "final_prediction": {"Yes": 60}}]}
                """).orElseThrow();

        assertThat(summary.path("agreements")).hasSize(1);
        assertThat(summary.path("agreements").get(0).asText()).isEqualTo("keep");
        assertThat(summary.path("disagreements")).hasSize(2);
        assertThat(summary.path("disagreements").get(0).path("topic").asText()).isEqualTo("Odds");
        assertThat(summary.path("disagreements").get(0).path("positions").isObject()).isTrue();
        assertThat(summary.path("disagreements").get(0).path("positions")).isEmpty();
        assertThat(summary.path("disagreements").get(1).path("positions").toString())
                .isEqualTo("{\"A\":\"early\",\"B\":\"7\"}");
        assertThat(summary.path("model_rationales")).hasSize(2);
        var gpt = summary.path("model_rationales").get(0);
        assertThat(gpt.path("rationale").asText()).isEmpty();
        assertThat(gpt.path("key_arguments").isArray()).isTrue();
        assertThat(gpt.path("key_arguments")).isEmpty();
        assertThat(gpt.path("final_prediction").isObject()).isTrue();
        var claude = summary.path("model_rationales").get(1);
        assertThat(claude.path("key_arguments").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(claude.path("final_prediction").path("Yes").asInt()).isEqualTo(60);
    }
}
