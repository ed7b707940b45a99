package com.polydebate.debates;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An outcome of the debate's snapshot taken at creation. */
record StoredOutcome(String name, String slug, double price, String shares,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String volume,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Double priceChange24h,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String imageUrl) implements OutcomeFilter.Facts {
}
