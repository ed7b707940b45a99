package com.polydebate.results;

import com.polydebate.db.Timestamps;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterColumnMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** The SQL behind {@link DebateCatalog}. */
@RegisterColumnMapper(Timestamps.Column.class)
@RegisterConstructorMapper(DebateCatalog.DebateItem.class)
@RegisterConstructorMapper(DebateCatalog.ModelUsage.class)
@RegisterConstructorMapper(DebateCatalog.CategoryCount.class)
@RegisterConstructorMapper(DebateCatalog.RecentDebate.class)
@RegisterConstructorMapper(DebateCatalog.Totals.class)
@RegisterConstructorMapper(DebateCatalog.ModelCallStats.class)
interface DebateCatalogDao {

    @SqlQuery("SELECT COUNT(*) FROM debates WHERE user_id = :userId AND is_deleted = FALSE")
    int countOf(long userId);

    @SqlQuery("SELECT user_id, COUNT(*) AS debates FROM debates WHERE user_id IS NOT NULL AND is_deleted = FALSE "
            + "GROUP BY user_id")
    @KeyColumn("user_id")
    @ValueColumn("debates")
    Map<Long, Integer> countsByUser();

    @SqlQuery("SELECT market_id FROM debates WHERE debate_id = :debateId AND is_deleted = FALSE")
    Optional<String> marketOf(String debateId);

    @Transaction
    default DebateCatalog.UserStatistics statistics(long userId) {
        return new DebateCatalog.UserStatistics(countOf(userId), topModels(userId), topCategories(userId));
    }

    @SqlQuery
    @UseClasspathSqlLocator
    List<DebateCatalog.ModelUsage> topModels(long userId);

    @SqlQuery
    @UseClasspathSqlLocator
    List<DebateCatalog.CategoryCount> topCategories(long userId);

    /** The bound values of a history query but its categories; timestamps are {@link Timestamps} strings. */
    record HistoryArgs(long userId, boolean allCategories, Optional<String> status, Optional<String> createdFrom,
                       Optional<String> createdBefore, boolean byRounds, int limit, int offset) {
    }

    /** Count and page in one transaction, so that the total matches the page. */
    @Transaction
    default DebateCatalog.HistoryPage history(HistoryArgs args, List<String> categories) {
        return new DebateCatalog.HistoryPage(historyPage(args, categories), historyCount(args, categories));
    }

    @SqlQuery
    @UseClasspathSqlLocator
    int historyCount(@BindMethods HistoryArgs args,
                     @BindList(onEmpty = BindList.EmptyHandling.NULL_STRING) List<String> categories);

    @SqlQuery
    @UseClasspathSqlLocator
    List<DebateCatalog.DebateItem> historyPage(@BindMethods HistoryArgs args,
                                               @BindList(onEmpty = BindList.EmptyHandling.NULL_STRING)
                                               List<String> categories);

    @SqlQuery
    @UseClasspathSqlLocator
    List<DebateCatalog.DebateItem> visible(@BindList List<String> debateIds);

    @SqlQuery
    @UseClasspathSqlLocator
    List<DebateCatalog.RecentDebate> newest(int limit);

    @SqlQuery
    @UseClasspathSqlLocator
    DebateCatalog.Totals totals(String since);

    @SqlQuery("SELECT model_id, COUNT(*) AS calls, AVG(cost) AS mean_cost, "
            + "AVG(time_to_first_token_ms) AS mean_time_to_first_token_ms "
            + "FROM model_call_traces GROUP BY model_id ORDER BY model_id")
    List<DebateCatalog.ModelCallStats> modelCallStats();
}
