package com.polydebate.markets;

import java.util.Optional;

/** Fresh settlement reads of Gamma events for the resolution tracker. */
public interface MarketSettlements {
    /**
     * {@code GET /events/{id}}, uncached; empty when Gamma has no such event.
     *
     * @throws com.polydebate.http.ApiException 503 {@code external_api_error} when Gamma fails or answers garbage
     */
    Optional<EventSettlement> settlement(String eventId);
}
