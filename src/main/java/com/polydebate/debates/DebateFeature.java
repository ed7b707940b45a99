package com.polydebate.debates;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.db.Database;
import com.polydebate.db.DebateChanges;
import com.polydebate.db.Timestamps;
import com.polydebate.http.Bodies;
import com.polydebate.markets.MarketCatalog;
import com.polydebate.models.ModelCatalog;
import com.polydebate.storage.BlobStore;
import com.polydebate.upstream.Sleeper;
import com.polydebate.upstream.UpstreamHttp;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * The debate feature wired together: start and controls, the engine with its job pool, the live stream and the
 * audio files. The composition root builds one, registers its routes, and calls {@link #resumeUnfinished()}
 * once the server is up.
 */
public final class DebateFeature implements AutoCloseable {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration TRACE_PURGE_EVERY = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(DebateFeature.class);

    private final DebateEngine engine;
    private final EventHub hub;
    private final DebateStore store;
    private final DebateRoutes routes;
    private final StreamLanes streamLanes;
    private final ScheduledExecutorService streamTimer;
    private final Optional<PgEventRelay> relay;
    private final Clock clock;
    private final Duration traceRetention;

    public DebateFeature(Config config, Clock clock, ObjectMapper mapper, Jdbi jdbi, UpstreamHttp upstream,
                         MarketCatalog markets, ModelCatalog models, DailyQuota quota, DebateFinalizer finalizer,
                         DebateHooks hooks, BlobStore blobs, RandomGenerator jitter, ModelCallMetrics callMetrics,
                         DebateChanges changes) {
        this(config, clock, mapper, jdbi, upstream, markets, models, quota, finalizer, hooks, blobs, jitter,
                Sleeper.REAL, KEEP_ALIVE, callMetrics, changes);
    }

    DebateFeature(Config config, Clock clock, ObjectMapper mapper, Jdbi jdbi, UpstreamHttp upstream,
                  MarketCatalog markets, ModelCatalog models, DailyQuota quota, DebateFinalizer finalizer,
                  DebateHooks hooks, BlobStore blobs, RandomGenerator jitter, Sleeper sleeper, Duration keepAlive,
                  ModelCallMetrics callMetrics, DebateChanges changes) {
        this.store = jdbi.onDemand(DebateStore.class);
        this.clock = clock;
        this.traceRetention = Duration.ofDays(config.traceRetentionDays());
        this.hub = new EventHub();
        this.streamTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("debate-keepalive"));
        // Only PostgreSQL is shared by several instances; on SQLite the local hub reaches every viewer.
        boolean shared = Database.Kind.of(config.databaseUrl()) == Database.Kind.POSTGRESQL;
        EventLog events = new EventLog(jdbi, hub, mapper, clock,
                shared ? PgEventRelay.announcer(config.instanceId()) : EventLog.Announcer.NONE, hooks, changes);
        this.engine = new DebateEngine(config, clock, store, events,
                new OpenRouterChat(upstream, mapper, config, clock, sleeper, jitter),
                new ElevenLabsSpeech(upstream, mapper, config, blobs), new AnswerParser(mapper), finalizer, hooks,
                callMetrics);
        this.relay = shared ? Optional.of(new PgEventRelay(config.databaseUrl(), config.instanceId(), store, hub,
                streamTimer, engine::wake, changes)) : Optional.empty();
        DebateService service = new DebateService(config, clock, mapper, jdbi, events, engine, markets, models, quota,
                hooks, changes);
        // One lane per core: writes never block, so more threads would only take turns on the same cores.
        this.streamLanes = new StreamLanes(Runtime.getRuntime().availableProcessors());
        EventStream stream = new EventStream(store, hub, streamLanes, streamTimer, keepAlive);
        streamTimer.scheduleWithFixedDelay(this::purgeQuietly, TRACE_PURGE_EVERY.toMinutes(),
                TRACE_PURGE_EVERY.toMinutes(), TimeUnit.MINUTES);
        this.routes = new DebateRoutes(config, service, stream, new AudioFiles(blobs), new Bodies(mapper));
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }

    /** Jobs of this instance on a worker thread right now (for metrics). */
    public int runningJobs() {
        return engine.runningJobs();
    }

    /** Debates this instance holds a job for: running, queued or parked while paused (for metrics). */
    public int ownedJobs() {
        return engine.ownedJobs();
    }

    public long leaseTakeOvers() {
        return engine.leaseTakeOvers();
    }

    /** Live SSE viewers connected to this instance (for metrics). */
    public int liveViewers() {
        return hub.totalViewers();
    }

    /** Debates (not deleted) per status, read from the database; statuses without debates are absent. */
    public Map<String, Long> countByStatus() {
        Map<String, Long> counts = new TreeMap<>();
        store.countByStatus().forEach(row -> counts.put(row.status(), row.debates()));
        return counts;
    }

    /**
     * Deletes the model-call traces older than {@code TRACE_RETENTION_DAYS} (every instance runs it hourly; the
     * DELETE is idempotent, so instances need not agree on who does it). Returns how many went.
     */
    public int purgeExpiredTraces() {
        return store.purgeTraces(Timestamps.format(clock.instant().minus(traceRetention)));
    }

    private void purgeQuietly() {
        try {
            int purged = purgeExpiredTraces();
            if (purged > 0) {
                log.info("Purged {} model-call traces older than {} days", purged, traceRetention.toDays());
            }
        } catch (RuntimeException e) {
            log.warn("Could not purge old model-call traces", e);
        }
    }

    /** Gives every debate left unfinished by a previous run its job again (§11.1). */
    public void resumeUnfinished() {
        engine.recover();
    }

    /** Interrupts all jobs and streams at once without finishing anything, as a crash would. */
    public void abandonRunningJobs() {
        engine.abandonAll();
        relay.ifPresent(PgEventRelay::close);
        streamTimer.shutdownNow();
        streamLanes.close();
    }

    @Override
    public void close() {
        engine.close();
        relay.ifPresent(PgEventRelay::close);
        streamTimer.shutdownNow();
        streamLanes.close();
    }
}
