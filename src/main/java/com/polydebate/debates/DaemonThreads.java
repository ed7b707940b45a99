package com.polydebate.debates;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread factory of every pool in this feature: daemon threads, so that a job still running never holds the
 * JVM open at shutdown, numbered per pool so thread dumps say which pool a thread belongs to.
 */
final class DaemonThreads {
    private DaemonThreads() {
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
