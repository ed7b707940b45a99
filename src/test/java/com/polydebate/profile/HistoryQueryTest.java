package com.polydebate.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.polydebate.http.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {

    private static HistoryQuery dates(String from, String to) {
        return HistoryQuery.of(12, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.ofNullable(from), Optional.ofNullable(to));
    }

    @Test
    void a_date_only_range_covers_the_whole_last_day() {
        HistoryQuery query = dates("2026-11-01", "2026-11-28");

        assertThat(query.createdFrom()).contains("2026-11-01T00:00:00.000Z");
        assertThat(query.createdBefore()).contains("2026-11-29T00:00:00.000Z");
    }

    @Test
    void date_times_are_inclusive_to_the_millisecond_and_offsets_are_converted_to_utc() {
        HistoryQuery query = dates("2026-11-28T10:00:00+02:00", "2026-11-28T12:30:00.250Z");

        assertThat(query.createdFrom()).contains("2026-11-28T08:00:00.000Z");
        assertThat(query.createdBefore()).contains("2026-11-28T12:30:00.251Z");
        assertThat(dates("2026-11-28T10:00:00", null).createdFrom()).contains("2026-11-28T10:00:00.000Z");
    }

    @Test
    void unparseable_dates_are_a_validation_error_naming_the_field() {
        assertThatThrownBy(() -> dates("yesterday", null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("validation_error");
                    assertThat(e.details()).containsKey("date_from");
                });
        assertThatThrownBy(() -> dates(null, "2026-13-45"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).containsKey("date_to"));
    }

    @Test
    void tech_also_matches_technology_and_categories_are_lower_cased() {
        assertThat(HistoryQuery.categoryNames("Tech")).containsExactly("tech", "technology");
        assertThat(HistoryQuery.categoryNames("CRYPTO")).containsExactly("crypto");
    }

    @Test
    void sort_is_rounds_only_when_asked_otherwise_recent() {
        assertThat(HistoryQuery.of(12, 0, Optional.empty(), Optional.empty(), Optional.of("ROUNDS"),
                Optional.empty(), Optional.empty()).sort()).isEqualTo(HistoryQuery.Sort.ROUNDS);
        assertThat(HistoryQuery.of(12, 0, Optional.empty(), Optional.empty(), Optional.of("banana"),
                Optional.empty(), Optional.empty()).sort()).isEqualTo(HistoryQuery.Sort.RECENT);
    }
}
