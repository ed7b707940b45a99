package com.polydebate.profile;

import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The filters of {@code GET /api/auth/debates} (§16.4). Date bounds become half-open timestamp strings
 * ({@code createdFrom <= created_at < createdBefore}) that compare correctly against the fixed-width
 * stored timestamps.
 */
record HistoryQuery(int limit, int offset, List<String> categories, Optional<String> status, Sort sort,
                    Optional<String> createdFrom, Optional<String> createdBefore) {

    enum Sort { RECENT, ROUNDS }

    static final int DEFAULT_LIMIT = 12;
    static final int MAX_LIMIT = 50;
    /** Category names the frontend sends that differ from the stored display name (§16.4 Improvement). */
    private static final Map<String, List<String>> CATEGORY_ALIASES = Map.of("tech", List.of("technology"));

    /** The caller's newest debates, unfiltered. */
    static HistoryQuery newest(int limit) {
        return new HistoryQuery(limit, 0, List.of(), Optional.empty(), Sort.RECENT, Optional.empty(), Optional.empty());
    }

    /** Parses the raw (already trimmed, blank = absent) parameters; limit and offset are already clamped. */
    static HistoryQuery of(int limit, int offset, Optional<String> category, Optional<String> status,
                           Optional<String> sort, Optional<String> dateFrom, Optional<String> dateTo) {
        return new HistoryQuery(limit, offset,
                category.map(HistoryQuery::categoryNames).orElse(List.of()),
                status,
                sort.filter(s -> s.equalsIgnoreCase("rounds")).map(s -> Sort.ROUNDS).orElse(Sort.RECENT),
                dateFrom.map(raw -> bound("date_from", raw, day -> day)),
                dateTo.map(raw -> bound("date_to", raw, day -> day.plus(1, ChronoUnit.DAYS))));
    }

    /** Lower-cased names a category filter matches. */
    static List<String> categoryNames(String category) {
        String lower = category.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        names.add(lower);
        names.addAll(CATEGORY_ALIASES.getOrDefault(lower, List.of()));
        return names;
    }

    /**
     * The timestamp string of a bound. A date-only value is a UTC day start, moved by {@code dayEdge}
     * (the next day's start for an inclusive end). An inclusive date-time end becomes the next millisecond,
     * the storage precision.
     */
    private static String bound(String field, String raw, UnaryOperator<Instant> dayEdge) {
        Optional<Instant> dateTime = parseDateTime(raw);
        if (dateTime.isPresent()) {
            Instant at = dateTime.get().truncatedTo(ChronoUnit.MILLIS);
            return Timestamps.format(field.equals("date_to") ? at.plusMillis(1) : at);
        }
        try {
            return Timestamps.format(dayEdge.apply(LocalDate.parse(raw).atStartOfDay().toInstant(ZoneOffset.UTC)));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.validation(Map.of(field, "must be an ISO date (YYYY-MM-DD) or date-time"));
        }
    }

    private static Optional<Instant> parseDateTime(String raw) {
        try {
            return Optional.of(OffsetDateTime.parse(raw).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(raw).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
