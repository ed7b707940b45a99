package com.polydebate.resolutions;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The tracker's tables: market_resolutions, its change log and the tracker lease (this feature is their only
 * writer). It reads the debates table only to learn which markets have a visible debate. Times are fixed-width text.
 */
@RegisterConstructorMapper(ResolutionDao.Row.class)
@RegisterConstructorMapper(ResolutionDao.Change.class)
@RegisterConstructorMapper(ResolutionDao.Tracker.class)
interface ResolutionDao {
    String UNSETTLED = "state NOT IN ('resolved', 'void')";

    /** A market_resolutions row with the question and number of its visible debates. */
    record Row(String marketId, String question, int debates, String state, String winnerName, String winnerToken,
               int winnerCount, String settledAt, String closedAt, String raw, String firstSeenAt, String checkedAt,
               String changedAt, String nextCheckAt, int failures, String lastError) {
    }

    record Change(String marketId, String state, String winnerName, String observedAt) {
    }

    record Tracker(String leaseOwner, String leaseExpiresAt, String lastPollAt) {
    }

    /** What one successful read of Gamma found. */
    record Reading(String marketId, String state, String winnerName, String winnerToken, int winnerCount,
                   String settledAt, String closedAt, String raw, String now, String nextCheckAt) {
    }

    @SqlUpdate("UPDATE resolution_tracker SET lease_owner = :me, lease_expires_at = :until WHERE id = 1 "
            + "AND (lease_owner IS NULL OR lease_owner = :me OR lease_expires_at < :now)")
    boolean claimLease(String me, String until, String now);

    @SqlUpdate("UPDATE resolution_tracker SET lease_expires_at = :until WHERE id = 1 AND lease_owner = :me")
    boolean renewLease(String me, String until);

    @SqlUpdate("UPDATE resolution_tracker SET lease_owner = NULL, lease_expires_at = NULL, last_poll_at = :now "
            + "WHERE id = 1 AND lease_owner = :me")
    void releaseLease(String me, String now);

    @SqlQuery("SELECT lease_owner, lease_expires_at, last_poll_at FROM resolution_tracker WHERE id = 1")
    Tracker tracker();

    /** Starts following every market that has a visible debate and is not followed yet. */
    @SqlUpdate
    @UseClasspathSqlLocator
    int discover(String now);

    /** Unsettled markets with a visible debate whose next check is due, the longest waiting first. */
    @SqlQuery("SELECT market_id FROM market_resolutions r WHERE " + UNSETTLED + " AND next_check_at <= :now "
            + "AND EXISTS (SELECT 1 FROM debates d WHERE d.market_id = r.market_id AND d.is_deleted = FALSE) "
            + "ORDER BY next_check_at, market_id LIMIT :limit")
    List<String> due(String now, int limit);

    @SqlQuery("SELECT COUNT(*) FROM market_resolutions r WHERE " + UNSETTLED + " AND next_check_at <= :now "
            + "AND EXISTS (SELECT 1 FROM debates d WHERE d.market_id = r.market_id AND d.is_deleted = FALSE)")
    int countDue(String now);

    /** Every unsettled market with a visible debate, those checked longest ago (or never) first. */
    @SqlQuery("SELECT market_id FROM market_resolutions r WHERE " + UNSETTLED + " "
            + "AND EXISTS (SELECT 1 FROM debates d WHERE d.market_id = r.market_id AND d.is_deleted = FALSE) "
            + "ORDER BY COALESCE(checked_at, ''), market_id LIMIT :limit")
    List<String> unsettled(int limit);

    @SqlQuery("SELECT COUNT(*) FROM market_resolutions r WHERE " + UNSETTLED + " "
            + "AND EXISTS (SELECT 1 FROM debates d WHERE d.market_id = r.market_id AND d.is_deleted = FALSE)")
    int countUnsettled();

    @SqlQuery("SELECT state FROM market_resolutions WHERE market_id = :marketId")
    Optional<String> state(String marketId);

    /** Stores a reading; a new state is logged and resets changed_at. */
    @Transaction
    default boolean record(Reading reading) {
        boolean changed = !state(reading.marketId()).map(reading.state()::equals).orElse(false);
        if (changed) {
            logChange(reading.marketId(), reading.state(), reading.winnerName(), reading.now());
        }
        update(reading, changed);
        return changed;
    }

    @SqlUpdate
    @UseClasspathSqlLocator
    void update(@BindMethods Reading reading, boolean changed);

    @SqlUpdate("INSERT INTO market_resolution_changes (market_id, state, winner_name, observed_at) "
            + "VALUES (:marketId, :state, :winnerName, :observedAt)")
    void logChange(String marketId, String state, String winnerName, String observedAt);

    @SqlUpdate("UPDATE market_resolutions SET checked_at = :now, next_check_at = :nextCheckAt, "
            + "failures = failures + 1, last_error = :error WHERE market_id = :marketId")
    void recordFailure(String marketId, String error, String now, String nextCheckAt);

    /** Markets in the given states, the most recently changed first. */
    @SqlQuery
    @UseClasspathSqlLocator
    List<Row> inStates(@BindList List<String> states, int limit);

    @SqlQuery("SELECT market_id, state, winner_name, observed_at FROM market_resolution_changes "
            + "WHERE market_id IN (<marketIds>) ORDER BY market_id, id")
    List<Change> changes(@BindList List<String> marketIds);
}
