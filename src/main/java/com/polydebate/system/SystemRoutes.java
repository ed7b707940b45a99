package com.polydebate.system;

import com.polydebate.config.Config;
import com.polydebate.db.Database;
import com.polydebate.http.OpenApi;
import com.polydebate.upstream.TtlCache;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code GET /}, {@code GET /api/health} and the OpenAPI document (§5). */
public final class SystemRoutes {
    static final String VERSION = "1.0.0";

    private final Config config;
    private final Database database;
    private final OpenApi openApi;
    private final Clock clock;
    /**
     * Health is polled by load balancers and monitors, often many at once: one database round trip per
     * second answers them all, and a failing database still shows within a second.
     */
    private final TtlCache<String, Boolean> databaseProbe;

    public SystemRoutes(Config config, Database database, OpenApi openApi, Clock clock) {
        this.config = config;
        this.database = database;
        this.openApi = openApi;
        this.clock = clock;
        this.databaseProbe = new TtlCache<>(clock, Duration.ofSeconds(1), 1);
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.json(index()));
        routes.get("/api/health", ctx -> {
            boolean healthy = databaseProbe.get("database", key -> database.isHealthy());
            ctx.status(healthy ? 200 : 503).json(health(healthy, clock.instant()));
        });
        routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi.document()));
    }

    private Map<String, Object> health(boolean healthy, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("timestamp", now);
        body.put("version", VERSION);
        body.put("environment", config.appEnv().name().toLowerCase(Locale.ROOT));
        body.put("database", healthy ? "ok" : "unavailable");
        return body;
    }

    private static Map<String, Object> index() {
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put("health", "/api/health");
        endpoints.put("markets", "/api/markets");
        endpoints.put("categories", "/api/categories");
        endpoints.put("models", "/api/models");
        endpoints.put("debates", "/api/debates");
        endpoints.put("auth", Map.of(
                "signup", "/api/auth/signup/request-code",
                "login", "/api/auth/login/request-code",
                "me", "/api/auth/me"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "PolyDebate API");
        body.put("version", VERSION);
        body.put("documentation", "/api/health");
        body.put("endpoints", endpoints);
        return body;
    }
}
