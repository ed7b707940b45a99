package com.polydebate.results;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The persisted half of single-flight summary generation: {@code summary_status} goes
 * {@code none → generating → ready} through conditional updates, so only one request in one instance
 * wins the right to call Gemini.
 */
@RegisterConstructorMapper(SummaryStore.State.class)
interface SummaryStore {

    record State(String status, String summary, String claimedAt) {
        /** A stored summary counts whatever the status says: it is never generated twice. */
        boolean isReady() {
            return summary != null;
        }
    }

    @SqlQuery("SELECT summary_status AS status, final_summary AS summary, summary_claimed_at AS claimed_at "
            + "FROM debates WHERE debate_id = :debateId")
    Optional<State> state(String debateId);

    /**
     * Takes the generation claim when nobody holds it, or when the holder's claim is older than
     * {@code staleBefore} (an instance that crashed mid-generation never releases it).
     */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean claim(String debateId, String now, String staleBefore);

    /** Stores the summary if the claim taken at {@code claimedAt} is still ours. */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean complete(String debateId, String claimedAt, String summaryJson);

    /** Gives up a claim that could not be completed, so that the next request may try again at once. */
    @SqlUpdate
    @UseClasspathSqlLocator
    void release(String debateId, String claimedAt);

    @SqlUpdate("UPDATE debates SET final_predictions = :json WHERE debate_id = :debateId")
    void storeFinalPredictions(String debateId, String json);
}
