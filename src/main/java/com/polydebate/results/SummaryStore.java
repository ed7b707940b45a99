package com.polydebate.results;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The persisted half of single-flight summary generation: {@code summary_status} goes
 * {@code none → generating → ready} through conditional updates, so only one request in one instance
 * wins the right to call Gemini.
 */
final class SummaryStore {
    private final Jdbi jdbi;

    SummaryStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    record State(String status, String summary, String claimedAt) {
        /** A stored summary counts whatever the status says: it is never generated twice. */
        boolean isReady() {
            return summary != null;
        }
    }

    Optional<State> state(String debateId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT summary_status, final_summary, summary_claimed_at "
                        + "FROM debates WHERE debate_id = :id")
                .bind("id", debateId)
                .map((rs, ctx) -> new State(rs.getString(1), rs.getString(2), rs.getString(3)))
                .findOne());
    }

    /**
     * Takes the generation claim when nobody holds it, or when the holder's claim is older than
     * {@code staleBefore} (an instance that crashed mid-generation never releases it).
     */
    boolean claim(String debateId, String now, String staleBefore) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE debates SET summary_status = 'generating', summary_claimed_at = :now
                        WHERE debate_id = :id AND final_summary IS NULL
                          AND (summary_status <> 'generating' OR summary_claimed_at IS NULL
                               OR summary_claimed_at < :staleBefore)""")
                .bind("id", debateId).bind("now", now).bind("staleBefore", staleBefore)
                .execute()) == 1;
    }

    /** Stores the summary if the claim taken at {@code claimedAt} is still ours. */
    boolean complete(String debateId, String claimedAt, String summaryJson) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE debates SET final_summary = :summary, summary_status = 'ready', summary_claimed_at = NULL
                        WHERE debate_id = :id AND summary_status = 'generating' AND summary_claimed_at = :claimedAt""")
                .bind("id", debateId).bind("summary", summaryJson).bind("claimedAt", claimedAt)
                .execute()) == 1;
    }

    /** Gives up a claim that could not be completed, so that the next request may try again at once. */
    void release(String debateId, String claimedAt) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE debates SET summary_status = 'none', summary_claimed_at = NULL
                        WHERE debate_id = :id AND summary_status = 'generating' AND summary_claimed_at = :claimedAt""")
                .bind("id", debateId).bind("claimedAt", claimedAt).execute());
    }

    void storeFinalPredictions(String debateId, String json) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE debates SET final_predictions = :fp WHERE debate_id = :id")
                .bind("id", debateId).bind("fp", json).execute());
    }
}
