package com.polydebate.markets;

import java.util.Locale;
import java.util.Optional;

/**
 * The effective parameters of a market listing (§6.1, §6.2, §6.5): also the list cache key, so two
 * requests that mean the same upstream call share one entry (unknown slugs collapse to "no filter",
 * parameters a listing does not read are dropped).
 */
record ListQuery(Kind kind, String tagSlug, String moversTag, String tagId, int limit, int offset, boolean closed) {
    enum Kind { REGULAR, BREAKING, TRENDING, NEW }

    static final int MAX_LIMIT = 100;

    static ListQuery of(Optional<String> category, Optional<String> tag, Optional<String> tagId,
                        int limit, int offset, boolean closed) {
        String slug = category.map(c -> c.toLowerCase(Locale.ROOT)).orElse("");
        return switch (slug) {
            case "breaking" -> new ListQuery(Kind.BREAKING, null, tag.orElse(null), null, limit, offset, false);
            case "trending" -> new ListQuery(Kind.TRENDING, null, null, tagId.orElse(null), limit, offset, closed);
            case "new" -> new ListQuery(Kind.NEW, null, null, tagId.orElse(null), limit, offset, closed);
            default -> new ListQuery(Kind.REGULAR, Categories.tagSlug(slug).orElse(null), null,
                    tagId.orElse(null), limit, offset, closed);
        };
    }

    /** How many events to ask Gamma for: 3× for {@code new} and ended markets (the frontend filters them). */
    int upstreamLimit() {
        return kind == Kind.NEW || closed ? Math.min(limit * 3, 300) : Math.min(limit, MAX_LIMIT);
    }

    String order() {
        if (kind == Kind.NEW) {
            return "startDate";
        }
        return closed ? "endDate" : "volume24hr";
    }
}
