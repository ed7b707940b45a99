package com.polydebate.debates;

import com.polydebate.markets.Market;
import com.polydebate.markets.Outcome;
import java.util.List;

/** The answer of start (§9.1): the new debate as the client shows it before its stream begins. */
record StartAnswer(String debateId, String status, MarketView market, List<DebateModel> models, int rounds,
                   int totalMessagesExpected, String createdAt, String streamUrl) {

    /** The debated market as start echoes it. */
    record MarketView(String id, String question, String description, List<Outcome> outcomes) {
        static MarketView of(Market market) {
            return new MarketView(market.id(), market.question(),
                    market.description() == null ? "" : market.description(), market.outcomes());
        }
    }

    static StartAnswer of(String debateId, Market market, List<DebateModel> models, int rounds, String createdAt) {
        return new StartAnswer(debateId, DebateRow.INITIALIZED, MarketView.of(market), models, rounds,
                rounds * models.size(), createdAt, "/api/debate/" + debateId + "/stream");
    }
}
