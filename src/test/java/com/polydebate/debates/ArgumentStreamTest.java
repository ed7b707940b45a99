package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentStreamTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ARGUMENT = "Quote \"this\", a back\\slash, a tab\there,\nca\u00f1\u00f3n \uD83D\uDE80 end.";

    /** Every prefix the stream shows while fed one character at a time. */
    private static List<String> shownWhileFedCharByChar(String answer) {
        ArgumentStream stream = new ArgumentStream();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < answer.length(); i++) {
            shown.add(stream.feed(String.valueOf(answer.charAt(i))).toString());
        }
        return shown;
    }

    @Test
    void escapes_cut_anywhere_decode_to_the_argument_and_nothing_half_decoded_is_ever_shown() {
        ObjectNode answer = MAPPER.createObjectNode().put("argument", ARGUMENT);
        answer.putObject("predictions").put("Yes", 60).put("No", 40);
        // Jackson escapes non-ASCII only on request: ask for \\u escapes so they are cut too.
        String json = answer.toString().replace("\u00f1", "\\u00f1").replace("\uD83D\uDE80", "\\ud83d\\ude80");
        List<String> shown = shownWhileFedCharByChar(json);
        assertThat(shown.get(shown.size() - 1)).isEqualTo(ARGUMENT);
        for (String prefix : shown) {
            assertThat(ARGUMENT).startsWith(prefix);
            assertThat(prefix).doesNotContain("\\u").doesNotContain("predictions");
        }
    }

    @Test
    void text_around_the_object_and_an_answer_without_an_argument_show_nothing_else() {
        assertThat(shownWhileFedCharByChar("```json\n{\"argument\": \"Fenced.\"}\n```"))
                .last().isEqualTo("Fenced.");
        assertThat(shownWhileFedCharByChar("Plain text, no JSON at all.")).allMatch(String::isEmpty);
        assertThat(shownWhileFedCharByChar("{\"predictions\": {\"Yes\": 50}}")).allMatch(String::isEmpty);
    }
}
