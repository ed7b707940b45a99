package com.polydebate.system;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the memory a busy period grew back once the server is quiet (README, "Memory"). The serial collector only
 * shrinks its old generation in a full collection, which a quiet server never runs on its own: the heap a load run
 * grew stays resident for good. So once collections have happened (the heap was in use) and then none for
 * {@code IDLE_GC_SECONDS}, this runs one full collection ({@code System.gc()}), after which the JVM shrinks the heap
 * to its free ratio ({@code -XX:MaxHeapFreeRatio}, set by {@code bin/polydebate}) and the native-heap trim returns
 * what the collection freed. A server under load collects every few seconds and is never touched; a lightly used one
 * pays at most one full collection per young one. Off with {@code IDLE_GC_SECONDS=0} or when the JVM ignores
 * {@code System.gc()} ({@code -XX:+DisableExplicitGC} in {@code JAVA_OPTS}).
 */
public final class IdleCollection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IdleCollection.class);

    /** What this needs of the JVM: how many collections ran so far, and a full collection. */
    interface Heap {
        long collections();

        void collect();
    }

    private final Heap heap;
    private final Clock clock;
    private final Duration quiet;
    private final boolean enabled;
    private ScheduledExecutorService timer;
    private long seenCollections;
    private Instant lastCollection;
    private boolean usedSinceLastIdleCollection;

    IdleCollection(Heap heap, Clock clock, Duration quiet, boolean enabled) {
        this.heap = heap;
        this.clock = clock;
        this.quiet = quiet;
        this.enabled = enabled;
        this.seenCollections = heap.collections();
        this.lastCollection = clock.instant();
        this.usedSinceLastIdleCollection = seenCollections > 0;
    }

    /**
     * The idle collection of this JVM, off when {@code quietSeconds} is 0 or {@code System.gc()} is disabled.
     */
    public static IdleCollection of(int quietSeconds, Clock clock) {
        boolean enabled = quietSeconds > 0;
        if (enabled && explicitGcDisabled()) {
            log.info("IDLE_GC_SECONDS={} has no effect: the JVM runs with -XX:+DisableExplicitGC", quietSeconds);
            enabled = false;
        }
        return new IdleCollection(new JvmHeap(), clock, Duration.ofSeconds(Math.max(1, quietSeconds)), enabled);
    }

    /** Starts the checks on a thread of their own, a few per quiet period (so a collection is at most a quarter late). */
    public synchronized void start() {
        if (!enabled || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "idle-gc");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1000, quiet.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::checkSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** One look at the heap: note new collections, or collect once the heap has been quiet long enough. */
    void check() {
        long collections = heap.collections();
        Instant now = clock.instant();
        if (collections != seenCollections) {
            seenCollections = collections;
            lastCollection = now;
            usedSinceLastIdleCollection = true;
            return;
        }
        if (usedSinceLastIdleCollection && !now.isBefore(lastCollection.plus(quiet))) {
            heap.collect();
            // Its own collection is not use: the next one only follows collections the server's work causes.
            seenCollections = heap.collections();
            lastCollection = now;
            usedSinceLastIdleCollection = false;
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("Idle collection check failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static boolean explicitGcDisabled() {
        var diagnostics = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return diagnostics != null && "true".equals(diagnostics.getVMOption("DisableExplicitGC").getValue());
    }

    /** The running JVM's collectors. */
    private static final class JvmHeap implements Heap {
        @Override
        public long collections() {
            long total = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                total += Math.max(0, collector.getCollectionCount());
            }
            return total;
        }

        @Override
        public void collect() {
            System.gc();
        }
    }
}
