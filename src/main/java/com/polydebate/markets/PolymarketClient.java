package com.polydebate.markets;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.config.Config;
import com.polydebate.config.UpstreamTimeouts;
import com.polydebate.http.ApiException;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Polymarket wire formats: Gamma (events, tags), the web app's biggest-movers and CLOB price
 * history (§6.5, §6.7, §6.11, §7). Every failure becomes 503 {@code external_api_error} with a fixed
 * message: upstream text (which may talk about rate limits or quotas) never reaches our clients.
 */
final class PolymarketClient {
    private static final Logger log = LoggerFactory.getLogger(PolymarketClient.class);
    static final String UNAVAILABLE = "Polymarket is unavailable right now. Please try again in a moment.";

    /** A page of events and whether the upstream says there are more. */
    record EventPage(List<JsonNode> events, Optional<Boolean> hasMore) {
    }

    private final UpstreamHttp http;
    private final UpstreamTimeouts timeouts;
    private final String gamma;
    private final String web;
    private final String clob;

    PolymarketClient(Config config, UpstreamHttp http) {
        this.http = http;
        this.timeouts = config.upstreamTimeouts();
        this.gamma = base(config.polymarketGammaUrl());
        this.web = base(config.polymarketWebUrl());
        this.clob = base(config.polymarketClobUrl());
    }

    /** {@code GET /events/{id}}; empty when Gamma answers 404. */
    Optional<JsonNode> event(String id) {
        UpstreamResponse response = send(gamma + "/events/" + id, timeouts.polymarket(), false);
        if (response.status() == 404) {
            return Optional.empty();
        }
        JsonNode event = json(response, "/events/{id}");
        if (!event.isObject()) {
            throw failure("/events/{id} did not answer an object", null);
        }
        return Optional.of(event);
    }

    /** {@code GET /events/pagination} with its {@code {data, pagination:{hasMore}}} envelope. */
    EventPage eventsPagination(Map<String, String> params) {
        JsonNode body = json(send(gamma + "/events/pagination" + query(params), timeouts.polymarket(), false),
                "/events/pagination");
        JsonNode data = body.path("data");
        if (!data.isArray()) {
            throw failure("/events/pagination answered without a data array", null);
        }
        JsonNode hasMore = body.path("pagination").path("hasMore");
        return new EventPage(elements(data), hasMore.isBoolean() ? Optional.of(hasMore.asBoolean()) : Optional.empty());
    }

    /** {@code GET /events} (a JSON array of events). */
    List<JsonNode> events(Map<String, String> params) {
        return array(send(gamma + "/events" + query(params), timeouts.polymarketEvents(), false), "/events");
    }

    /** {@code GET /events?slug=…}, the event list for one slug (short timeout: it only enriches). */
    List<JsonNode> eventsBySlug(String slug) {
        return array(send(gamma + "/events" + query(Map.of("slug", slug)), timeouts.polymarketEnrichment(), false),
                "/events?slug");
    }

    /** {@code GET /tags}. */
    List<JsonNode> tags() {
        return array(send(gamma + "/tags", timeouts.polymarket(), false), "/tags");
    }

    /** {@code GET {WEB}/api/biggest-movers[?category=tag]} → its {@code markets} items. */
    List<JsonNode> biggestMovers(Optional<String> category) {
        String url = web + "/api/biggest-movers" + category.map(c -> query(Map.of("category", c))).orElse("");
        JsonNode body = json(send(url, timeouts.polymarket(), true), "biggest-movers");
        JsonNode markets = body.path("markets");
        if (!markets.isArray()) {
            throw failure("biggest-movers answered without a markets array", null);
        }
        return elements(markets);
    }

    /** CLOB {@code /prices-history} prices for a token, oldest first. */
    List<BigDecimal> priceHistory(String tokenId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("market", tokenId);
        params.put("interval", "1d");
        params.put("fidelity", "60");
        JsonNode body = json(send(clob + "/prices-history" + query(params), timeouts.polymarketEnrichment(), false),
                "prices-history");
        return historyPrices(body.path("history"));
    }

    /** The {@code p} values of a {@code [{t, p}]} history (CLOB or biggest-movers). */
    static List<BigDecimal> historyPrices(JsonNode history) {
        List<BigDecimal> prices = new ArrayList<>();
        for (JsonNode point : GammaJson.list(history)) {
            GammaJson.decimal(point.path("p")).ifPresent(prices::add);
        }
        return prices;
    }

    private UpstreamResponse send(String url, Duration timeout, boolean browser) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                .header("Accept", "application/json");
        if (browser) {
            request.header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT);
        }
        try {
            return http.send(request);
        } catch (UpstreamException e) {
            throw failure(e.getMessage(), e);
        }
    }

    private static JsonNode json(UpstreamResponse response, String what) {
        if (!response.isSuccess()) {
            throw failure(what + " answered HTTP " + response.status(), null);
        }
        try {
            JsonNode node = GammaJson.parse(response.body());
            if (node == null || node.isMissingNode()) {
                throw failure(what + " answered an empty body", null);
            }
            return node;
        } catch (IOException e) {
            throw failure(what + " answered malformed JSON", e);
        }
    }

    private static List<JsonNode> array(UpstreamResponse response, String what) {
        JsonNode node = json(response, what);
        if (!node.isArray()) {
            throw failure(what + " did not answer an array", null);
        }
        return elements(node);
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    private static ApiException failure(String detail, Throwable cause) {
        log.warn("Polymarket call failed: {}", detail, cause);
        return new ApiException(503, "external_api_error", UNAVAILABLE);
    }

    private static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringJoiner joiner = new StringJoiner("&", "?", "");
        params.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }

    private static String base(URI uri) {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
