package com.polydebate.debates;

/**
 * Points between the steps of the debate controls and of start-up recovery, where tests run other requests to
 * reproduce an interleaving deterministically instead of sleeping and hoping, and where benchmarks take the time of
 * a commit on the clock their viewers read. The server uses {@link #NONE}.
 */
public interface DebateHooks {
    DebateHooks NONE = new DebateHooks() { };

    /** A pause, resume or stop has been committed; the running job has not been told yet. */
    default void controlCommitted(String debateId, String action) {
    }

    /** Start-up recovery is about to look for debates to repair and resume. */
    default void recoveryStarting() {
    }

    /** Recovery has listed the debate as unfinished and is about to give it a job. */
    default void beforeRecoveryEnqueue(String debateId) {
    }

    /** The debate's job gave its worker back because the debate is paused with nothing left to emit. */
    default void jobParked(String debateId) {
    }

    /** The debate's job found its lease held by another instance and left without writing. */
    default void leaseLost(String debateId) {
    }

    /**
     * Events of the debate up to {@code lastSeq} were committed by this instance and are about to be published to
     * its own viewers (other instances learn of them through the database).
     */
    default void eventsCommitted(String debateId, long lastSeq) {
    }
}
