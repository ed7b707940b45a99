package com.polydebate.auth;

import java.time.Instant;

/**
 * Timestamped events per key, the memory behind the rate limits of §14.8. The in-memory implementation
 * serves a single instance; a shared store (Redis, a table) can replace it for several instances.
 */
public interface RateLimitStore {

    /** Events of {@code key} at or after {@code since}. */
    int count(String key, Instant since);

    void record(String key, Instant at);

    /** Atomically records an event unless {@code key} already has {@code max} events since {@code since}. */
    boolean tryRecord(String key, Instant at, Instant since, int max);

    /** Forgets every event of {@code key}. */
    void clear(String key);
}
