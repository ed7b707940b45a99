package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.debates.OutcomeFilter;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeFilterTest {
    private static StoredDebate.StoredOutcome outcome(String name, double price, String shares, String volume,
                                                      Double change) {
        return new StoredDebate.StoredOutcome(name, "", price, shares, volume, change, null);
    }

    @Test
    void drops_placeholders_empty_volumes_and_shares_flat_prices_and_placeholder_others() {
        List<StoredDebate.StoredOutcome> all = List.of(
                outcome("Yes", 0.4, "100", null, null),
                outcome("Candidate PLACEHOLDER 3", 0.1, "100", null, null),
                outcome("Zero volume", 0.1, "100", "0", null),
                outcome("Bad shares", 0.1, "n/a", null, null),
                outcome("Flat", 0.1, "100", null, 0.0),
                outcome("Other", 0.5, null, null, null),
                outcome("Other priced", 0.3, null, null, null));

        assertThat(OutcomeFilter.apply(all)).extracting(StoredDebate.StoredOutcome::name)
                .containsExactly("Yes", "Other priced");
    }

    @Test
    void keeps_everything_when_everything_would_be_dropped() {
        List<StoredDebate.StoredOutcome> all = List.of(outcome("Placeholder", 0.5, "0", null, null));

        assertThat(OutcomeFilter.apply(all)).isEqualTo(all);
    }
}
