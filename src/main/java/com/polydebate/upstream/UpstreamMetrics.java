package com.polydebate.upstream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times every upstream call as {@code polydebate_upstream_requests_seconds{service, outcome}}. The service is
 * named from the configured base URLs (the longest base that prefixes the request URI wins; none: {@code other}),
 * so a label never carries a raw URL. Outcomes: {@code success}, {@code http_4xx}, {@code http_5xx},
 * {@code timeout}, {@code error}.
 */
public final class UpstreamMetrics {
    public static final String TIMER = "polydebate.upstream.requests";
    public static final UpstreamMetrics NONE = new UpstreamMetrics(null, Map.of());

    private record Base(String prefix, String service) {
    }

    private final MeterRegistry registry;
    private final List<Base> bases;

    /** @param services base URL to service name (gamma, clob, polymarket-web, openrouter, elevenlabs, gemini) */
    public UpstreamMetrics(MeterRegistry registry, Map<URI, String> services) {
        this.registry = registry;
        this.bases = services.entrySet().stream()
                .map(e -> new Base(normalise(e.getKey().toString()), e.getValue()))
                .sorted(Comparator.comparingInt((Base b) -> b.prefix().length()).reversed())
                .toList();
    }

    /** The service a request URI belongs to. */
    public String service(URI uri) {
        String target = normalise(uri.toString());
        for (Base base : bases) {
            if (target.equals(base.prefix()) || target.startsWith(base.prefix() + "/")
                    || target.startsWith(base.prefix() + "?")) {
                return base.service();
            }
        }
        return "other";
    }

    /** The outcome label of an HTTP answer. */
    static String outcome(int status) {
        if (status >= 500) {
            return "http_5xx";
        }
        return status >= 400 ? "http_4xx" : "success";
    }

    void record(URI uri, String outcome, long nanos) {
        if (registry == null) {
            return;
        }
        Timer.builder(TIMER)
                .description("Calls to upstream APIs by service and outcome")
                .tag("service", service(uri))
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String normalise(String url) {
        return url.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    }
}
