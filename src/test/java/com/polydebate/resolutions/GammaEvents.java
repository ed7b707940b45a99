package com.polydebate.resolutions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Gamma events for the resolution tests, built from the recorded fixtures: the real resolved England–Argentina
 * event as recorded, and a binary event (the recorded event 2890, re-dated and given the status fields of each stage
 * of a settlement) whose Yes/No tokens are the recorded ones.
 */
public final class GammaEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String CATEGORICAL_ID = "694581";
    public static final String ENGLAND_TOKEN =
            "62975583795498792086117213116943744194566684233762863056174017776352240969485";
    public static final String DRAW_TOKEN =
            "26480993337079434490856133942482101351393348205667335284619584625389515346213";
    public static final String ARGENTINA_TOKEN =
            "85633756210324151397822274959403676422451634259093065838612463900396751402106";
    public static final String YES_TOKEN =
            "28182404005967940652495463228537840901055649726248190462854914416579180110833";
    public static final String NO_TOKEN =
            "47044845753450022047436429968808601130811164131571549682541703866165095016290";
    /** When trading stopped in the recorded England–Argentina event (the Argentina market's closedTime). */
    public static final String CATEGORICAL_CLOSED_AT = "2026-07-15T21:22:10.000Z";

    private GammaEvents() {
    }

    /** The recorded resolved categorical event (Argentina won), as GET /events/{id} answers it. */
    public static String categoricalResolved() {
        return read("polymarket-gamma/events-by-slug-negrisk.json").get(0).toString();
    }

    /** The same event while it was still trading (every market open, UMA silent, prices mid-game). */
    public static String categoricalOpen() {
        ObjectNode event = (ObjectNode) read("polymarket-gamma/events-by-slug-negrisk.json").get(0);
        event.put("closed", false);
        String[] prices = {"0.31", "0.27", "0.42"};
        int i = 0;
        for (JsonNode node : event.withArray("markets")) {
            ObjectNode market = (ObjectNode) node;
            market.put("closed", false);
            market.remove("umaResolutionStatus");
            market.put("umaResolutionStatuses", "[]");
            market.remove("closedTime");
            market.remove("umaEndDate");
            market.put("outcomePrices", "[\"" + prices[i] + "\", \"" + complement(prices[i]) + "\"]");
            i++;
        }
        return event.toString();
    }

    /** Stages of a binary market's settlement. */
    public enum Stage { OPEN, OPEN_NEAR_CERTAIN, CLOSED, PROPOSED, DISPUTED, RESOLVED_YES, RESOLVED_NO, VOID }

    /**
     * The recorded binary event under another id, at one stage. Trading stops at {@code closedTime} (Gamma's
     * "2026-11-29 18:00:00+00" form), and UMA's end is the same moment in ISO form, as in the recordings.
     */
    public static String binary(String id, Stage stage, String closedTime) {
        ObjectNode event = (ObjectNode) read("polymarket-gamma/event-binary.json").get(0);
        event.put("id", id);
        event.put("title", "Will event " + id + " happen?");
        ObjectNode market = (ObjectNode) event.withArray("markets").get(0);
        market.put("id", "m" + id);
        boolean closed = stage != Stage.OPEN && stage != Stage.OPEN_NEAR_CERTAIN;
        event.put("closed", closed);
        market.put("closed", closed);
        market.remove("closedTime");
        market.remove("umaResolutionStatus");
        market.remove("umaEndDate");
        if (closed) {
            market.put("closedTime", closedTime);
        }
        String prices = switch (stage) {
            case OPEN -> "[\"0.45\", \"0.55\"]";
            case OPEN_NEAR_CERTAIN -> "[\"0.9995\", \"0.0005\"]";
            case CLOSED, PROPOSED, DISPUTED -> "[\"0.9985\", \"0.0015\"]";
            case RESOLVED_YES -> "[\"1\", \"0\"]";
            case RESOLVED_NO -> "[\"0\", \"1\"]";
            case VOID -> "[\"0.5\", \"0.5\"]";
        };
        market.put("outcomePrices", prices);
        switch (stage) {
            case PROPOSED -> market.put("umaResolutionStatus", "proposed");
            case DISPUTED -> market.put("umaResolutionStatus", "disputed");
            case RESOLVED_YES, RESOLVED_NO, VOID -> {
                market.put("umaResolutionStatus", "resolved");
                market.put("umaEndDate", ResolutionRules.instant(closedTime).orElseThrow().toString());
            }
            default -> {
            }
        }
        return event.toString();
    }

    /** A categorical event of the recorded shape in which every market settled, with the given Yes markets. */
    public static String categoricalSettled(List<String> yesMarkets) {
        return categoricalSettled(CATEGORICAL_ID, yesMarkets);
    }

    /** The same under another event id (its markets and tokens unchanged). */
    public static String categoricalSettled(String id, List<String> yesMarkets) {
        ObjectNode event = (ObjectNode) read("polymarket-gamma/events-by-slug-negrisk.json").get(0);
        event.put("id", id);
        for (JsonNode node : event.withArray("markets")) {
            ObjectNode market = (ObjectNode) node;
            boolean yes = yesMarkets.contains(market.path("groupItemTitle").asText());
            market.put("outcomePrices", yes ? "[\"1\", \"0\"]" : "[\"0\", \"1\"]");
        }
        return event.toString();
    }

    private static String complement(String price) {
        return new java.math.BigDecimal("1").subtract(new java.math.BigDecimal(price)).toPlainString();
    }

    private static JsonNode read(String fixture) {
        try {
            return MAPPER.readTree(Fixtures.text(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
