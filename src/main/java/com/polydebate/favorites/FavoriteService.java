package com.polydebate.favorites;

import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import com.polydebate.results.DebateCatalog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Favorite rules of §15: the two uniqueness kinds, the removal resolution order, per-user isolation. */
final class FavoriteService {
    /** The outcome of an add: the stored favorite and whether this call created it. */
    record Added(Favorite favorite, boolean created) {
    }

    /** One page of favorites with the total count. */
    record Page(List<Favorite> favorites, int total) {
    }

    private final Jdbi jdbi;
    private final DebateCatalog debates;
    private final Clock clock;

    FavoriteService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.debates = new DebateCatalog(jdbi);
        this.clock = clock;
    }

    List<Favorite> all(long userId) {
        return dao().listNewestFirst(userId, Integer.MAX_VALUE, 0);
    }

    Page page(long userId, int limit, int offset) {
        return jdbi.inTransaction(h -> {
            FavoriteDao dao = h.attach(FavoriteDao.class);
            return new Page(dao.listNewestFirst(userId, limit, offset), dao.count(userId));
        });
    }

    /** Adds a market favorite ({@code debateId} empty) or a debate favorite; an existing one is returned as is. */
    Added add(long userId, String marketId, Optional<String> debateId) {
        if (debateId.isPresent()) {
            String debateMarket = debates.marketOf(debateId.get())
                    .orElseThrow(() -> ApiException.notFound("debate_not_found", "Debate not found"));
            if (!debateMarket.equals(marketId)) {
                throw ApiException.validation(Map.of("market_id", "must be the market of the debate"));
            }
        }
        return jdbi.inTransaction(h -> {
            FavoriteDao dao = h.attach(FavoriteDao.class);
            int inserted = dao.insertIfAbsent(userId, marketId, debateId.orElse(null),
                    Timestamps.format(clock.instant()));
            Favorite favorite = (debateId.isPresent()
                    ? dao.findDebateFavorite(userId, debateId.get())
                    : dao.findMarketFavorite(userId, marketId))
                    .orElseThrow(() -> new IllegalStateException("Favorite vanished inside its transaction"));
            return new Added(favorite, inserted == 1);
        });
    }

    /** Removes one favorite: by debate id, else the market favorite, else the oldest favorite of that market. */
    void remove(long userId, String resourceId) {
        jdbi.useTransaction(h -> {
            FavoriteDao dao = h.attach(FavoriteDao.class);
            Favorite favorite = dao.findDebateFavorite(userId, resourceId)
                    .or(() -> dao.findMarketFavorite(userId, resourceId))
                    .or(() -> dao.findOldestForMarket(userId, resourceId))
                    .orElseThrow(() -> ApiException.notFound("not_found", "No such favorite"));
            dao.delete(favorite.id(), userId);
        });
    }

    boolean isFavorited(long userId, String marketId) {
        return dao().anyForMarket(userId, marketId);
    }

    private FavoriteDao dao() {
        return jdbi.onDemand(FavoriteDao.class);
    }
}
