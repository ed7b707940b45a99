package com.polydebate.scores;

import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.MapMapper;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMap;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The scores' tables (debate_scores, forecast_scores, forecast_lifts, score_rollups; this feature is their only
 * writer), plus reads of the debate tables and of market_resolutions, which belong to the debate and resolution
 * features.
 */
@RegisterConstructorMapper(ScoreDao.Header.class)
@RegisterConstructorMapper(ScoreDao.OutcomeRow.class)
@RegisterConstructorMapper(ScoreDao.ModelRow.class)
@RegisterConstructorMapper(ScoreDao.PredictionRow.class)
@RegisterConstructorMapper(ScoreDao.Resolution.class)
@RegisterConstructorMapper(ScoreDao.StoredDebate.class)
@RegisterConstructorMapper(ScoreDao.StoredForecast.class)
interface ScoreDao extends SqlObject {

    /** A visible debate as scoring sees it. */
    record Header(String debateId, String marketId, String status, String marketCategory, String createdAt) {
    }

    record OutcomeRow(String name, String slug, double price) {
    }

    record ModelRow(String modelId, String modelName) {
    }

    record PredictionRow(String modelId, int round, int sequence, String outcomeName, double percentage) {
    }

    /** The tracker's record of a market. */
    record Resolution(String state, String winnerName, String winnerToken, int winnerCount, String settledAt,
                      String closedAt, String changedAt) {
    }

    record StoredDebate(String debateId, String marketId, int scoringVersion, String status, String reason,
                        String winner, boolean winnerNotDebated, String outcomes, Double dispersionRound1,
                        Double dispersionFinal, Double herding, String scoredAt) {
    }

    record StoredForecast(String kind, String subject, String subjectName, String category, String debateDay,
                          int position, Integer round1Round, Integer finalRound, String predictionsRound1,
                          String predictionsFinal, Double brierRound1, double brierFinal, Double logRound1,
                          double logFinal, Double lift, Double marketBrier, Double herding, String calibration) {
    }

    /** A debate_scores row to write; {@code outcomes} is JSON. */
    record DebateRow(String debateId, String marketId, int scoringVersion, String status, String reason,
                     String winner, boolean winnerNotDebated, String outcomes, Double dispersionRound1,
                     Double dispersionFinal, Double herding, String scoredAt) {
    }

    /** A forecast_scores row to write; predictions and calibration are JSON. */
    record ForecastRow(String debateId, String kind, String subject, String subjectName, String category,
                       String debateDay, int position, Integer round1Round, Integer finalRound,
                       String predictionsRound1, String predictionsFinal, Double brierRound1, double brierFinal,
                       Double logRound1, double logFinal, Double lift, Double marketBrier, Double herding,
                       String calibration) {
    }

    // ---- reading debates (tables of the debate feature) ----

    @SqlQuery("SELECT debate_id, market_id, status, market_category, created_at FROM debates "
            + "WHERE debate_id = :debateId AND is_deleted = FALSE")
    Optional<Header> header(String debateId);

    @SqlQuery("SELECT name, slug, price FROM debate_outcomes WHERE debate_id = :debateId ORDER BY position")
    List<OutcomeRow> outcomes(String debateId);

    @SqlQuery("SELECT model_id, model_name FROM debate_models WHERE debate_id = :debateId ORDER BY position")
    List<ModelRow> models(String debateId);

    @SqlQuery
    @UseClasspathSqlLocator
    List<PredictionRow> predictions(String debateId);

    /** Completed visible debates on resolved markets without a score of this version, oldest first. */
    @SqlQuery
    @UseClasspathSqlLocator
    List<String> eligible(int version, int limit);

    // ---- reading market_resolutions (the resolution feature's) ----

    @SqlQuery("SELECT state, winner_name, winner_token, winner_count, settled_at, closed_at, changed_at "
            + "FROM market_resolutions WHERE market_id = :marketId")
    Optional<Resolution> resolution(String marketId);

    // ---- this feature's tables ----

    @SqlQuery("SELECT debate_id, market_id, scoring_version, status, reason, winner, winner_not_debated, outcomes, "
            + "dispersion_round1, dispersion_final, herding, scored_at FROM debate_scores WHERE debate_id = :debateId")
    Optional<StoredDebate> stored(String debateId);

    @SqlQuery("SELECT kind, subject, subject_name, category, debate_day, position, round1_round, final_round, "
            + "predictions_round1, predictions_final, brier_round1, brier_final, log_round1, log_final, lift, "
            + "market_brier, herding, calibration FROM forecast_scores WHERE debate_id = :debateId "
            + "ORDER BY position, kind, subject")
    List<StoredForecast> forecasts(String debateId);

    /** Inserts a debate's score unless one exists; true when this call inserted it. */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean insertDebateScore(@BindMethods DebateRow row);

    /** Moves a score from {@code oldVersion} to the row's; false when another writer already did. */
    @SqlUpdate
    @UseClasspathSqlLocator
    boolean replaceDebateScore(@BindMethods DebateRow row, int oldVersion);

    @SqlUpdate
    @UseClasspathSqlLocator
    void insertForecast(@BindMethods ForecastRow row);

    @SqlUpdate("INSERT INTO forecast_lifts (debate_id, kind, subject, category, debate_day, lift) "
            + "VALUES (:debateId, :kind, :subject, :category, :debateDay, :lift)")
    void insertLift(@BindMethods ForecastRow row);

    @SqlUpdate("DELETE FROM forecast_scores WHERE debate_id = :debateId")
    void deleteForecasts(String debateId);

    @SqlUpdate("DELETE FROM forecast_lifts WHERE debate_id = :debateId")
    void deleteLifts(String debateId);

    /** A debate's forecast rows, each with its lift (when it has one) in forecast_lifts as well. */
    default void insertForecasts(List<ForecastRow> rows) {
        for (ForecastRow row : rows) {
            insertForecast(row);
            if (row.lift() != null) {
                insertLift(row);
            }
        }
    }

    /** Adds one forecast's contribution (all sums already signed) to its rollup row. */
    @SqlUpdate
    @UseClasspathSqlLocator
    void addRollup(@BindMap Map<String, Object> contribution);

    @SqlUpdate("DELETE FROM score_rollups WHERE granularity = :granularity AND bucket = :bucket AND kind = :kind "
            + "AND subject = :subject AND category = :category AND debates = 0")
    void dropEmptyRollup(String granularity, String bucket, String kind, String subject, String category);

    /** Stores a first score and adds its forecasts to the rollups; false when another writer stored it first. */
    @Transaction
    default boolean storeNew(DebateRow debate, List<ForecastRow> rows, List<Contribution> contributions) {
        if (!insertDebateScore(debate)) {
            return false;
        }
        insertForecasts(rows);
        contributions.forEach(c -> c.buckets().forEach(b -> addRollup(c.bindings(1, b))));
        return true;
    }

    /**
     * Replaces a score of {@code oldVersion}: its forecasts come off the rollups and out of the table, the new ones
     * go in; false when another writer replaced it first.
     */
    @Transaction
    default boolean replace(DebateRow debate, int oldVersion, List<ForecastRow> rows,
                            List<Contribution> contributions) {
        if (!replaceDebateScore(debate, oldVersion)) {
            return false;
        }
        for (StoredForecast old : forecasts(debate.debateId())) {
            Contribution c = ScoreJson.contribution(old);
            for (String[] bucket : c.buckets()) {
                addRollup(c.bindings(-1, bucket));
                dropEmptyRollup(bucket[0], bucket[1], c.kind(), c.subject(), c.category());
            }
        }
        deleteForecasts(debate.debateId());
        deleteLifts(debate.debateId());
        insertForecasts(rows);
        contributions.forEach(c -> c.buckets().forEach(b -> addRollup(c.bindings(1, b))));
        return true;
    }

    // ---- the leaderboard ----

    /**
     * Per forecaster, the rollup sums in the filter (deleted debates still included): the months from
     * {@code monthsFrom} on (all when empty) plus the days in [{@code daysFrom}, {@code daysUntil}) (none when empty).
     */
    default List<RollupSums> rollupSums(Optional<String> category, Optional<String> monthsFrom,
                                        Optional<String> daysFrom, Optional<String> daysUntil) {
        return rollupRows(category, monthsFrom, daysFrom, daysUntil).stream().map(RollupSums::from).toList();
    }

    @SqlQuery("rollupSums")
    @UseClasspathSqlLocator
    @RegisterRowMapper(MapMapper.class)
    List<Map<String, Object>> rollupRows(Optional<String> category, Optional<String> monthsFrom,
                                         Optional<String> daysFrom, Optional<String> daysUntil);

    /** The forecast rows of soft-deleted debates in the filter: their contributions come off the rollup sums. */
    @SqlQuery
    @UseClasspathSqlLocator
    List<StoredForecast> deletedForecasts(Optional<String> category, Optional<String> since);

    /** One forecaster's lifts in the filter, visible debates only, in no particular order. */
    default double[] lifts(String kind, String subject, Optional<String> category, Optional<String> since) {
        return getHandle().createQuery(LIFTS)
                .bind("kind", kind).bind("subject", subject)
                .bind("category", category.orElse(null)).bind("since", since.orElse(null))
                .scanResultSet((results, ctx) -> {
                    ResultSet rs = results.get();
                    double[] values = new double[256];
                    int n = 0;
                    while (rs.next()) {
                        if (n == values.length) {
                            values = Arrays.copyOf(values, n * 2);
                        }
                        values[n++] = rs.getDouble(1);
                    }
                    return Arrays.copyOf(values, n);
                });
    }

    /** Read into a primitive array: a leaderboard reads up to one lift per scored model-debate. */
    String LIFTS = """
            SELECT lift
              FROM forecast_lifts
             WHERE kind = :kind AND subject = :subject
               AND (CAST(:category AS TEXT) IS NULL OR category = :category)
               AND (CAST(:since AS TEXT) IS NULL OR debate_day >= :since)
               AND debate_id NOT IN (SELECT debate_id FROM debates WHERE is_deleted = TRUE)""";
}
