package com.polydebate.results;

import com.polydebate.db.Timestamps;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Debates as other features see them (accounts, favorites, profile, admin): counts, a user's history and
 * statistics, the debates behind favorites and the admin overview. The debate tables belong to the debate
 * feature; everyone else reads them through this class. "Visible" means not soft-deleted.
 */
public final class DebateCatalog {
    private final DebateCatalogDao dao;

    public DebateCatalog(Jdbi jdbi) {
        this.dao = jdbi.onDemand(DebateCatalogDao.class);
    }

    /** A visible debate as a history or favorites item shows it. */
    public record DebateItem(String debateId, String marketId, String marketQuestion, String marketCategory,
                             String status, int rounds, int modelsCount, long totalTokensUsed, Instant createdAt,
                             Instant completedAt) {
    }

    /** Filters and page of a user's history; {@code categories} are lower-case names, empty for all. */
    public record HistoryFilter(List<String> categories, Optional<String> status, Optional<Instant> createdFrom,
                                Optional<Instant> createdBefore, boolean byRounds, int limit, int offset) {
    }

    /** One page of a user's history, newest first (or most rounds first), and the total matching the filters. */
    public record HistoryPage(List<DebateItem> debates, int total) {
    }

    public record ModelUsage(String modelId, String modelName, int usageCount) {
    }

    public record CategoryCount(String category, int debateCount) {
    }

    /** A user's visible debates: how many, and the three models and categories used most. */
    public record UserStatistics(int totalDebates, List<ModelUsage> favoriteModels,
                                 List<CategoryCount> favoriteCategories) {
    }

    /**
     * A debate in the admin overview, soft-deleted ones included, with the tokens its model calls used and their
     * cost (null unless every call reported one).
     */
    public record RecentDebate(String debateId, String marketId, String marketQuestion, Long userId, String status,
                               boolean deleted, Instant createdAt, long totalTokens, Double totalCost) {
    }

    /**
     * One model's calls over the kept traces (the last TRACE_RETENTION_DAYS): their number, the mean cost of those
     * that reported one and the mean time to first token of those that streamed one (null when none did).
     */
    public record ModelCallStats(String modelId, long calls, Double meanCost, Double meanTimeToFirstTokenMs) {
    }

    /** Every debate and message, soft-deleted ones included, and the debates created since a moment. */
    public record Totals(long debates, long messages, long debatesSince) {
    }

    public int countOf(long userId) {
        return dao.countOf(userId);
    }

    /** The number of visible debates per user id; users without any are absent. */
    public Map<Long, Integer> countsByUser() {
        return dao.countsByUser();
    }

    /** The market of a visible debate. */
    public Optional<String> marketOf(String debateId) {
        return dao.marketOf(debateId);
    }

    public UserStatistics statistics(long userId) {
        return dao.statistics(userId);
    }

    public HistoryPage history(long userId, HistoryFilter filter) {
        return dao.history(new DebateCatalogDao.HistoryArgs(userId, filter.categories().isEmpty(), filter.status(),
                filter.createdFrom().map(Timestamps::format), filter.createdBefore().map(Timestamps::format),
                filter.byRounds(), filter.limit(), filter.offset()), filter.categories());
    }

    /** The visible debates among {@code debateIds}, by id; unknown and deleted ones are absent. */
    public Map<String, DebateItem> visible(Collection<String> debateIds) {
        Map<String, DebateItem> byId = new LinkedHashMap<>();
        if (!debateIds.isEmpty()) {
            dao.visible(List.copyOf(debateIds)).forEach(d -> byId.put(d.debateId(), d));
        }
        return byId;
    }

    /** The newest debates, soft-deleted ones included. */
    public List<RecentDebate> newest(int limit) {
        return dao.newest(limit);
    }

    /** Cost and latency per model, over the model-call traces still kept. */
    public List<ModelCallStats> modelCallStats() {
        return dao.modelCallStats();
    }

    public Totals totals(Instant since) {
        return dao.totals(Timestamps.format(since));
    }
}
