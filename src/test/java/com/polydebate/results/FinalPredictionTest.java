package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FinalPredictionTest {
    private static final List<String> OUTCOMES = List.of("Yes", "No");

    @Test
    void uses_the_first_and_last_messages_that_have_predictions() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55)
                .model("a/a", "A").model("b/b", "B")
                .message(1, "a/a", "no numbers.")
                .message(1, "b/b", "b.", "Yes", 10, "No", 90)
                .message(2, "a/a", "first.", "Yes", 55, "No", 45)
                .message(3, "a/a", "last.", "Yes", 58.5, "No", 41.5)
                .message(4, "a/a", "empty again.")
                .build();

        Map<String, FinalPrediction> finals = FinalPrediction.compute(debate.models(), debate.messages(), OUTCOMES);

        assertThat(finals).containsOnlyKeys("a/a", "b/b");
        FinalPrediction a = finals.get("a/a");
        assertThat(a.predictions()).containsExactly(Map.entry("Yes", 58.5), Map.entry("No", 41.5));
        assertThat(a.initialPredictions()).containsExactly(Map.entry("Yes", 55.0), Map.entry("No", 45.0));
        assertThat(a.change()).isEqualTo("+3.50% Yes after debate");
        assertThat(finals.get("b/b").change()).isEqualTo("No change, maintained position");
    }

    @Test
    void models_without_messages_are_absent_and_models_without_predictions_say_so() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).model("a/a", "A").model("silent/x", "S")
                .message(1, "a/a", "words only.").build();

        Map<String, FinalPrediction> finals = FinalPrediction.compute(debate.models(), debate.messages(), OUTCOMES);

        assertThat(finals).containsOnlyKeys("a/a");
        assertThat(finals.get("a/a").predictions()).isEmpty();
        assertThat(finals.get("a/a").initialPredictions()).isEmpty();
        assertThat(finals.get("a/a").change()).isEqualTo("Predictions not available");
    }

    @Test
    void change_follows_the_outcome_favoured_at_the_end_with_its_sign() {
        assertThat(FinalPrediction.change(Map.of("Yes", 60.0, "No", 40.0), Map.of("Yes", 70.0, "No", 30.0), OUTCOMES))
                .isEqualTo("-10.00% Yes after debate");
        assertThat(FinalPrediction.change(Map.of("Yes", 40.0, "No", 60.0), Map.of("Yes", 60.0, "No", 40.0), OUTCOMES))
                .isEqualTo("+20.00% No after debate");
        assertThat(FinalPrediction.change(Map.of("Yes", 30.0, "No", 70.0), Map.of("Yes", 100.0), OUTCOMES))
                .isEqualTo("+70.00% No after debate");
    }

    @Test
    void ties_pick_the_first_outcome_in_outcome_order() {
        assertThat(FinalPrediction.change(Map.of("No", 50.0, "Yes", 50.0), Map.of("Yes", 40.0, "No", 60.0), OUTCOMES))
                .isEqualTo("+10.00% Yes after debate");
    }
}
