package com.polydebate.markets;

import com.polydebate.http.JsonResponses;
import com.polydebate.http.QueryParams;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;

/** {@code GET /api/markets}, {@code GET /api/markets/{market_id | category_slug}}, {@code GET /api/categories}. */
public final class MarketRoutes {
    private final MarketService markets;

    public MarketRoutes(MarketService markets) {
        this.markets = markets;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/markets", ctx -> list(ctx, QueryParams.text(ctx, "category"), QueryParams.text(ctx, "tag_id")));
        routes.get("/api/markets/{market_id}", ctx -> {
            String segment = ctx.pathParam("market_id");
            if (MarketService.looksLikeMarketId(segment)) {
                send(ctx, markets.detailJson(segment));
            } else {
                // The path form does not read tag_id (§6.2).
                list(ctx, Optional.of(segment), Optional.empty());
            }
        });
        routes.get("/api/categories", ctx -> send(ctx, markets.categoriesJson()));
    }

    private void list(Context ctx, Optional<String> category, Optional<String> tagId) {
        ListQuery query = ListQuery.of(
                category,
                QueryParams.text(ctx, "tag"),
                tagId,
                QueryParams.clampedInt(ctx, "limit", 100, 1, ListQuery.MAX_LIMIT),
                QueryParams.clampedInt(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                QueryParams.bool(ctx, "closed"));
        send(ctx, markets.listJson(query));
    }

    private static void send(Context ctx, byte[] json) {
        JsonResponses.send(ctx, json);
    }
}
