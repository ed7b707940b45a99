package com.polydebate.markets;

/** Market detail lookups (§6.3) for other features: debate start, market history, saved favorites. */
public interface MarketCatalog {
    /**
     * The market with this Gamma event id, from the detail cache when fresh.
     *
     * @throws com.polydebate.http.ApiException 404 {@code market_not_found} when Gamma has no such event,
     *     503 {@code external_api_error} when Gamma fails and nothing is cached
     */
    Market detail(String marketId);
}
