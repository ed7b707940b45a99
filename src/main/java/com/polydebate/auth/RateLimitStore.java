package com.polydebate.auth;

import com.polydebate.db.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Timestamped events per key in {@code rate_limit_events}: the memory behind the code-request and admin
 * log-in limits, shared by every instance on the database. Recording takes the key's row in
 * {@code rate_limit_keys} first, so that concurrent attempts on one key, from any instance, count one after the
 * other. Events and keys older than {@link #RETENTION} (twice the longest window) are deleted now and then.
 */
public final class RateLimitStore {
    static final Duration RETENTION = Duration.ofHours(2);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final AtomicReference<Instant> lastSweep = new AtomicReference<>(Instant.MIN);

    public RateLimitStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    interface Dao {
        @SqlUpdate("INSERT INTO rate_limit_keys (limit_key, touched_at) VALUES (:key, :at) ON CONFLICT (limit_key) DO NOTHING")
        void createKey(String key, String at);

        /** Holds the key's row lock until the transaction ends. */
        @SqlUpdate("UPDATE rate_limit_keys SET touched_at = :at WHERE limit_key = :key")
        void lockKey(String key, String at);

        @SqlUpdate("""
                INSERT INTO rate_limit_events (limit_key, occurred_at)
                SELECT :key, :at
                WHERE (SELECT COUNT(*) FROM rate_limit_events WHERE limit_key = :key AND occurred_at >= :since) < :max""")
        int insertBelow(String key, String at, String since, int max);

        @SqlUpdate("""
                DELETE FROM rate_limit_events WHERE id = (
                    SELECT MAX(id) FROM rate_limit_events WHERE limit_key = :key AND occurred_at = :at)""")
        int deleteOne(String key, String at);

        @SqlUpdate("DELETE FROM rate_limit_events WHERE occurred_at < :cutoff")
        int deleteEventsBefore(String cutoff);

        @SqlUpdate("DELETE FROM rate_limit_keys WHERE touched_at < :cutoff")
        int deleteKeysBefore(String cutoff);
    }

    /**
     * Records an event at {@code at} unless {@code key} already has {@code max} events since {@code since}.
     * Concurrent callers, on any instance, can never pass the limit together.
     */
    public boolean tryRecord(String key, Instant at, Instant since, int max) {
        sweepIfDue(at);
        String stamp = Timestamps.format(at);
        return jdbi.inTransaction(h -> {
            Dao dao = h.attach(Dao.class);
            dao.createKey(key, stamp);
            dao.lockKey(key, stamp);
            return dao.insertBelow(key, stamp, Timestamps.format(since), max) == 1;
        });
    }

    /** Takes back one event recorded by {@link #tryRecord} at {@code at}: it turned out not to count. */
    public void forget(String key, Instant at) {
        jdbi.onDemand(Dao.class).deleteOne(key, Timestamps.format(at));
    }

    private void sweepIfDue(Instant now) {
        Instant last = lastSweep.get();
        if (now.isBefore(last.plus(SWEEP_INTERVAL)) || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        String cutoff = Timestamps.format(now.minus(RETENTION));
        jdbi.useTransaction(h -> {
            Dao dao = h.attach(Dao.class);
            dao.deleteEventsBefore(cutoff);
            dao.deleteKeysBefore(cutoff);
        });
    }
}
