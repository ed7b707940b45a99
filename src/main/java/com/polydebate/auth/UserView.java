package com.polydebate.auth;

import java.time.Instant;

/** The User object of the contract (§18.10). */
public record UserView(
        long id,
        String email,
        String name,
        String avatarUrl,
        int tokensRemaining,
        int totalDebates,
        Instant createdAt,
        Instant lastLogin,
        boolean isActive,
        boolean isAdmin) {

    public static UserView of(User user, int totalDebates) {
        return new UserView(user.id(), user.email(), user.name(), user.avatarUrl().orElse(null),
                user.tokensRemaining(), totalDebates, user.createdAt(), user.lastLogin().orElse(null),
                user.isActive(), user.isAdmin());
    }
}
