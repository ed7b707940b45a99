package com.polydebate.debates;

import java.util.List;
import java.util.Locale;

/** §11.3: the outcomes worth prompting about; the whole list when the filter would leave nothing. */
final class OutcomeFilter {
    private OutcomeFilter() {
    }

    static List<StoredOutcome> apply(List<StoredOutcome> outcomes) {
        List<StoredOutcome> kept = outcomes.stream().filter(o -> !dropped(o)).toList();
        return kept.isEmpty() ? outcomes : kept;
    }

    private static boolean dropped(StoredOutcome o) {
        String name = o.name() == null ? "" : o.name();
        if (name.toLowerCase(Locale.ROOT).contains("placeholder")) {
            return true;
        }
        if (o.volume() != null && !positive(o.volume())) {
            return true;
        }
        if (o.shares() != null && !positive(o.shares())) {
            return true;
        }
        if (o.priceChange24h() != null && o.priceChange24h() == 0.0) {
            return true;
        }
        return name.strip().equalsIgnoreCase("other") && o.price() == 0.5
                && (o.shares() == null || !positive(o.shares()));
    }

    private static boolean positive(String number) {
        try {
            double value = Double.parseDouble(number.strip());
            return !Double.isNaN(value) && value != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
