package com.polydebate.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.debates.MessageView;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The summary built without Gemini (§12.3): only counts, the models' own predictions, their own texts and
 * the stored odds — it states nothing the debate data does not show.
 */
final class LocalSummary {
    private LocalSummary() {
    }

    static ObjectNode build(ObjectMapper mapper, StoredDebate debate, Map<String, FinalPrediction> finals,
                            Map<String, Integer> odds) {
        List<String> outcomes = debate.outcomeNames();
        Map<String, Integer> average = Statistics.average(outcomes, finals.values());
        ObjectNode summary = mapper.createObjectNode();
        summary.put("overall", overall(debate, average, odds));

        Map<String, String> names = new LinkedHashMap<>();
        debate.models().forEach(m -> names.put(m.modelId(), m.modelName()));
        debate.messages().forEach(m -> names.putIfAbsent(m.modelId(), m.modelName()));
        Map<String, String> topOutcome = new LinkedHashMap<>();
        finals.forEach((modelId, prediction) -> {
            if (!prediction.predictions().isEmpty()) {
                topOutcome.put(modelId, top(prediction.predictions(), outcomes));
            }
        });
        Set<String> tops = new LinkedHashSet<>(topOutcome.values());
        ArrayNode agreements = summary.putArray("agreements");
        ArrayNode disagreements = summary.putArray("disagreements");
        if (tops.size() == 1) {
            agreements.add("All models ranked " + tops.iterator().next() + " as the most likely outcome.");
        } else if (tops.size() > 1) {
            ObjectNode disagreement = disagreements.addObject();
            disagreement.put("topic", "Most likely outcome");
            ObjectNode positions = disagreement.putObject("positions");
            topOutcome.forEach((modelId, outcome) -> positions.put(names.get(modelId), outcome + " at "
                    + SummaryPrompt.plain(finals.get(modelId).predictions().get(outcome)) + "%"));
        }
        summary.put("consensus", consensus(outcomes, average, odds));

        ArrayNode rationales = summary.putArray("model_rationales");
        finals.forEach((modelId, prediction) -> {
            List<MessageView> own = debate.messages().stream()
                    .filter(m -> m.modelId().equals(modelId)).toList();
            ObjectNode rationale = rationales.addObject();
            rationale.put("model", names.get(modelId));
            ObjectNode finalPrediction = rationale.putObject("final_prediction");
            prediction.predictions().forEach(finalPrediction::put);
            rationale.put("rationale", own.get(own.size() - 1).text());
            ArrayNode arguments = rationale.putArray("key_arguments");
            own.subList(Math.max(0, own.size() - 3), own.size()).forEach(m -> arguments.add(m.text()));
        });
        return summary;
    }

    private static String overall(StoredDebate debate, Map<String, Integer> average, Map<String, Integer> odds) {
        int models = debate.models().size();
        int messages = debate.messages().size();
        int rounds = debate.messages().stream().mapToInt(MessageView::round).max().orElse(0);
        String text = models + (models == 1 ? " AI model" : " AI models") + " debated \""
                + debate.row().marketQuestion() + "\" over " + rounds + (rounds == 1 ? " round" : " rounds")
                + " (" + messages + (messages == 1 ? " message" : " messages") + ").";
        if (average.isEmpty()) {
            return text + " No predictions were produced.";
        }
        String favourite = null;
        for (Map.Entry<String, Integer> entry : average.entrySet()) {
            if (favourite == null || entry.getValue() > average.get(favourite)) {
                favourite = entry.getKey();
            }
        }
        text += " Their average final forecast favours " + favourite + " at " + average.get(favourite) + "%";
        Integer market = odds.get(favourite);
        return text + (market == null ? "." : ", against " + market + "% on Polymarket.");
    }

    private static String consensus(List<String> outcomes, Map<String, Integer> average, Map<String, Integer> odds) {
        if (average.isEmpty() || outcomes.isEmpty()) {
            return "No predictions were produced.";
        }
        String main = outcomes.get(0);
        Integer avg = average.get(main);
        Integer market = odds.get(main);
        if (avg == null) {
            return "No model gave a forecast for " + main + ".";
        }
        if (market == null) {
            return "Average AI forecast for " + main + ": " + avg + "%.";
        }
        return "Average AI forecast for " + main + ": " + avg + "% vs " + market + "% on Polymarket ("
                + Statistics.delta(avg, market) + ").";
    }

    /** The highest value, the first in outcome order on ties. */
    static String top(Map<String, Double> predictions, List<String> outcomes) {
        String best = null;
        for (String outcome : FinalPrediction.orderedKeys(predictions, outcomes)) {
            if (best == null || predictions.get(outcome) > predictions.get(best)) {
                best = outcome;
            }
        }
        return best;
    }
}
