package com.polydebate.debates;

/** One persisted stream event: {@code data} is its compact JSON. */
record StoredEvent(String debateId, long seq, String event, String data) {
    boolean terminal() {
        return isTerminal(event, data);
    }

    static boolean isTerminal(String event, String data) {
        return event.equals("debate_complete") || event.equals("debate_stopped")
                || (event.equals("debate_error") && data.contains("\"fatal\":true"));
    }
}
