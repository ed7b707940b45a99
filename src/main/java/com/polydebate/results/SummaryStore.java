package com.polydebate.results;

import com.polydebate.db.Timestamps;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterColumnMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The persisted half of single-flight summary generation: {@code summary_status} goes
 * {@code none → generating → ready} through conditional updates. The {@code generating} claim is a lease (V9) held
 * by one instance under a claim token, renewed while it generates; the summary is stored only under the current
 * token, and another instance takes the claim over only once its lease has expired.
 */
@RegisterConstructorMapper(SummaryStore.State.class)
@RegisterColumnMapper(Timestamps.Column.class)
interface SummaryStore {

    record State(String status, String summary, String owner, Instant leaseExpiresAt) {
        /** A stored summary counts whatever the status says: it is never generated twice. */
        boolean isReady() {
            return summary != null;
        }

        /** True while another generator's claim is alive at {@code now}: it must be waited for, not taken. */
        boolean claimedAt(Instant now) {
            return "generating".equals(status) && leaseExpiresAt != null && !leaseExpiresAt.isBefore(now);
        }
    }

    @SqlQuery("SELECT summary_status AS status, final_summary AS summary, summary_owner AS owner, "
            + "summary_lease_expires_at AS lease_expires_at FROM debates WHERE debate_id = :debateId")
    Optional<State> state(String debateId);

    /**
     * Takes the generation claim for {@code owner} under the token {@code claim} until {@code until}, when nobody
     * holds it or the holder's lease expired before {@code now} (its instance died without releasing it).
     */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean claim(String debateId, String owner, String claim, String now, String until);

    /** Extends the lease while the claim {@code claim} is still the current one. */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean renew(String debateId, String claim, String until);

    /** Stores the summary if the claim {@code claim} is still the current one (the fence). */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean complete(String debateId, String claim, String summaryJson);

    /** Gives up a claim that could not be completed, so that the next request may try again at once. */
    @SqlUpdate
    @UseClasspathSqlLocator
    void release(String debateId, String claim);

    @SqlUpdate("UPDATE debates SET final_predictions = :json WHERE debate_id = :debateId")
    void storeFinalPredictions(String debateId, String json);
}
