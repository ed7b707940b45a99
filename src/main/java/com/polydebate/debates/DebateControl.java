package com.polydebate.debates;

/**
 * The in-memory handle between the control endpoints and a debate's job: pause and stop flags plus a wake-up
 * signal that every finished model call, finished speech request and control change raises.
 */
final class DebateControl {
    enum State { QUEUED, RUNNING, FINISHED }

    private State state = State.QUEUED;
    private boolean paused;
    private boolean stopRequested;
    private boolean changed;

    DebateControl(boolean paused) {
        this.paused = paused;
    }

    /** False when the debate was finished (stopped) before its job started. */
    synchronized boolean begin() {
        if (state == State.FINISHED) {
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

    /** Marks a queued debate finished; false when a job is already running it. */
    synchronized boolean finishIfQueued() {
        if (state == State.QUEUED) {
            state = State.FINISHED;
            return true;
        }
        return false;
    }

    synchronized void setPaused(boolean value) {
        paused = value;
        signal();
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized void requestStop() {
        stopRequested = true;
        signal();
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
