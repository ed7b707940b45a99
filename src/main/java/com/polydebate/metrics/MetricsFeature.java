package com.polydebate.metrics;

import com.polydebate.http.ApiException;
import com.polydebate.upstream.TtlCache;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in the Prometheus text format, from the one registry {@code App} builds: HTTP requests,
 * upstream calls and the Hikari pool are recorded where they happen; this class binds the JVM meters and the
 * debate gauges (debates per status, read from the database at most every 10 s; running jobs and live viewers,
 * from memory). With {@code METRICS_TOKEN} set, the endpoint wants it as a bearer token.
 */
public final class MetricsFeature implements AutoCloseable {
    /** Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Every status a debate can have; each gets a gauge, zero when no debate has it. */
    static final List<String> STATUSES = List.of("initialized", "in_progress", "paused", "completed", "stopped",
            "failed");
    private static final Duration STATUS_REFRESH = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(MetricsFeature.class);

    /** What the debate feature shows of itself. */
    public interface DebateCounts {
        int runningJobs();

        int ownedJobs();

        int liveViewers();

        /** Debates this instance claimed after their lease was left free or expired by another (or a dead) run. */
        long leaseTakeOvers();

        Map<String, Long> countByStatus();
    }

    private final PrometheusMeterRegistry registry;
    private final Optional<byte[]> tokenDigest;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final TtlCache<String, Map<String, Long>> statusCounts;

    public MetricsFeature(PrometheusMeterRegistry registry, Optional<String> token, DebateCounts debates, Clock clock) {
        this.registry = registry;
        this.tokenDigest = token.map(MetricsFeature::digest);
        this.statusCounts = new TtlCache<>(clock, STATUS_REFRESH, 1);
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gcMetrics, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics())) {
            binder.bindTo(registry);
        }
        Supplier<Map<String, Long>> counts = () -> statusCounts.get("all", key -> debates.countByStatus());
        for (String status : STATUSES) {
            Gauge.builder("polydebate.debates", () -> count(counts, status))
                    .description("Debates (not deleted) by status, read from the database at most every 10 s")
                    .tag("status", status)
                    .register(registry);
        }
        gauge("polydebate.debate.jobs.running", debates::runningJobs,
                "Debate jobs of this instance on a worker thread now");
        gauge("polydebate.debate.jobs.owned", debates::ownedJobs,
                "Debates this instance holds a job for (running, queued or parked while paused)");
        gauge("polydebate.sse.viewers", debates::liveViewers, "Live SSE viewers connected to this instance");
        FunctionCounter.builder("polydebate.debate.lease.takeovers", debates, DebateCounts::leaseTakeOvers)
                .description("Debates this instance took over by the periodic lease scan")
                .register(registry);
    }

    public void register(RoutesConfig routes) {
        routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        if (tokenDigest.isPresent()) {
            String header = ctx.header("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).trim() : "";
            if (!MessageDigest.isEqual(tokenDigest.get(), digest(presented))) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "unauthorized", "A valid metrics token is required");
            }
        }
        ctx.contentType(CONTENT_TYPE).result(registry.scrape());
    }

    private void gauge(String name, IntSupplier value, String description) {
        Gauge.builder(name, () -> value.getAsInt()).description(description).register(registry);
    }

    private static double count(Supplier<Map<String, Long>> counts, String status) {
        try {
            return counts.get().getOrDefault(status, 0L);
        } catch (RuntimeException e) {
            log.warn("Cannot count debates by status for metrics: {}", e.toString());
            return Double.NaN;
        }
    }

    /** Both sides are hashed first, so the comparison takes the same time whatever the lengths. */
    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
