package com.polydebate.markets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.http.ApiException;
import com.polydebate.upstream.TtlCache;
import com.polydebate.upstream.UpstreamHttp;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Markets, market detail and categories from Polymarket (§6, §7), cached per §6.13. Lists, detail and
 * categories are cached as ready-to-send JSON bytes, so a warm request costs no upstream call and no
 * JSON encoding. Closing it stops the pool that looks up breaking markets.
 */
public final class MarketService implements MarketCatalog, MarketSettlements, AutoCloseable {
    /** Gamma event ids are decimal; the length bound keeps absurd ids away from the upstream. */
    private static final Pattern MARKET_ID = Pattern.compile("\\d{1,19}");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final int SLUG_LOOKUP_PARALLELISM = 5;
    /** Only upstream failures are answered from a stale entry; "no such market" is authoritative. */
    private static final Predicate<RuntimeException> UPSTREAM_FAILURE =
            e -> !(e instanceof ApiException api) || api.status() >= 500;

    private record Detail(Market market, byte[] json) {
    }

    private record ListResponse(List<Market> markets, int total, int offset, int limit, boolean hasMore) {
    }

    private record Category(String id, String name, String slug, long marketCount, String iconUrl) {
    }

    private final PolymarketClient client;
    private final ObjectMapper mapper;
    private final TtlCache<ListQuery, byte[]> lists;
    private final TtlCache<String, Detail> details;
    private final TtlCache<String, Optional<List<Double>>> sparklines;
    private final TtlCache<String, MarketMapper.Resolved> slugs;
    private final TtlCache<String, byte[]> categories;
    private final ThreadPoolExecutor lookups;

    public MarketService(Config config, UpstreamHttp http, ObjectMapper mapper, Clock clock) {
        this.client = new PolymarketClient(config, http);
        this.mapper = mapper;
        Duration marketsTtl = Duration.ofSeconds(config.cacheMarketsTtl());
        Duration detailTtl = Duration.ofSeconds(config.cacheMarketDetailsTtl());
        this.lists = new TtlCache<>(clock, marketsTtl, 1_000, UPSTREAM_FAILURE);
        this.details = new TtlCache<>(clock, detailTtl, 5_000, UPSTREAM_FAILURE);
        this.sparklines = new TtlCache<>(clock, detailTtl, 5_000);
        this.slugs = new TtlCache<>(clock, marketsTtl, 5_000);
        this.categories = new TtlCache<>(clock, Duration.ofSeconds(config.cacheCategoriesTtl()), 1);
        this.lookups = new ThreadPoolExecutor(SLUG_LOOKUP_PARALLELISM, SLUG_LOOKUP_PARALLELISM,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "breaking-lookup");
                    thread.setDaemon(true);
                    return thread;
                });
        this.lookups.allowCoreThreadTimeOut(true);
    }

    @Override
    public Market detail(String marketId) {
        return cachedDetail(marketId).market();
    }

    @Override
    public Optional<EventSettlement> settlement(String eventId) {
        if (eventId == null || !MARKET_ID.matcher(eventId).matches()) {
            return Optional.empty();
        }
        return client.event(eventId).map(SettlementMapper::map);
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }

    /** §6.3 as ready JSON. */
    byte[] detailJson(String marketId) {
        return cachedDetail(marketId).json();
    }

    /** §6.1 / §6.2 as ready JSON. */
    byte[] listJson(ListQuery query) {
        return lists.get(query, this::loadList);
    }

    /** §7 as ready JSON. */
    byte[] categoriesJson() {
        return categories.get("all", key -> loadCategories());
    }

    /** A path segment of digits names a market (§6.3); anything else is a category slug (§6.2). */
    static boolean looksLikeMarketId(String segment) {
        return DIGITS.matcher(segment).matches();
    }

    private Detail cachedDetail(String marketId) {
        if (marketId == null || !MARKET_ID.matcher(marketId).matches()) {
            throw notFound();
        }
        return details.get(marketId, this::loadDetail);
    }

    private Detail loadDetail(String marketId) {
        JsonNode event = client.event(marketId).orElseThrow(MarketService::notFound);
        MarketMapper.Mapped mapped = MarketMapper.detail(event);
        Market market = mapped.sparklineToken()
                .flatMap(this::sparkline)
                .map(line -> MarketMapper.withSparkline(mapped.market(), line))
                .orElse(mapped.market());
        return new Detail(market, write(market));
    }

    /** The token's CLOB sparkline; any failure only loses the sparkline (§6.11). */
    private Optional<List<Double>> sparkline(String token) {
        try {
            return sparklines.get(token, t -> MarketMapper.sparkline(client.priceHistory(t)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] loadList(ListQuery query) {
        if (query.kind() == ListQuery.Kind.BREAKING) {
            List<Market> markets = breaking(query);
            return write(new ListResponse(markets, markets.size(), query.offset(), query.limit(), false));
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("offset", Integer.toString(query.offset()));
        params.put("archived", "false");
        params.put("active", Boolean.toString(!query.closed()));
        if (query.closed()) {
            params.put("closed", "true");
        }
        params.put("order", query.order());
        params.put("ascending", "false");
        params.put("limit", Integer.toString(query.upstreamLimit()));
        if (query.tagSlug() != null) {
            params.put("tag_slug", query.tagSlug());
        }
        if (query.tagId() != null) {
            params.put("tag_id", query.tagId());
        }
        List<JsonNode> events;
        boolean hasMore;
        if (query.kind() == ListQuery.Kind.REGULAR) {
            PolymarketClient.EventPage page = client.eventsPagination(params);
            events = page.events();
            hasMore = page.hasMore().orElse(events.size() >= query.upstreamLimit());
        } else {
            events = client.events(params);
            hasMore = events.size() >= query.upstreamLimit();
        }
        List<Market> markets = events.stream()
                .filter(JsonNode::isObject)
                .filter(MarketMapper::hasMarkets)
                .map(MarketMapper::listItem)
                .toList();
        return write(new ListResponse(markets, markets.size(), query.offset(), query.limit(), hasMore));
    }

    private List<Market> breaking(ListQuery query) {
        List<JsonNode> items = client.biggestMovers(Optional.ofNullable(query.moversTag()));
        List<CompletableFuture<Market>> built = new ArrayList<>();
        for (JsonNode item : items.subList(0, Math.min(query.limit(), items.size()))) {
            built.add(CompletableFuture.supplyAsync(() -> breakingItem(item), lookups));
        }
        return built.stream().map(CompletableFuture::join).toList();
    }

    private Market breakingItem(JsonNode item) {
        Optional<MarketMapper.Resolved> resolved = GammaJson.list(item.path("events")).stream().findFirst()
                .flatMap(event -> GammaJson.nonBlank(event.path("slug")))
                .flatMap(this::resolveSlug);
        Optional<List<Double>> line = MarketMapper.sparkline(PolymarketClient.historyPrices(item.path("history")))
                .or(() -> GammaJson.textAt(GammaJson.list(item.path("clobTokenIds")), 0)
                        .filter(token -> !token.isBlank())
                        .flatMap(this::sparkline));
        return MarketMapper.breaking(item, resolved, line);
    }

    /** Slug → (event id, category); a failed lookup only loses the enrichment (§6.7 step 3). */
    private Optional<MarketMapper.Resolved> resolveSlug(String slug) {
        try {
            return Optional.of(slugs.get(slug, s -> {
                JsonNode event = client.eventsBySlug(s).stream().filter(JsonNode::isObject).findFirst()
                        .orElseThrow(() -> new IllegalStateException("No event for slug " + s));
                String id = GammaJson.text(event.path("id"))
                        .orElseThrow(() -> new IllegalStateException("Event without id for slug " + s));
                return new MarketMapper.Resolved(id, Categories.displayName(event.path("tags")));
            }));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] loadCategories() {
        List<Category> out = new ArrayList<>();
        for (JsonNode tag : client.tags()) {
            Optional<String> id = GammaJson.text(tag.path("id"));
            if (!tag.isObject() || id.isEmpty()) {
                continue;
            }
            out.add(new Category(
                    id.get(),
                    GammaJson.nonBlank(tag.path("label")).orElse(id.get()),
                    GammaJson.nonBlank(tag.path("slug")).orElse(id.get()),
                    GammaJson.decimal(tag.path("eventCount")).map(BigDecimal::longValue).orElse(0L),
                    ""));
        }
        return write(Map.of("categories", out));
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode a market response", e);
        }
    }

    private static ApiException notFound() {
        return ApiException.notFound("market_not_found", "Market not found");
    }
}
