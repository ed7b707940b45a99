package com.polydebate.markets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One outcome of a market (§18.2). Omitted-when-unknown fields are null here and left out on the wire. */
public record Outcome(
        String name,
        String slug,
        double price,
        String shares,
        @JsonProperty("price_change_24h") @JsonInclude(JsonInclude.Include.NON_NULL) Double priceChange24h,
        @JsonInclude(JsonInclude.Include.NON_NULL) String imageUrl) {
}
