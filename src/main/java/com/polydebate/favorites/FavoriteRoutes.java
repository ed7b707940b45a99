package com.polydebate.favorites;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.auth.AccessControl;
import com.polydebate.auth.Role;
import com.polydebate.auth.User;
import com.polydebate.http.ApiException;
import com.polydebate.http.Bodies;
import com.polydebate.http.Inputs;
import com.polydebate.http.JsonResponses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The favorites endpoints of §15. */
final class FavoriteRoutes {
    private static final int MAX_ID_LENGTH = 100;
    private static final int DEFAULT_PAGE_LIMIT = 50;
    private static final int MAX_PAGE_LIMIT = 100;

    private final FavoriteService favorites;
    private final Bodies bodies;

    FavoriteRoutes(FavoriteService favorites, Bodies bodies) {
        this.favorites = favorites;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/favorites", this::list, Role.REQUIRED);
        routes.post("/api/favorites", this::add, Role.REQUIRED);
        routes.delete("/api/favorites/{resource_id}", this::remove, Role.REQUIRED);
        routes.get("/api/favorites/check/{market_id}", this::check, Role.OPTIONAL);
        routes.post("/api/favorites/markets", this::page, Role.REQUIRED);
    }

    private void list(Context ctx) {
        var all = favorites.all(AccessControl.user(ctx).id());
        JsonResponses.send(ctx, success(null, Map.of("favorites", all, "total", all.size())));
    }

    private void add(Context ctx) {
        ObjectNode body = bodies.object(ctx);
        String marketId = Inputs.trimmed(body, "market_id", MAX_ID_LENGTH)
                .orElseThrow(() -> ApiException.validation(Map.of("market_id", "must be provided")));
        Optional<String> debateId = Inputs.trimmed(body, "debate_id", MAX_ID_LENGTH);
        FavoriteService.Added added = favorites.add(AccessControl.user(ctx).id(), marketId, debateId);
        JsonResponses.send(ctx.status(added.created() ? 201 : 200),
                success(added.created() ? "Favorite added" : "Already a favorite", added.favorite()));
    }

    private void remove(Context ctx) {
        favorites.remove(AccessControl.user(ctx).id(), ctx.pathParam("resource_id"));
        JsonResponses.send(ctx, success("Favorite removed", null));
    }

    private void check(Context ctx) {
        Optional<User> user = AccessControl.optionalUser(ctx);
        boolean favorited = user.isPresent() && favorites.isFavorited(user.get().id(), ctx.pathParam("market_id"));
        JsonResponses.send(ctx, success(null, Map.of("is_favorited", favorited, "authenticated", user.isPresent())));
    }

    private void page(Context ctx) {
        ObjectNode body = optionalBody(ctx);
        int limit = Inputs.clampedInt(body, "limit", DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT);
        int offset = Inputs.clampedInt(body, "offset", 0, 0, Integer.MAX_VALUE);
        FavoriteService.Page page = favorites.page(AccessControl.user(ctx).id(), limit, offset);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("favorites", page.favorites());
        data.put("total", page.total());
        data.put("limit", limit);
        data.put("offset", offset);
        JsonResponses.send(ctx, success(null, data));
    }

    /**
     * §15.5: a missing or non-JSON body means the defaults. An oversized body is still refused, and so is a number
     * no field can hold (1e999, NaN): that is a validation_error naming the field, not a body to ignore.
     */
    private ObjectNode optionalBody(Context ctx) {
        try {
            return bodies.objectOrEmpty(ctx);
        } catch (ApiException e) {
            if (e.status() != 400 || !"invalid_json".equals(e.code())) {
                throw e;
            }
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static Map<String, Object> success(String message, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        if (message != null) {
            body.put("message", message);
        }
        if (data != null) {
            body.put("data", data);
        }
        return body;
    }
}
