package com.polydebate.auth;

import java.time.Instant;
import java.util.Optional;

/** A row of {@code users}. */
public record User(
        long id,
        String email,
        String name,
        Instant createdAt,
        Optional<Instant> lastLogin,
        boolean isActive,
        boolean isAdmin,
        Optional<String> avatarUrl,
        int tokensRemaining,
        int dailyDebateCount,
        Optional<String> lastDebateDate) {
}
