package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    private static StoredDebate threeModels(double yesPrice) {
        return Debates.debate().outcome("Yes", yesPrice).outcome("No", 1 - yesPrice).outcome("Maybe", 0.0)
                .model("a/a", "A").model("b/b", "B").model("c/c", "C")
                .message(1, "a/a", "A1.", "Yes", 50, "No", 50)
                .message(1, "b/b", "B1.", "Yes", 40, "No", 60)
                .message(1, "c/c", "C1.")
                .message(2, "a/a", "A2.", "Yes", 60, "No", 40)
                .message(2, "b/b", "B2.", "Yes", 55.5, "No", 30, "Maybe", 14.5)
                .message(2, "c/c", "C2.", "Yes", 70, "No", 30)
                .build();
    }

    private static Statistics stats(StoredDebate debate) {
        var finals = FinalPrediction.compute(debate.models(), debate.messages(), debate.outcomeNames());
        return Statistics.compute(debate, finals, Debates.odds(debate));
    }

    @Test
    void averages_and_medians_use_only_the_models_that_predicted_each_outcome() {
        Statistics s = stats(threeModels(0.45));

        // Yes: 60, 55.5, 70 → mean 61.83 → 62, median 60. No: 40, 30, 30 → 33.33 → 33, median 30.
        // Maybe: only 14.5 → 15 (half-up) for both.
        assertThat(s.averagePrediction()).containsExactly(Map.entry("Yes", 62), Map.entry("No", 33),
                Map.entry("Maybe", 15));
        assertThat(s.medianPrediction()).containsExactly(Map.entry("Yes", 60), Map.entry("No", 30),
                Map.entry("Maybe", 15));
    }

    @Test
    void variance_is_the_sample_variance_of_all_pooled_values_to_one_decimal() {
        // 60, 55.5, 70, 40, 30, 30, 14.5: mean 300/7, sum of squared deviations 2333.357…, / 6 = 388.89…
        assertThat(stats(threeModels(0.45)).predictionVariance()).isEqualTo(388.9);
    }

    @Test
    void delta_compares_the_average_with_the_integer_odds_of_the_first_outcome() {
        assertThat(stats(threeModels(0.45)).aiVsMarketDelta()).isEqualTo("AI models 17.0% more bullish");
        assertThat(stats(threeModels(0.70)).aiVsMarketDelta()).isEqualTo("AI models 8.0% more bearish");
        assertThat(stats(threeModels(0.62)).aiVsMarketDelta()).isEqualTo("AI aligned with market");
    }

    @Test
    void delta_is_not_available_without_a_forecast_for_the_main_outcome() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55).model("a/a", "A")
                .message(1, "a/a", "Only No.", "No", 100).build();

        assertThat(stats(debate).aiVsMarketDelta()).isEqualTo("N/A");
        assertThat(Statistics.delta(50, null)).isEqualTo("N/A");
    }

    @Test
    void averages_round_half_up() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.5).outcome("No", 0.5)
                .model("a/a", "A").model("b/b", "B")
                .message(1, "a/a", "x.", "Yes", 58, "No", 42)
                .message(1, "b/b", "y.", "Yes", 59, "No", 41)
                .build();

        Statistics s = stats(debate);

        assertThat(s.averagePrediction()).containsExactly(Map.entry("Yes", 59), Map.entry("No", 42));
        assertThat(s.medianPrediction()).containsExactly(Map.entry("Yes", 59), Map.entry("No", 42));
    }

    @Test
    void counts_duration_models_and_rounds() {
        Statistics s = stats(threeModels(0.45));

        assertThat(s.totalMessages()).isEqualTo(6);
        assertThat(s.totalDurationSeconds()).isEqualTo(180);
        assertThat(s.modelsCount()).isEqualTo(3);
        assertThat(s.roundsCompleted()).isEqualTo(2);
        assertThat(s.polymarketOdds()).containsEntry("Yes", 45).containsEntry("No", 55);
    }

    @Test
    void an_unfinished_debate_without_messages_has_zero_counts_and_empty_averages() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55).model("a/a", "A")
                .status("stopped", null).build();

        Statistics s = stats(debate);

        assertThat(s.totalDurationSeconds()).isZero();
        assertThat(s.roundsCompleted()).isZero();
        assertThat(s.averagePrediction()).isEmpty();
        assertThat(s.predictionVariance()).isZero();
        assertThat(s.aiVsMarketDelta()).isEqualTo("N/A");
    }

    @Test
    void a_single_value_has_zero_variance() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).model("a/a", "A")
                .message(1, "a/a", "x.", "Yes", 100).build();

        assertThat(stats(debate).predictionVariance()).isZero();
        assertThat(Statistics.average(List.of("Yes"), List.of())).isEmpty();
    }

    @Test
    void an_even_count_takes_the_mean_of_the_middle_values_and_halves_round_up() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55)
                .model("a/a", "A").model("b/b", "B")
                .message(1, "a/a", "A1.", "Yes", 60, "No", 40)
                .message(1, "b/b", "B1.", "Yes", 55, "No", 45)
                .build();

        Statistics s = stats(debate);

        // Yes: 60, 55 → 57.5 → 58; No: 40, 45 → 42.5 → 43 (half-up, not half-even).
        assertThat(s.averagePrediction()).containsExactly(Map.entry("Yes", 58), Map.entry("No", 43));
        assertThat(s.medianPrediction()).containsExactly(Map.entry("Yes", 58), Map.entry("No", 43));
        // 60, 55, 40, 45: mean 50, squared deviations 100 + 25 + 100 + 25 = 250, / 3 = 83.33…
        assertThat(s.predictionVariance()).isEqualTo(83.3);
        assertThat(s.aiVsMarketDelta()).isEqualTo("AI models 13.0% more bullish");
    }
}
