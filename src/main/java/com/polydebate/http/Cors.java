package com.polydebate.http;

import com.polydebate.config.Config;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** CORS per §1: only configured origins (plus local ones in development); preflight on every path. */
final class Cors {
    private static final List<String> DEVELOPMENT_ORIGINS = List.of(
            "http://localhost:3000", "http://localhost:3003", "http://localhost:3004", "http://127.0.0.1:3000");

    private final Set<String> allowedOrigins;

    Cors(Config config) {
        Set<String> origins = new LinkedHashSet<>();
        for (String url : config.frontendUrls()) {
            origins.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }
        if (!config.isProduction()) {
            origins.addAll(DEVELOPMENT_ORIGINS);
        }
        this.allowedOrigins = Set.copyOf(origins);
    }

    /**
     * Adds the allow-origin header when the request's origin is allowed; a disallowed origin gets nothing.
     * ({@code Vary: Origin} is among the headers every answer gets, see {@link SecurityHeaders}.)
     */
    void decorate(Context ctx) {
        allowedOrigin(ctx.header("Origin")).ifPresent(origin -> ctx.header("Access-Control-Allow-Origin", origin));
    }

    /** The origin to echo in Access-Control-Allow-Origin, when {@code origin} is one of the allowed ones. */
    Optional<String> allowedOrigin(String origin) {
        return origin != null && allowedOrigins.contains(origin) ? Optional.of(origin) : Optional.empty();
    }

    void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && allowedOrigins.contains(origin)) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
            ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization, Last-Event-ID, Cache-Control");
            ctx.header("Access-Control-Max-Age", "600");
        }
        ctx.status(204);
    }
}
