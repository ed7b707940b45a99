package com.polydebate.http;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Jetty's request threads. At most {@code HTTP_MAX_THREADS} (default 250, Javalin's own bound: a bound of 64 was
 * measured to starve 1,000 keep-alive connections; requests beyond it wait in Jetty's queue, and SSE viewers hold no
 * thread between events). Threads idle for {@link #IDLE_TIMEOUT_MILLIS} end all at once, not one per timeout as Jetty's default
 * does, so the stacks a burst grew are given back within a minute.
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
