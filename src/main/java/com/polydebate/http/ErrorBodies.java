package com.polydebate.http;

import com.polydebate.db.Timestamps;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the contract's error body (§2). */
final class ErrorBodies {
    private final Clock clock;

    ErrorBodies(Clock clock) {
        this.clock = clock;
    }

    void write(Context ctx, ApiException e) {
        JsonResponses.send(ctx.status(e.status()), body(e));
    }

    /** The error body as a map, for answers written outside Javalin (Jetty's own error handling). */
    Map<String, Object> body(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (!e.details().isEmpty()) {
            error.put("details", e.details());
        }
        error.putAll(e.errorExtras());
        error.put("timestamp", Timestamps.format(clock.instant()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.putAll(e.topLevelExtras());
        return body;
    }
}
