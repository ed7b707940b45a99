package com.polydebate.debates;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One event of a debate's stream (§10.5), a record per event type. Each record is the only place its body is
 * built, whether the job, recovery or a control request emits it; the JSON is the record's components in
 * snake_case.
 */
interface DebateEvent {
    /** The SSE event name. */
    String event();

    /** True for the event that ends a debate; a debate has at most one. */
    default boolean terminal() {
        return false;
    }

    record Started(String debateId, String status, String timestamp) implements DebateEvent {
        Started(String debateId, String timestamp) {
            this(debateId, DebateRow.IN_PROGRESS, timestamp);
        }

        @Override
        public String event() {
            return "debate_started";
        }
    }

    record ModelThinking(String modelId, String modelName, int round, String timestamp) implements DebateEvent {
        @Override
        public String event() {
            return "model_thinking";
        }
    }

    /** A model failed its turn; the debate carries on without its message. */
    record ModelFailed(String modelId, String modelName, int round, String error, String message, String errorType,
                       String timestamp) implements DebateEvent {
        @Override
        public String event() {
            return "debate_error";
        }
    }

    record RoundComplete(int round, int nextRound, int messagesCount, String timestamp) implements DebateEvent {
        @Override
        public String event() {
            return "round_complete";
        }
    }

    record Paused(String debateId, String status, String pausedBy, int currentRound, String timestamp)
            implements DebateEvent {
        Paused(String debateId, String pausedBy, int currentRound, String timestamp) {
            this(debateId, DebateRow.PAUSED, pausedBy, currentRound, timestamp);
        }

        @Override
        public String event() {
            return "debate_paused";
        }
    }

    record Resumed(String debateId, String status, int currentRound, String timestamp) implements DebateEvent {
        Resumed(String debateId, int currentRound, String timestamp) {
            this(debateId, DebateRow.IN_PROGRESS, currentRound, timestamp);
        }

        @Override
        public String event() {
            return "debate_resumed";
        }
    }

    record Stopped(String debateId, String status, String stoppedBy, int completedRounds, int totalMessages,
                   String timestamp) implements DebateEvent {
        Stopped(String debateId, String stoppedBy, int completedRounds, int totalMessages, String timestamp) {
            this(debateId, DebateRow.STOPPED, stoppedBy, completedRounds, totalMessages, timestamp);
        }

        @Override
        public String event() {
            return "debate_stopped";
        }

        @Override
        public boolean terminal() {
            return true;
        }
    }

    record Completed(String debateId, String status, int totalRounds, int totalMessages, long durationSeconds,
                     String resultsUrl, String timestamp) implements DebateEvent {
        Completed(String debateId, int totalRounds, int totalMessages, long durationSeconds, String timestamp) {
            this(debateId, DebateRow.COMPLETED, totalRounds, totalMessages, durationSeconds,
                    "/api/debate/" + debateId + "/results", timestamp);
        }

        @Override
        public String event() {
            return "debate_complete";
        }

        @Override
        public boolean terminal() {
            return true;
        }
    }

    /** The fatal {@code debate_error}: the debate cannot go on. */
    record Failed(String debateId, String status, boolean fatal, String error, String message, String timestamp)
            implements DebateEvent {
        Failed(String debateId, String error, String message, String timestamp) {
            this(debateId, DebateRow.FAILED, true, error, message, timestamp);
        }

        @Override
        public String event() {
            return "debate_error";
        }

        @Override
        public boolean terminal() {
            return true;
        }
    }

    /** The {@code message} event carries the stored message itself. */
    record MessageSent(@JsonValue MessageView message) implements DebateEvent {
        @Override
        public String event() {
            return "message";
        }
    }
}
