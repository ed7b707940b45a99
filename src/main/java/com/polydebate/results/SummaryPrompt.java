package com.polydebate.results;

import com.polydebate.debates.MessageView;
import com.polydebate.debates.OutcomeFilter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The Gemini prompt of §12.3, built only from the debate's own data. */
final class SummaryPrompt {
    private SummaryPrompt() {
    }

    static String build(StoredDebate debate) {
        StringBuilder p = new StringBuilder();
        p.append("You are summarising a structured debate between AI models about a prediction market.\n\n");
        p.append("Market question: ").append(debate.row().marketQuestion()).append('\n');
        String description = debate.row().marketDescription();
        p.append("Market description: ").append(description == null || description.isBlank() ? "(none)" : description)
                .append("\n\n");
        p.append("Outcomes with current market odds:\n");
        for (StoredDebate.StoredOutcome outcome : OutcomeFilter.apply(debate.outcomes())) {
            p.append("- ").append(outcome.name())
                    .append(String.format(Locale.ROOT, " (%.1f%%)", outcome.price() * 100)).append('\n');
        }
        List<String> names = debate.models().stream().map(StoredDebate.Model::modelName).toList();
        p.append("\nParticipating models: ").append(String.join(", ", names)).append("\n\n");
        p.append("Transcript, grouped by model:\n");
        Map<String, List<MessageView>> byModel = new LinkedHashMap<>();
        debate.models().forEach(m -> byModel.put(m.modelName(), new ArrayList<>()));
        debate.messages().forEach(m -> byModel.computeIfAbsent(m.modelName(), k -> new ArrayList<>()).add(m));
        byModel.forEach((model, messages) -> {
            if (messages.isEmpty()) {
                return;
            }
            p.append("\n## ").append(model).append('\n');
            for (MessageView message : messages) {
                p.append("Round ").append(message.round()).append(": ").append(message.text()).append('\n');
                if (!message.predictions().isEmpty()) {
                    p.append("Predictions: ").append(predictionText(message.predictions())).append('\n');
                }
            }
        });
        p.append("""

                Return ONLY one JSON object, with no text before or after it, in exactly this structure:
                {
                  "overall": "<two or three sentences summarising the debate>",
                  "agreements": ["<a point the models agreed on>"],
                  "disagreements": [{"topic": "<what they disagreed about>", "positions": {"<model name>": "<its position>"}}],
                  "consensus": "<one sentence on the consensus forecast, or the lack of one>",
                  "model_rationales": [{"model": "<model name>", "final_prediction": {"<outcome name>": <percentage>}, "rationale": "<its reasoning in one or two sentences>", "key_arguments": ["<argument>", "<argument>", "<argument>"]}]
                }
                Rules:
                - Give one model_rationales entry per participating model that spoke, using the model names above.
                - final_prediction is that model's prediction from its last round, with the exact outcome names.
                - key_arguments holds about three short arguments the model actually made.
                - Ground every statement in the transcript above; do not invent facts, numbers or quotes.
                - Name real agreements and real disagreements between the models; use empty lists when there are none.
                """);
        return p.toString();
    }

    static String predictionText(Map<String, Double> predictions) {
        return predictions.entrySet().stream()
                .map(e -> e.getKey() + ": " + plain(e.getValue()) + "%")
                .collect(Collectors.joining(", "));
    }

    /** 60.0 → "60", 58.50 → "58.5". */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
