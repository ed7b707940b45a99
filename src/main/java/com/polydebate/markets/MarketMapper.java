package com.polydebate.markets;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Gamma event → {@link Market} (§6.8–§6.12) and biggest-movers item → {@link Market} (§6.7). Pure. */
final class MarketMapper {
    static final int SPARKLINE_POINTS = 24;
    private static final BigDecimal HALF = new BigDecimal("0.5");

    /** A mapped event plus the CLOB token whose history feeds the detail sparkline (§6.11). */
    record Mapped(Market market, Optional<String> sparklineToken) {
    }

    private MarketMapper() {
    }

    static boolean hasMarkets(JsonNode event) {
        return event.path("markets").isArray() && !event.path("markets").isEmpty();
    }

    /** The list item form: no liquidity, resolution source or sparkline. */
    static Market listItem(JsonNode event) {
        return map(event, false).market();
    }

    static Mapped detail(JsonNode event) {
        return map(event, true);
    }

    static Market withSparkline(Market m, List<Double> sparkline) {
        return new Market(m.id(), m.question(), m.description(), m.category(), m.tagId(), m.marketType(),
                m.outcomes(), m.volume(), m.volume24h(), m.liquidity(), m.priceChange24h(), sparkline,
                m.endDate(), m.createdDate(), m.resolutionSource(), m.imageUrl());
    }

    /** Outcomes, the market-level 24 h change and the sparkline token of one event (§6.9, §6.11). */
    private record Derived(List<Outcome> outcomes, Double priceChange, Optional<String> token) {
    }

    private static Mapped map(JsonNode event, boolean detail) {
        List<JsonNode> gammaMarkets = GammaJson.list(event.path("markets"));
        List<JsonNode> eventPrices = GammaJson.list(event.path("outcomePrices"));
        boolean binary = gammaMarkets.size() == 1 && GammaJson.list(gammaMarkets.get(0).path("outcomes")).size() == 2;
        Derived derived = binary ? binary(gammaMarkets.get(0), eventPrices) : categorical(gammaMarkets, eventPrices);
        List<Outcome> outcomes = derived.outcomes();
        Double priceChange = derived.priceChange();
        Optional<String> token = derived.token();

        JsonNode tags = event.path("tags");
        JsonNode firstTag = tags.isArray() && !tags.isEmpty() ? tags.get(0) : null;
        Market market = new Market(
                GammaJson.text(event.path("id")).orElse(""),
                GammaJson.text(event.path("title")).orElse(""),
                GammaJson.text(event.path("description")).orElse(""),
                Categories.displayName(tags),
                firstTag,
                binary ? "binary" : "categorical",
                outcomes,
                GammaJson.formatVolume(event.path("volume")),
                GammaJson.formatVolume(event.path("volume24hr")),
                detail ? GammaJson.formatVolume(event.path("liquidity")) : null,
                priceChange,
                null,
                GammaJson.text(event.path("endDate")).orElse(null),
                GammaJson.text(event.path("createdAt")).orElse(null),
                detail ? GammaJson.text(event.path("resolutionSource")).orElse("") : null,
                GammaJson.text(event.path("image")).orElse(""));
        return new Mapped(market, token);
    }

    /** One Gamma market with two outcomes: both sides from it (binary sides carry no 24 h change). */
    private static Derived binary(JsonNode market, List<JsonNode> eventPrices) {
        List<JsonNode> names = GammaJson.list(market.path("outcomes"));
        List<JsonNode> prices = GammaJson.list(market.path("outcomePrices"));
        List<JsonNode> tokens = GammaJson.list(market.path("clobTokenIds"));
        List<Outcome> outcomes = new ArrayList<>(2);
        for (int i = 0; i < 2; i++) {
            int index = i;
            BigDecimal price = GammaJson.decimalAt(prices, i)
                    .or(() -> GammaJson.decimalAt(eventPrices, index))
                    .orElse(HALF);
            outcomes.add(new Outcome(
                    GammaJson.textAt(names, i).orElse(""),
                    GammaJson.textAt(tokens, i).orElse(""),
                    price.doubleValue(),
                    GammaJson.plainDecimal(market.path("volume")),
                    null,
                    image(market).orElse(null)));
        }
        Double change = GammaJson.strictNumber(market.path("oneDayPriceChange"))
                .map(GammaJson::percentPoints).orElse(null);
        return new Derived(List.copyOf(outcomes), change, nonEmpty(outcomes.get(0).slug()));
    }

    /** One outcome per Gamma market; the market-level figures come from the highest-priced one. */
    private static Derived categorical(List<JsonNode> gammaMarkets, List<JsonNode> eventPrices) {
        List<Outcome> outcomes = new ArrayList<>(gammaMarkets.size());
        int best = -1;
        BigDecimal bestPrice = null;
        for (int i = 0; i < gammaMarkets.size(); i++) {
            JsonNode market = gammaMarkets.get(i);
            BigDecimal price = categoricalPrice(market, eventPrices, i);
            if (bestPrice == null || price.compareTo(bestPrice) > 0) {
                best = i;
                bestPrice = price;
            }
            outcomes.add(new Outcome(
                    GammaJson.nonBlank(market.path("groupItemTitle"))
                            .or(() -> GammaJson.text(market.path("question"))).orElse(""),
                    GammaJson.textAt(GammaJson.list(market.path("clobTokenIds")), 0).orElse(""),
                    price.doubleValue(),
                    GammaJson.plainDecimal(market.path("volume")),
                    change(market).orElse(null),
                    image(market).orElse(null)));
        }
        if (best < 0) {
            return new Derived(List.of(), null, Optional.empty());
        }
        Double change = GammaJson.strictNumber(gammaMarkets.get(best).path("oneDayPriceChange"))
                .map(GammaJson::percentPoints).orElse(null);
        return new Derived(List.copyOf(outcomes), change, nonEmpty(outcomes.get(best).slug()));
    }

    private static Optional<String> nonEmpty(String token) {
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static BigDecimal categoricalPrice(JsonNode market, List<JsonNode> eventPrices, int index) {
        return GammaJson.decimalAt(GammaJson.list(market.path("outcomePrices")), 0)
                .or(() -> GammaJson.decimalAt(eventPrices, index))
                .or(() -> GammaJson.strictNumber(market.path("price")))
                .or(() -> GammaJson.strictNumber(market.path("currentPrice")))
                .or(() -> GammaJson.strictNumber(market.path("yesPrice")))
                .orElse(HALF);
    }

    private static Optional<Double> change(JsonNode market) {
        return GammaJson.strictNumber(market.path("oneDayPriceChange"))
                .or(() -> GammaJson.strictNumber(market.path("priceChange24h")))
                .map(GammaJson::percentPoints);
    }

    private static Optional<String> image(JsonNode market) {
        return GammaJson.nonBlank(market.path("image")).or(() -> GammaJson.nonBlank(market.path("imageUrl")));
    }

    /** The last 24 prices rounded to 3 decimals, or empty with fewer than 2 points (never padded). */
    static Optional<List<Double>> sparkline(List<BigDecimal> prices) {
        if (prices.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(prices.subList(Math.max(0, prices.size() - SPARKLINE_POINTS), prices.size()).stream()
                .map(p -> p.setScale(3, RoundingMode.HALF_UP).doubleValue())
                .toList());
    }

    /** Enrichment of a biggest-movers item from its resolved Gamma event (§6.7 step 3). */
    record Resolved(String id, String category) {
    }

    /** §6.7 step 4. The sparkline is supplied by the caller (item history, else CLOB). */
    static Market breaking(JsonNode item, Optional<Resolved> resolved, Optional<List<Double>> sparkline) {
        List<JsonNode> names = GammaJson.list(item.path("outcomes"));
        List<JsonNode> prices = GammaJson.list(item.path("outcomePrices"));
        List<JsonNode> tokens = GammaJson.list(item.path("clobTokenIds"));
        String shares = item.path("volume").isMissingNode() || item.path("volume").isNull()
                ? "0" : GammaJson.plainDecimal(item.path("volume"));
        List<Outcome> outcomes = new ArrayList<>(2);
        for (int i = 0; i < 2; i++) {
            String fallbackName = i == 0 ? "Yes" : "No";
            outcomes.add(new Outcome(
                    names.isEmpty() ? fallbackName : GammaJson.textAt(names, i).orElse(fallbackName),
                    GammaJson.textAt(tokens, i).orElse(""),
                    GammaJson.decimalAt(prices, i).orElse(HALF).doubleValue(),
                    shares,
                    null,
                    null));
        }
        List<JsonNode> events = GammaJson.list(item.path("events"));
        JsonNode firstEvent = events.isEmpty() ? null : events.get(0);
        return new Market(
                resolved.map(Resolved::id).orElseGet(() -> GammaJson.text(item.path("id")).orElse("")),
                GammaJson.text(item.path("question")).orElse(""),
                "",
                resolved.map(Resolved::category).orElse("Other"),
                null,
                null,
                List.copyOf(outcomes),
                firstEvent == null ? "0" : GammaJson.formatVolume(firstEvent.path("volume")),
                "N/A",
                null,
                GammaJson.strictNumber(item.path("oneDayPriceChange")).map(GammaJson::percentPoints).orElse(null),
                sparkline.orElse(null),
                null,
                null,
                null,
                GammaJson.text(item.path("image")).orElse(""));
    }
}
