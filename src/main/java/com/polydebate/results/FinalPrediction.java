package com.polydebate.results;

import com.polydebate.debates.MessageView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One model's entry of {@code final_predictions} (§12.1). */
record FinalPrediction(Map<String, Double> predictions, Map<String, Double> initialPredictions, String change) {

    /**
     * Keyed by model id in selection order, for models with at least one message: the last and the first
     * message with non-empty predictions, and the change of the outcome the model ends up favouring.
     */
    static Map<String, FinalPrediction> compute(List<StoredDebate.Model> models, List<MessageView> messages,
                                                List<String> outcomeOrder) {
        Map<String, FinalPrediction> result = new LinkedHashMap<>();
        for (String modelId : modelOrder(models, messages)) {
            List<MessageView> own = messages.stream().filter(m -> m.modelId().equals(modelId)).toList();
            if (own.isEmpty()) {
                continue;
            }
            Map<String, Double> initial = Map.of();
            Map<String, Double> last = Map.of();
            for (MessageView message : own) {
                if (!message.predictions().isEmpty()) {
                    if (initial.isEmpty()) {
                        initial = message.predictions();
                    }
                    last = message.predictions();
                }
            }
            result.put(modelId, new FinalPrediction(new LinkedHashMap<>(last), new LinkedHashMap<>(initial),
                    change(last, initial, outcomeOrder)));
        }
        return result;
    }

    private static List<String> modelOrder(List<StoredDebate.Model> models, List<MessageView> messages) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        models.forEach(m -> order.add(m.modelId()));
        messages.forEach(m -> order.add(m.modelId()));
        return List.copyOf(order);
    }

    static String change(Map<String, Double> last, Map<String, Double> initial, List<String> outcomeOrder) {
        if (last.isEmpty() || initial.isEmpty()) {
            return "Predictions not available";
        }
        String top = null;
        double best = Double.NEGATIVE_INFINITY;
        for (String outcome : orderedKeys(last, outcomeOrder)) {
            double value = last.get(outcome);
            if (value > best) {
                best = value;
                top = outcome;
            }
        }
        BigDecimal d = BigDecimal.valueOf(best).subtract(BigDecimal.valueOf(initial.getOrDefault(top, 0.0)))
                .setScale(2, RoundingMode.HALF_UP);
        if (d.signum() == 0) {
            return "No change, maintained position";
        }
        String number = String.format(Locale.ROOT, "%.2f", d);
        return (d.signum() > 0 ? "+" : "") + number + "% " + top + " after debate";
    }

    /** The keys of a prediction map in outcome order; keys that are not stored outcomes come last. */
    static List<String> orderedKeys(Map<String, Double> predictions, List<String> outcomeOrder) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String outcome : outcomeOrder) {
            if (predictions.containsKey(outcome)) {
                keys.add(outcome);
            }
        }
        keys.addAll(predictions.keySet());
        return List.copyOf(keys);
    }
}
