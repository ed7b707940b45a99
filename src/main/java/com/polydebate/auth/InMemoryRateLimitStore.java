package com.polydebate.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * {@link RateLimitStore} in process memory. Events older than {@link #RETENTION} are dropped (§14.8), and
 * keys whose events are all gone are removed, so memory stays bounded by the traffic of the last two hours.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
    static final Duration RETENTION = Duration.ofHours(2);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, Deque<Instant>> events = new HashMap<>();
    private Instant lastSweep;

    public InMemoryRateLimitStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized int count(String key, Instant since) {
        sweepIfDue();
        Deque<Instant> list = events.get(key);
        if (list == null) {
            return 0;
        }
        return (int) list.stream().filter(t -> !t.isBefore(since)).count();
    }

    @Override
    public synchronized void record(String key, Instant at) {
        sweepIfDue();
        events.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
    }

    @Override
    public synchronized boolean tryRecord(String key, Instant at, Instant since, int max) {
        if (count(key, since) >= max) {
            return false;
        }
        record(key, at);
        return true;
    }

    @Override
    public synchronized void clear(String key) {
        events.remove(key);
    }

    synchronized int size() {
        return events.size();
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (lastSweep != null && now.isBefore(lastSweep.plus(SWEEP_INTERVAL))) {
            return;
        }
        lastSweep = now;
        Instant cutoff = now.minus(RETENTION);
        for (Iterator<Deque<Instant>> it = events.values().iterator(); it.hasNext(); ) {
            Deque<Instant> list = it.next();
            while (!list.isEmpty() && list.peekFirst().isBefore(cutoff)) {
                list.removeFirst();
            }
            if (list.isEmpty()) {
                it.remove();
            }
        }
    }
}
