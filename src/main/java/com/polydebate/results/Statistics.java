package com.polydebate.results;

import com.polydebate.debates.MessageView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code statistics} block of {@code /results} (§12.2). */
record Statistics(Map<String, Integer> averagePrediction, Map<String, Integer> medianPrediction,
                  double predictionVariance, Map<String, Integer> polymarketOdds, String aiVsMarketDelta,
                  int totalMessages, long totalDurationSeconds, int modelsCount, int roundsCompleted) {

    static Statistics compute(StoredDebate debate, Map<String, FinalPrediction> finals, Map<String, Integer> odds) {
        List<String> outcomes = debate.outcomeNames();
        Map<String, Integer> average = new LinkedHashMap<>();
        Map<String, Integer> median = new LinkedHashMap<>();
        List<Double> pooled = new ArrayList<>();
        for (String outcome : outcomes) {
            List<Double> values = valuesFor(outcome, finals.values());
            if (values.isEmpty()) {
                continue;
            }
            pooled.addAll(values);
            average.put(outcome, mean(values).setScale(0, RoundingMode.HALF_UP).intValue());
            median.put(outcome, median(values).setScale(0, RoundingMode.HALF_UP).intValue());
        }
        String main = outcomes.isEmpty() ? null : outcomes.get(0);
        long duration = debate.row().durationSeconds().orElse(0L);
        int roundsCompleted = debate.messages().stream().mapToInt(MessageView::round).max().orElse(0);
        return new Statistics(average, median, sampleVariance(pooled), odds,
                delta(main == null ? null : average.get(main), main == null ? null : odds.get(main)),
                debate.messages().size(), duration, debate.models().size(), roundsCompleted);
    }

    /** Per stored outcome, the rounded mean over the models whose final predictions contain it. */
    static Map<String, Integer> average(List<String> outcomes, Collection<FinalPrediction> finals) {
        Map<String, Integer> average = new LinkedHashMap<>();
        for (String outcome : outcomes) {
            List<Double> values = valuesFor(outcome, finals);
            if (!values.isEmpty()) {
                average.put(outcome, mean(values).setScale(0, RoundingMode.HALF_UP).intValue());
            }
        }
        return average;
    }

    /** Both values are percentages already; their difference is printed with one decimal. */
    static String delta(Integer average, Integer odds) {
        if (average == null || odds == null) {
            return "N/A";
        }
        int delta = average - odds;
        if (delta == 0) {
            return "AI aligned with market";
        }
        return String.format(Locale.ROOT, "AI models %.1f%% more %s", (double) Math.abs(delta),
                delta > 0 ? "bullish" : "bearish");
    }

    private static List<Double> valuesFor(String outcome, Collection<FinalPrediction> finals) {
        List<Double> values = new ArrayList<>();
        for (FinalPrediction prediction : finals) {
            Double value = prediction.predictions().get(outcome);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    private static BigDecimal mean(List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(BigDecimal.valueOf(v));
        }
        return sum.divide(BigDecimal.valueOf(values.size()), 10, RoundingMode.HALF_UP);
    }

    private static BigDecimal median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n % 2 == 1) {
            return BigDecimal.valueOf(sorted.get(n / 2));
        }
        return BigDecimal.valueOf(sorted.get(n / 2 - 1)).add(BigDecimal.valueOf(sorted.get(n / 2)))
                .divide(BigDecimal.valueOf(2), 10, RoundingMode.HALF_UP);
    }

    private static double sampleVariance(List<Double> values) {
        if (values.size() < 2) {
            return 0.0;
        }
        BigDecimal mean = mean(values);
        BigDecimal squares = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal diff = BigDecimal.valueOf(v).subtract(mean);
            squares = squares.add(diff.multiply(diff));
        }
        return squares.divide(BigDecimal.valueOf(values.size() - 1L), 10, RoundingMode.HALF_UP)
                .setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
