package com.polydebate.debates;

import java.util.List;
import java.util.Set;

/** A debate as the engine and the control endpoints need it. */
record DebateRow(String debateId, Long userId, String status, boolean paused, boolean deleted, String marketId,
                 String question, String description, int rounds, boolean independentFirstRound, int currentRound,
                 int nextTurn, String startedAt, String createdAt, List<DebateModel> models,
                 List<StoredOutcome> outcomes) {
    static final String INITIALIZED = "initialized";
    static final String IN_PROGRESS = "in_progress";
    static final String PAUSED = "paused";
    static final String COMPLETED = "completed";
    static final String STOPPED = "stopped";
    static final String FAILED = "failed";
    static final Set<String> ACTIVE = Set.of(INITIALIZED, IN_PROGRESS, PAUSED);

    boolean active() {
        return ACTIVE.contains(status);
    }

    int totalTurns() {
        return rounds * models.size();
    }

    /** Round-1 turns are blind forecasts asked together (issue 14): no prompt quotes another round-1 answer. */
    boolean blind(int round) {
        return independentFirstRound && round == 1;
    }
}
