package com.polydebate.favorites;

import com.polydebate.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code user_favorites}. Every query is scoped to one user. */
@RegisterRowMapper(FavoriteDao.FavoriteMapper.class)
interface FavoriteDao {

    /**
     * Inserts unless one of the partial unique indexes already holds the same favorite; answers the
     * number of rows inserted (0 or 1). ON CONFLICT without a target covers every unique index in both
     * SQLite and PostgreSQL, so a concurrent double add never surfaces as a constraint error.
     */
    @SqlUpdate("INSERT INTO user_favorites (user_id, market_id, debate_id, created_at) "
            + "VALUES (:userId, :marketId, :debateId, :createdAt) ON CONFLICT DO NOTHING")
    int insertIfAbsent(long userId, String marketId, String debateId, String createdAt);

    @SqlQuery("SELECT * FROM user_favorites WHERE user_id = :userId AND debate_id = :debateId")
    Optional<Favorite> findDebateFavorite(long userId, String debateId);

    @SqlQuery("SELECT * FROM user_favorites WHERE user_id = :userId AND market_id = :marketId AND debate_id IS NULL")
    Optional<Favorite> findMarketFavorite(long userId, String marketId);

    @SqlQuery("SELECT * FROM user_favorites WHERE user_id = :userId AND market_id = :marketId "
            + "ORDER BY created_at ASC, id ASC LIMIT 1")
    Optional<Favorite> findOldestForMarket(long userId, String marketId);

    @SqlQuery("SELECT COUNT(*) > 0 FROM user_favorites WHERE user_id = :userId AND market_id = :marketId")
    boolean anyForMarket(long userId, String marketId);

    @SqlQuery("SELECT * FROM user_favorites WHERE user_id = :userId "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
    List<Favorite> listNewestFirst(long userId, int limit, int offset);

    @SqlQuery("SELECT COUNT(*) FROM user_favorites WHERE user_id = :userId")
    int count(long userId);

    @SqlUpdate("DELETE FROM user_favorites WHERE id = :id AND user_id = :userId")
    int delete(long id, long userId);

    final class FavoriteMapper implements RowMapper<Favorite> {
        @Override
        public Favorite map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Favorite(rs.getLong("id"), rs.getLong("user_id"), rs.getString("market_id"),
                    rs.getString("debate_id"), Timestamps.parse(rs.getString("created_at")));
        }
    }
}
