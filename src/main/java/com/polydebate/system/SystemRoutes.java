package com.polydebate.system;

import com.polydebate.config.Config;
import com.polydebate.db.Database;
import com.polydebate.db.StorageHealth;
import com.polydebate.db.Timestamps;
import com.polydebate.http.JsonResponses;
import com.polydebate.http.OpenApi;
import com.polydebate.upstream.TtlCache;
import io.javalin.config.RoutesConfig;
import java.nio.charset.StandardCharsets;
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
    private final StorageHealth storage;
    private final OpenApi openApi;
    private final Clock clock;
    /**
     * Health is polled by load balancers and monitors, often many at once: one database round trip per
     * second answers them all, and a failing database still shows within a second.
     */
    private final TtlCache<String, DatabaseState> databaseProbe;
    /**
     * The body differs only by its timestamp (milliseconds): requests within the same millisecond share it, and the
     * next millisecond's body is the same bytes with the fixed-width timestamp written over, not a new serialisation.
     */
    private volatile HealthAnswer lastHealth;

    private record HealthAnswer(DatabaseState state, long millis, byte[] json, int timestampAt) {
        HealthAnswer at(long newMillis) {
            byte[] copy = json.clone();
            byte[] timestamp = Timestamps.format(Instant.ofEpochMilli(newMillis)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(timestamp, 0, copy, timestampAt, timestamp.length);
            return new HealthAnswer(state, newMillis, copy, timestampAt);
        }
    }

    /** What health reports for the database: answers and takes writes, answers only, or does not answer. */
    enum DatabaseState {
        OK("ok"), READ_ONLY("read_only"), UNAVAILABLE("unavailable");

        private final String label;

        DatabaseState(String label) {
            this.label = label;
        }
    }

    public SystemRoutes(Config config, Database database, StorageHealth storage, OpenApi openApi, Clock clock) {
        this.config = config;
        this.database = database;
        this.storage = storage;
        this.openApi = openApi;
        this.clock = clock;
        this.databaseProbe = new TtlCache<>(clock, Duration.ofSeconds(1), 1);
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/health", ctx -> {
            DatabaseState state = databaseProbe.get("database", key -> probe());
            long millis = clock.millis();
            HealthAnswer answer = lastHealth;
            if (answer == null || answer.state() != state) {
                Instant now = Instant.ofEpochMilli(millis);
                byte[] json = JsonResponses.bytes(ctx, health(state, now));
                answer = new HealthAnswer(state, millis, json, timestampAt(json, now));
                lastHealth = answer;
            } else if (answer.millis() != millis) {
                answer = answer.at(millis);
                lastHealth = answer;
            }
            JsonResponses.send(ctx.status(state == DatabaseState.OK ? 200 : 503), answer.json());
        });
        routes.get("/", ctx -> JsonResponses.send(ctx, index()));
        routes.get("/api/openapi.json", ctx -> JsonResponses.send(ctx, openApi.document()));
    }

    /** Where the value of {@code "timestamp"} starts in a health body written at {@code now}. */
    private static int timestampAt(byte[] json, Instant now) {
        String field = "\"timestamp\":\"";
        // One char per byte, so that the index found is the byte offset.
        int at = new String(json, StandardCharsets.ISO_8859_1).indexOf(field + Timestamps.format(now));
        if (at < 0) {
            throw new IllegalStateException("No timestamp in the health body");
        }
        return at + field.length();
    }

    private DatabaseState probe() {
        if (!database.isHealthy()) {
            return DatabaseState.UNAVAILABLE;
        }
        return storage.isWritable() ? DatabaseState.OK : DatabaseState.READ_ONLY;
    }

    private Map<String, Object> health(DatabaseState state, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", state == DatabaseState.OK ? "ok" : "degraded");
        body.put("timestamp", now);
        body.put("version", VERSION);
        body.put("environment", config.appEnv().name().toLowerCase(Locale.ROOT));
        body.put("database", state.label);
        body.put("database_kind", database.kind().label());
        body.put("writable", state == DatabaseState.OK);
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
