package com.polydebate.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request as {@code polydebate_http_server_requests_seconds{route, method, status}}. The route is
 * the matched path template ({@code /api/debate/{debate_id}}), never the raw path: a request that matched no route
 * is labelled {@code NOT_FOUND} (404) or {@code UNMATCHED} (anything else, e.g. 405 or a CORS preflight), so a
 * client cannot grow the label set.
 */
public final class RequestMetrics {
    public static final String TIMER = "polydebate.http.server.requests";
    public static final RequestMetrics NONE = new RequestMetrics(null);

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, float millis) {
        if (registry == null) {
            return;
        }
        int status = ctx.statusCode();
        Timer.builder(TIMER)
                .description("HTTP requests by route template, method and status")
                .tag("route", route(ctx, status))
                .tag("method", ctx.method().name().toUpperCase(Locale.ROOT))
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(Math.round(millis * 1000.0), TimeUnit.MICROSECONDS);
    }

    private static String route(Context ctx, int status) {
        Endpoint endpoint = null;
        try {
            endpoint = ctx.endpoints().matchedHttpEndpoint();
        } catch (RuntimeException e) {
            // No endpoint was matched for this request.
        }
        if (endpoint != null) {
            return endpoint.path;
        }
        return status == 404 ? "NOT_FOUND" : "UNMATCHED";
    }
}
