package com.polydebate.debates;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prediction normalisation of §11.8: matched to the prompted outcomes, exactly 100.00 in total. */
final class Predictions {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Predictions() {
    }

    /** Canonical outcome name → percentage with 2 decimals, in outcome order; empty when nothing usable. */
    static Map<String, Double> normalise(JsonNode predictions, List<String> outcomeNames) {
        Map<String, BigDecimal> matched = new LinkedHashMap<>();
        if (predictions != null && predictions.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = predictions.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.toLowerCase(Locale.ROOT).contains("placeholder")) {
                    continue;
                }
                String outcome = match(key, outcomeNames);
                if (outcome != null && !matched.containsKey(outcome)) {
                    matched.put(outcome, coerce(field.getValue()));
                }
            }
        }
        BigDecimal sum = matched.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (matched.isEmpty() || sum.signum() == 0) {
            return Map.of();
        }
        Map<String, BigDecimal> scaled = new LinkedHashMap<>();
        for (String name : outcomeNames) {
            BigDecimal value = matched.get(name);
            if (value != null) {
                scaled.put(name, value.multiply(HUNDRED).divide(sum, 2, RoundingMode.HALF_UP));
            }
        }
        BigDecimal total = scaled.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal residual = HUNDRED.subtract(total).setScale(2, RoundingMode.HALF_UP);
        if (residual.signum() != 0) {
            String largest = null;
            for (Map.Entry<String, BigDecimal> entry : scaled.entrySet()) {
                if (largest == null || entry.getValue().compareTo(scaled.get(largest)) > 0) {
                    largest = entry.getKey();
                }
            }
            scaled.put(largest, scaled.get(largest).add(residual));
        }
        Map<String, Double> result = new LinkedHashMap<>();
        scaled.forEach((name, value) -> result.put(name, value.doubleValue()));
        return result;
    }

    private static String match(String key, List<String> outcomeNames) {
        if (outcomeNames.contains(key)) {
            return key;
        }
        String wanted = key.strip();
        for (String name : outcomeNames) {
            if (name.strip().equalsIgnoreCase(wanted)) {
                return name;
            }
        }
        return null;
    }

    private static BigDecimal coerce(JsonNode value) {
        double number;
        if (value.isNumber()) {
            number = value.doubleValue();
        } else if (value.isTextual()) {
            String text = value.asText().strip();
            if (text.endsWith("%")) {
                text = text.substring(0, text.length() - 1).strip();
            }
            try {
                number = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                number = 0;
            }
        } else {
            number = 0;
        }
        if (Double.isNaN(number) || Double.isInfinite(number) || number < 0) {
            return BigDecimal.ZERO;
        }
        return new BigDecimal(Double.toString(number));
    }
}
