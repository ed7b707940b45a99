package com.polydebate.profile;

import com.polydebate.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** SQL of the profile feature: statistics aggregates, the debate history and the profile update. */
final class ProfileDao {
    /** A favorite with, for a debate favorite, the debate it points at. */
    record FavoriteRow(String marketId, Instant favoritedAt, Optional<UserDebate> debate) {
    }

    private static final String USER_DEBATE_COLUMNS = """
            d.debate_id, d.market_id, d.market_question, d.market_category, d.status, d.rounds,
            (SELECT COUNT(*) FROM debate_models m WHERE m.debate_id = d.debate_id) AS models_count,
            d.total_tokens_used, d.created_at, d.completed_at""";

    private final Jdbi jdbi;

    ProfileDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Statistics statistics(long userId) {
        return jdbi.inTransaction(h -> new Statistics(
                h.createQuery("SELECT COUNT(*) FROM debates WHERE user_id = :userId AND is_deleted = FALSE")
                        .bind("userId", userId).mapTo(Integer.class).one(),
                h.createQuery("SELECT COUNT(*) FROM user_favorites WHERE user_id = :userId")
                        .bind("userId", userId).mapTo(Integer.class).one(),
                h.createQuery("""
                                SELECT m.model_id, m.model_name, COUNT(DISTINCT d.debate_id) AS usage_count
                                FROM debate_models m JOIN debates d ON d.debate_id = m.debate_id
                                WHERE d.user_id = :userId AND d.is_deleted = FALSE
                                GROUP BY m.model_id, m.model_name
                                ORDER BY usage_count DESC, m.model_id ASC, m.model_name ASC
                                LIMIT 3""")
                        .bind("userId", userId)
                        .map((rs, ctx) -> new Statistics.ModelUsage(rs.getString("model_id"),
                                rs.getString("model_name"), rs.getInt("usage_count")))
                        .list(),
                h.createQuery("""
                                SELECT market_category, COUNT(*) AS category_count
                                FROM debates
                                WHERE user_id = :userId AND is_deleted = FALSE AND market_category IS NOT NULL
                                GROUP BY market_category
                                ORDER BY category_count DESC, market_category ASC
                                LIMIT 3""")
                        .bind("userId", userId)
                        .map((rs, ctx) -> new Statistics.CategoryCount(rs.getString("market_category"),
                                rs.getInt("category_count")))
                        .list()));
    }

    /** One page of the caller's non-deleted debates and the total matching the filters. */
    HistoryPage history(long userId, HistoryQuery query) {
        StringBuilder where = new StringBuilder("d.user_id = :userId AND d.is_deleted = FALSE");
        if (!query.categories().isEmpty()) {
            where.append(" AND LOWER(d.market_category) IN (<categories>)");
        }
        query.status().ifPresent(s -> where.append(" AND d.status = :status"));
        query.createdFrom().ifPresent(s -> where.append(" AND d.created_at >= :createdFrom"));
        query.createdBefore().ifPresent(s -> where.append(" AND d.created_at < :createdBefore"));
        String order = query.sort() == HistoryQuery.Sort.ROUNDS
                ? "d.rounds DESC, d.created_at DESC, d.debate_id ASC"
                : "d.created_at DESC, d.debate_id ASC";
        return jdbi.inTransaction(h -> {
            int total = bindFilters(h.createQuery("SELECT COUNT(*) FROM debates d WHERE " + where), userId, query)
                    .mapTo(Integer.class).one();
            List<UserDebate> debates = bindFilters(h.createQuery("SELECT " + USER_DEBATE_COLUMNS + ", "
                            + "EXISTS (SELECT 1 FROM user_favorites f WHERE f.user_id = :userId "
                            + "AND f.debate_id = d.debate_id) AS is_favorite "
                            + "FROM debates d WHERE " + where + " ORDER BY " + order
                            + " LIMIT :limit OFFSET :offset"), userId, query)
                    .bind("limit", query.limit())
                    .bind("offset", query.offset())
                    .map((rs, ctx) -> userDebate(rs, rs.getBoolean("is_favorite")))
                    .list();
            return new HistoryPage(debates, total);
        });
    }

    /** The newest favorites, skipping debate favorites whose debate is gone or deleted. */
    List<FavoriteRow> newestFavorites(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT f.market_id AS favorite_market_id, "
                        + "f.debate_id AS favorite_debate_id, f.created_at AS favorited_at, " + USER_DEBATE_COLUMNS
                        + " FROM user_favorites f LEFT JOIN debates d ON d.debate_id = f.debate_id "
                        + "WHERE f.user_id = :userId AND (f.debate_id IS NULL OR d.is_deleted = FALSE) "
                        + "ORDER BY f.created_at DESC, f.id DESC LIMIT :limit")
                .bind("userId", userId)
                .bind("limit", limit)
                .map((rs, ctx) -> new FavoriteRow(rs.getString("favorite_market_id"),
                        Timestamps.parse(rs.getString("favorited_at")),
                        rs.getString("favorite_debate_id") == null
                                ? Optional.empty() : Optional.of(userDebate(rs, true))))
                .list());
    }

    /**
     * Sets the name and/or the avatar URL (an empty Optional keeps the stored value) and answers the
     * avatar URL that was stored before, read in the same transaction.
     */
    Optional<String> updateProfile(long userId, Optional<String> name, Optional<String> avatarUrl) {
        return jdbi.inTransaction(h -> {
            Optional<String> previous = h.createQuery("SELECT avatar_url FROM users WHERE id = :id")
                    .bind("id", userId).mapTo(String.class).findOne();
            h.createUpdate("UPDATE users SET name = COALESCE(:name, name), "
                            + "avatar_url = COALESCE(:avatarUrl, avatar_url) WHERE id = :id")
                    .bind("name", name.orElse(null))
                    .bind("avatarUrl", avatarUrl.orElse(null))
                    .bind("id", userId)
                    .execute();
            return previous;
        });
    }

    private static Query bindFilters(Query query, long userId, HistoryQuery filters) {
        query.bind("userId", userId);
        if (!filters.categories().isEmpty()) {
            query.bindList("categories", filters.categories());
        }
        filters.status().ifPresent(s -> query.bind("status", s));
        filters.createdFrom().ifPresent(s -> query.bind("createdFrom", s));
        filters.createdBefore().ifPresent(s -> query.bind("createdBefore", s));
        return query;
    }

    private static UserDebate userDebate(ResultSet rs, boolean favorite) throws SQLException {
        String completedAt = rs.getString("completed_at");
        return new UserDebate(rs.getString("debate_id"), rs.getString("market_id"), rs.getString("market_question"),
                rs.getString("market_category"), rs.getString("status"), rs.getInt("rounds"),
                rs.getInt("models_count"), rs.getLong("total_tokens_used"),
                Timestamps.parse(rs.getString("created_at")),
                completedAt == null ? null : Timestamps.parse(completedAt), favorite);
    }

    /** A page of history and the total count of matching debates. */
    record HistoryPage(List<UserDebate> debates, int total) {
    }
}
