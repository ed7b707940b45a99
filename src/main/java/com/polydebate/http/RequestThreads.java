package com.polydebate.http;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Jetty's request threads. At most {@code HTTP_MAX_THREADS} (default 64): Jetty starts a thread for every request
 * that finds none idle, so a burst (a thousand stream viewers connecting) started ~240 of Javalin's 250, ~70 MiB of
 * stacks and per-thread memory, while two cores run no more of them at once. Requests beyond the bound wait in
 * Jetty's queue; SSE viewers hold no thread between events, and debate reads none for a database connection, so
 * 1,000 keep-alive connections are served as fast as with 250 (docs/benchmarks.md). Threads idle for
 * {@link #IDLE_TIMEOUT_MILLIS} end all at once, not one per timeout as Jetty's default does, so the stacks a burst
 * grew are given back within a minute.
 */
final class RequestThreads {
    static final int MIN_THREADS = 8;
    static final int IDLE_TIMEOUT_MILLIS = 30_000;

    private RequestThreads() {
    }

    static ThreadPool pool(int maxThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(MIN_THREADS, maxThreads), IDLE_TIMEOUT_MILLIS);
        pool.setName("http");
        pool.setMaxEvictCount(maxThreads);
        return pool;
    }
}
