package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.http.Json;
import org.junit.jupiter.api.Test;

class LocalSummaryTest {

    private static ObjectNode summary(StoredDebate debate) {
        var finals = FinalPrediction.compute(debate.models(), debate.messages(), debate.outcomeNames());
        return LocalSummary.build(Json.newMapper(), debate, finals, Debates.odds(debate));
    }

    @Test
    void models_sharing_a_favourite_are_an_agreement_not_a_disagreement() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55)
                .model("a/a", "Alpha").model("b/b", "Beta")
                .message(1, "a/a", "A one.", "Yes", 70, "No", 30)
                .message(1, "b/b", "B one.", "Yes", 55, "No", 45)
                .build();

        ObjectNode s = summary(debate);

        assertThat(s.path("agreements").get(0).asText()).isEqualTo("All models ranked Yes as the most likely outcome.");
        assertThat(s.path("disagreements")).isEmpty();
        assertThat(s.path("overall").asText()).isEqualTo("2 AI models debated \"Will it happen?\" over 1 round "
                + "(2 messages). Their average final forecast favours Yes at 63%, against 45% on Polymarket.");
        assertThat(s.path("consensus").asText())
                .isEqualTo("Average AI forecast for Yes: 63% vs 45% on Polymarket (AI models 18.0% more bullish).");
    }

    @Test
    void key_arguments_are_the_last_three_texts_in_order_and_the_rationale_the_last_one() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55).model("a/a", "Alpha")
                .message(1, "a/a", "One.", "Yes", 60, "No", 40)
                .message(2, "a/a", "Two.")
                .message(3, "a/a", "Three.", "Yes", 65, "No", 35)
                .message(4, "a/a", "Four.")
                .build();

        var rationale = summary(debate).path("model_rationales").get(0);

        assertThat(rationale.path("model").asText()).isEqualTo("Alpha");
        assertThat(rationale.path("rationale").asText()).isEqualTo("Four.");
        assertThat(rationale.path("key_arguments").toString()).isEqualTo("[\"Two.\",\"Three.\",\"Four.\"]");
        assertThat(rationale.path("final_prediction").toString()).isEqualTo("{\"Yes\":65.0,\"No\":35.0}");
    }

    @Test
    void without_predictions_it_claims_nothing_about_forecasts() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55).model("a/a", "Alpha")
                .message(1, "a/a", "Words only.")
                .build();

        ObjectNode s = summary(debate);

        assertThat(s.path("overall").asText()).isEqualTo("1 AI model debated \"Will it happen?\" over 1 round "
                + "(1 message). No predictions were produced.");
        assertThat(s.path("consensus").asText()).isEqualTo("No predictions were produced.");
        assertThat(s.path("agreements")).isEmpty();
        assertThat(s.path("disagreements")).isEmpty();
        assertThat(s.path("model_rationales").get(0).path("final_prediction")).isEmpty();
    }

    @Test
    void a_single_forecasting_model_yields_the_contract_agreement_sentence() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55).model("a/a", "Alpha")
                .model("b/b", "Beta")
                .message(1, "a/a", "A one.", "Yes", 70, "No", 30)
                .message(1, "b/b", "B only words.")
                .build();

        ObjectNode s = summary(debate);

        assertThat(s.path("agreements").toString())
                .isEqualTo("[\"All models ranked Yes as the most likely outcome.\"]");
        assertThat(s.path("disagreements")).isEmpty();
    }

    @Test
    void differing_favourites_are_one_disagreement_with_each_models_top_outcome_and_value() {
        StoredDebate debate = Debates.debate().outcome("Yes", 0.45).outcome("No", 0.55)
                .model("a/a", "Alpha").model("b/b", "Beta")
                .message(1, "a/a", "A one.", "Yes", 58.5, "No", 41.5)
                .message(1, "b/b", "B one.", "Yes", 40, "No", 60)
                .build();

        ObjectNode s = summary(debate);

        assertThat(s.path("agreements")).isEmpty();
        assertThat(s.path("disagreements").toString()).isEqualTo("[{\"topic\":\"Most likely outcome\","
                + "\"positions\":{\"Alpha\":\"Yes at 58.5%\",\"Beta\":\"No at 60%\"}}]");
        assertThat(s.path("consensus").asText())
                .isEqualTo("Average AI forecast for Yes: 49% vs 45% on Polymarket (AI models 4.0% more bullish).");
    }
}
