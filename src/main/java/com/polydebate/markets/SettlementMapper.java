package com.polydebate.markets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Gamma event → {@link EventSettlement}: only the fields a settlement is read from, kept as Gamma sent them. */
final class SettlementMapper {
    private static final List<String> EVENT_FIELDS = List.of("id", "closed", "closedTime", "negRisk");
    private static final List<String> MARKET_FIELDS = List.of("id", "question", "groupItemTitle", "active", "closed",
            "outcomes", "outcomePrices", "clobTokenIds", "closedTime", "umaResolutionStatus", "umaResolutionStatuses",
            "umaEndDate", "automaticallyResolved");

    private SettlementMapper() {
    }

    static EventSettlement map(JsonNode event) {
        List<JsonNode> gammaMarkets = GammaJson.list(event.path("markets"));
        boolean binary = gammaMarkets.size() == 1 && GammaJson.list(gammaMarkets.get(0).path("outcomes")).size() == 2;
        ObjectNode raw = GammaJson.MAPPER.createObjectNode();
        copy(event, raw, EVENT_FIELDS);
        ArrayNode rawMarkets = raw.putArray("markets");
        List<EventSettlement.GammaMarket> markets = new ArrayList<>(gammaMarkets.size());
        for (JsonNode market : gammaMarkets) {
            copy(market, rawMarkets.addObject(), MARKET_FIELDS);
            markets.add(new EventSettlement.GammaMarket(
                    GammaJson.text(market.path("id")).orElse(""),
                    GammaJson.nonBlank(market.path("groupItemTitle"))
                            .or(() -> GammaJson.text(market.path("question"))).orElse(""),
                    texts(market.path("outcomes")),
                    texts(market.path("outcomePrices")),
                    texts(market.path("clobTokenIds")),
                    market.path("closed").isBoolean() ? Optional.of(market.path("closed").asBoolean())
                            : Optional.empty(),
                    GammaJson.nonBlank(market.path("umaResolutionStatus")),
                    GammaJson.nonBlank(market.path("closedTime")),
                    GammaJson.nonBlank(market.path("umaEndDate"))));
        }
        return new EventSettlement(GammaJson.text(event.path("id")).orElse(""), binary, List.copyOf(markets),
                raw.toString());
    }

    /** A list field as text: "1" stays "1" and a price never goes through a double. */
    private static List<String> texts(JsonNode field) {
        List<JsonNode> list = GammaJson.list(field);
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(GammaJson.textAt(list, i).orElse(""));
        }
        return List.copyOf(out);
    }

    private static void copy(JsonNode from, ObjectNode to, List<String> fields) {
        for (String field : fields) {
            if (from.has(field)) {
                to.set(field, from.get(field));
            }
        }
    }
}
