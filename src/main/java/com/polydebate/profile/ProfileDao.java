package com.polydebate.profile;

import com.polydebate.db.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.sqlobject.config.RegisterColumnMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The favorites as the profile pages count and list them. */
@RegisterColumnMapper(Timestamps.Column.class)
@RegisterConstructorMapper(ProfileDao.SavedFavorite.class)
interface ProfileDao {

    /** A page of history and the total count of matching debates. */
    record HistoryPage(List<UserDebate> debates, int total) {
    }

    /** A favorite: of a market when {@code debateId} is null. */
    record SavedFavorite(String marketId, String debateId, Instant createdAt) {
    }

    @SqlQuery("SELECT COUNT(*) FROM user_favorites WHERE user_id = :userId")
    int favoriteCount(long userId);

    @SqlQuery("SELECT market_id, debate_id, created_at FROM user_favorites WHERE user_id = :userId "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
    List<SavedFavorite> newestFavorites(long userId, int limit, int offset);

    /** Those of {@code debateIds} that the user has saved. */
    @SqlQuery("SELECT debate_id FROM user_favorites WHERE user_id = :userId AND debate_id IN (<debateIds>)")
    Set<String> favorited(long userId, @BindList(onEmpty = BindList.EmptyHandling.NULL_STRING) List<String> debateIds);
}
