package com.polydebate.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request as {@code polydebate_http_server_requests_seconds{route, method, status}}. The route is
 * the matched path template ({@code /api/debate/{debate_id}}), never the raw path: a request that matched no route
 * is labelled {@code NOT_FOUND} (404) or {@code UNMATCHED} (anything else, e.g. 405 or a CORS preflight), so a
 * client cannot grow the label set. Each timer is looked up in the registry once and then kept here, since building
 * its id and tags on every request cost more than the request itself.
 */
public final class RequestMetrics {
    public static final String TIMER = "polydebate.http.server.requests";
    public static final RequestMetrics NONE = new RequestMetrics(null);

    private record Key(String route, HandlerType method, int status) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, float millis) {
        if (registry == null) {
            return;
        }
        int status = ctx.statusCode();
        Timer timer = timers.computeIfAbsent(new Key(route(ctx, status), ctx.method(), status), this::timer);
        timer.record(Math.round(millis * 1000.0), TimeUnit.MICROSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder(TIMER)
                .description("HTTP requests by route template, method and status")
                .tag("route", key.route())
                .tag("method", key.method().name().toUpperCase(Locale.ROOT))
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                .register(registry);
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
