package com.polydebate.markets;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One outcome of a market (§18.2). Omitted-when-unknown fields are null here and left out on the wire. */
public record Outcome(
        String name,
        String slug,
        double price,
        String shares,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double priceChange24h,
        @JsonInclude(JsonInclude.Include.NON_NULL) String imageUrl) {
}
