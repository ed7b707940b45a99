package com.polydebate.debates;

/**
 * One persisted stream event: {@code data} is its compact JSON; {@code terminal} is the stored
 * {@code is_terminal} flag, set from {@link DebateEvent#terminal()} when the event was written.
 */
record StoredEvent(String debateId, long seq, String event, String data, boolean terminal) {
}
