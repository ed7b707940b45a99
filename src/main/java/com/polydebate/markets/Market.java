package com.polydebate.markets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A market as the API shows it (§18.1): a Polymarket event. Fields the contract omits when unknown
 * (or outside the detail view) are null here and left out on the wire.
 */
public record Market(
        String id,
        String question,
        String description,
        String category,
        JsonNode tagId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String marketType,
        List<Outcome> outcomes,
        String volume,
        @JsonProperty("volume_24h") String volume24h,
        @JsonInclude(JsonInclude.Include.NON_NULL) String liquidity,
        @JsonProperty("price_change_24h") @JsonInclude(JsonInclude.Include.NON_NULL) Double priceChange24h,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> sparkline,
        String endDate,
        String createdDate,
        @JsonInclude(JsonInclude.Include.NON_NULL) String resolutionSource,
        String imageUrl) {
}
