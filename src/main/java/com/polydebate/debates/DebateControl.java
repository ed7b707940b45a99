package com.polydebate.debates;

/**
 * The in-memory handle between the control endpoints and a debate's job: pause and stop flags plus a wake-up
 * signal that every finished model call, finished speech request and control change raises.
 */
final class DebateControl {
    /** PARKED: paused with nothing left to emit, so the job gave its worker and its lease back. */
    enum State { QUEUED, RUNNING, PARKED, FINISHED }

    private State state = State.QUEUED;
    private boolean paused;
    private boolean stopRequested;
    private boolean changed;
    private long reconciliations;

    DebateControl(boolean paused) {
        this.paused = paused;
    }

    /** False when the debate was finished (stopped) before its job started. */
    synchronized boolean begin() {
        if (state != State.QUEUED) {
            return false;
        }
        state = State.RUNNING;
        return true;
    }

    synchronized void finish() {
        state = State.FINISHED;
    }

    synchronized State state() {
        return state;
    }

    /**
     * Stops the debate: a queued or parked one is marked finished at once (true: the caller writes the terminal
     * event); a running job is asked to stop and writes it itself (false). One step, so a job cannot park in between.
     */
    synchronized boolean stopOrFinish() {
        if (state == State.QUEUED || state == State.PARKED) {
            state = State.FINISHED;
            return true;
        }
        stopRequested = true;
        signal();
        return false;
    }

    /** Parks a running job that is paused (and not stopping); false when it must keep running. */
    synchronized boolean park() {
        if (paused && !stopRequested && state == State.RUNNING) {
            state = State.PARKED;
            return true;
        }
        return false;
    }

    synchronized void setPaused(boolean value) {
        paused = value;
        reconciliations++;
        signal();
    }

    /** Taken before the job reads the status, for {@link #observe}. */
    synchronized long reconciliations() {
        return reconciliations;
    }

    /**
     * What the job read from the database (controls may have been sent to another instance); wakes the job only
     * when something changed, so that re-reading at every wake-up does not spin. A pause or resume reconciled on
     * this instance after the job's read began is newer than what the job read, so that read's pause flag is
     * dropped (the next read brings it); a stop is never undone, so it always counts.
     */
    synchronized void observe(long reconciliationsBeforeRead, boolean paused, boolean stopped) {
        boolean current = reconciliationsBeforeRead == reconciliations;
        boolean changed = (current && paused != this.paused) || (stopped && !stopRequested);
        if (current) {
            this.paused = paused;
        }
        stopRequested |= stopped;
        if (changed) {
            signal();
        }
    }

    synchronized boolean paused() {
        return paused;
    }


    synchronized boolean stopRequested() {
        return stopRequested;
    }

    synchronized void signal() {
        changed = true;
        notifyAll();
    }

    /** Waits until something changed since the last call (or the timeout passed). */
    synchronized void awaitChange(long millis) throws InterruptedException {
        if (!changed) {
            wait(millis);
        }
        changed = false;
    }
}
