package com.polydebate.debates;

import java.util.List;
import java.util.Locale;

/**
 * §11.3: the outcomes worth prompting about; the whole list when the filter would leave nothing. Used before
 * every model prompt and, by the results feature, before the summary prompt.
 */
public final class OutcomeFilter {

    /** What the filter reads of an outcome; absent values (null) are not tested. */
    public interface Facts {
        String name();

        double price();

        String shares();

        String volume();

        Double priceChange24h();
    }

    private OutcomeFilter() {
    }

    public static <T extends Facts> List<T> apply(List<T> outcomes) {
        List<T> kept = outcomes.stream().filter(o -> !dropped(o)).toList();
        return kept.isEmpty() ? outcomes : kept;
    }

    private static boolean dropped(Facts o) {
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
