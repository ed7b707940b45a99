package com.polydebate.results;

import java.util.List;
import java.util.Locale;

/** The outcome filter of §11.3, applied before the Gemini prompt like before every model prompt. */
final class OutcomeFilter {
    private OutcomeFilter() {
    }

    static List<StoredDebate.StoredOutcome> apply(List<StoredDebate.StoredOutcome> outcomes) {
        List<StoredDebate.StoredOutcome> kept = outcomes.stream().filter(o -> !dropped(o)).toList();
        return kept.isEmpty() ? outcomes : kept;
    }

    static boolean dropped(StoredDebate.StoredOutcome outcome) {
        String name = outcome.name().toLowerCase(Locale.ROOT);
        if (name.contains("placeholder")) {
            return true;
        }
        if (outcome.volume() != null && zeroOrNotANumber(outcome.volume())) {
            return true;
        }
        if (outcome.shares() != null && zeroOrNotANumber(outcome.shares())) {
            return true;
        }
        if (outcome.priceChange24h() != null && outcome.priceChange24h() == 0.0) {
            return true;
        }
        return name.equals("other") && outcome.price() == 0.5
                && (outcome.shares() == null || zeroOrNotANumber(outcome.shares()));
    }

    private static boolean zeroOrNotANumber(String value) {
        try {
            double parsed = Double.parseDouble(value.trim());
            return parsed == 0.0 || Double.isNaN(parsed);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
