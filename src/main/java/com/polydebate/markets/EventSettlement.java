package com.polydebate.markets;

import java.util.List;
import java.util.Optional;

/**
 * What Gamma says about how an event settles, read fresh (never from a cache): per Gamma market its outcomes and
 * prices as sent (text, so that "1" and "0.9995" stay distinguishable), trading and UMA resolution status and times.
 * {@code raw} is the JSON of exactly these fields as Gamma sent them, for the record.
 *
 * @param binary one Gamma market with two outcomes: the event's outcomes are that market's (§6.9); otherwise every
 *     Gamma market is one outcome, its first ("Yes") side
 */
public record EventSettlement(String eventId, boolean binary, List<GammaMarket> markets, String raw) {

    /**
     * One Gamma market. {@code name} is the outcome name §6.9 derives for a categorical event (groupItemTitle, else
     * question). {@code closed} is empty when Gamma omits it; times are Gamma's text.
     */
    public record GammaMarket(String id, String name, List<String> outcomes, List<String> outcomePrices,
                              List<String> tokenIds, Optional<Boolean> closed, Optional<String> umaResolutionStatus,
                              Optional<String> closedTime, Optional<String> umaEndDate) {
    }
}
