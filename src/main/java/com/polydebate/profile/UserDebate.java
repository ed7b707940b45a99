package com.polydebate.profile;

import com.polydebate.results.DebateCatalog;
import java.time.Instant;

/**
 * A debate in the caller's history (§18.8 UserDebate), or a synthetic "saved-{market_id}" item standing
 * for a market favorite (§16.5).
 */
record UserDebate(
        String debateId,
        String marketId,
        String marketQuestion,
        String marketCategory,
        String status,
        int rounds,
        int modelsCount,
        long totalTokensUsed,
        Instant createdAt,
        Instant completedAt,
        boolean isFavorite) {

    static final String SAVED_STATUS = "saved";

    static UserDebate of(DebateCatalog.DebateItem debate, boolean favorite) {
        return new UserDebate(debate.debateId(), debate.marketId(), debate.marketQuestion(), debate.marketCategory(),
                debate.status(), debate.rounds(), debate.modelsCount(), debate.totalTokensUsed(), debate.createdAt(),
                debate.completedAt(), favorite);
    }

    static UserDebate saved(String marketId, String question, String category, Instant favoritedAt) {
        return new UserDebate("saved-" + marketId, marketId, question, category, SAVED_STATUS, 0, 0, 0,
                favoritedAt, null, true);
    }
}
