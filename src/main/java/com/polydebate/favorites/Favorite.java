package com.polydebate.favorites;

import java.time.Instant;

/** A row of {@code user_favorites} and its JSON (§18.11): a market favorite when {@code debateId} is null. */
record Favorite(long id, long userId, String marketId, String debateId, Instant createdAt) {
}
