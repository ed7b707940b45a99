package com.polydebate.debates;

import com.polydebate.db.Timestamps;
import java.time.Clock;
import java.time.Duration;

/**
 * This instance's side of the debate leases: its id and the lease length. Lease times come from the injected
 * clock (tests move it to expire a lease); they are fixed-width text, so the database compares them as strings.
 */
final class DebateLease {
    private final String me;
    private final Clock clock;
    private final Duration length;

    DebateLease(String me, Clock clock, Duration length) {
        this.me = me;
        this.clock = clock;
        this.length = length;
    }

    String me() {
        return me;
    }

    String now() {
        return Timestamps.format(clock.instant());
    }

    String until() {
        return Timestamps.format(clock.instant().plus(length));
    }

    Duration length() {
        return length;
    }

    /**
     * Fences a job's write: renews the lease in the write's own transaction, or throws {@link Lost} (rolling it
     * back) when another instance has taken the debate over.
     */
    void fence(DebateStore tx, String debateId) {
        if (!tx.renewLease(debateId, me, until())) {
            throw new Lost(debateId);
        }
    }

    /** The job no longer holds its debate's lease: it must write nothing more and exit. */
    static final class Lost extends RuntimeException {
        Lost(String debateId) {
            super("Lease of debate " + debateId + " lost", null, false, false);
        }
    }
}
