package com.polydebate.resolutions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.ResolutionSettings;
import com.polydebate.markets.MarketSettlements;
import com.polydebate.upstream.Sleeper;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Market resolution tracking (issue 14 §2): the tracker, its schedule and its admin routes. Once a minute the
 * schedule runs a poll of the markets that are due (each unsettled market every {@code RESOLUTION_POLL_MINUTES});
 * {@code afterPoll} (the scores) runs after every poll this instance made.
 */
public final class ResolutionFeature implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResolutionFeature.class);
    private static final Duration TICK = Duration.ofMinutes(1);

    private final ResolutionSettings settings;
    private final ResolutionTracker tracker;
    private final ResolutionRoutes routes;
    private ScheduledExecutorService scheduler;

    public ResolutionFeature(ResolutionSettings settings, Jdbi jdbi, MarketSettlements gamma, ObjectMapper mapper,
                             Clock clock, String instanceId, Runnable afterPoll) {
        this.settings = settings;
        ResolutionDao dao = jdbi.onDemand(ResolutionDao.class);
        Duration interval = Duration.ofMinutes(settings.scheduled() ? settings.pollMinutes()
                : ResolutionSettings.DEFAULT_POLL_MINUTES);
        Pacer pacer = new Pacer(Duration.ofMinutes(1).dividedBy(settings.requestsPerMinute()), Sleeper.REAL,
                System::nanoTime);
        this.tracker = new ResolutionTracker(dao, gamma, clock, instanceId, interval, settings.requestsPerMinute(),
                pacer, afterPoll);
        this.routes = new ResolutionRoutes(new ResolutionService(dao, tracker, settings, mapper));
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }

    /** Starts the schedule (first poll one tick after start); nothing when RESOLUTION_POLL_MINUTES is 0. */
    public synchronized void start() {
        if (!settings.scheduled()) {
            log.info("Resolution tracking runs only on demand (RESOLUTION_POLL_MINUTES=0)");
            return;
        }
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "resolution-tracker");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::tick, TICK.toSeconds(), TICK.toSeconds(), TimeUnit.SECONDS);
            log.info("Resolution tracking: each unsettled market every {} minutes, at most {} reads a minute",
                    settings.pollMinutes(), settings.requestsPerMinute());
        }
    }

    /**
     * Polls the markets that are due now, as the schedule does (tests call it after moving the clock).
     *
     * @return whether this instance held the lease and polled
     */
    public boolean pollDue() {
        return tracker.pollDue().ran();
    }

    private void tick() {
        try {
            tracker.pollDue();
        } catch (RuntimeException e) {
            // An exception would cancel the schedule; the next tick tries again.
            log.error("Resolution poll failed", e);
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("A resolution poll still running after 30 s is abandoned");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
