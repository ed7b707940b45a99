package com.polydebate.auth;

import com.polydebate.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The per-(e-mail, IP) limits of §14.8 on top of a {@link RateLimitStore}: codes issued in a sliding hour
 * (sign-up and log-in share it) and failed verifications since the last issued code or success.
 */
final class AuthLimits {
    private static final Duration CODE_WINDOW = Duration.ofHours(1);

    private final RateLimitStore store;
    private final Clock clock;
    private final int maxCodeRequests;
    private final int maxFailedAttempts;

    AuthLimits(RateLimitStore store, Clock clock, int maxCodeRequests, int maxFailedAttempts) {
        this.store = store;
        this.clock = clock;
        this.maxCodeRequests = maxCodeRequests;
        this.maxFailedAttempts = maxFailedAttempts;
    }

    void checkCodeRequest(String email, String ip) {
        Instant now = clock.instant();
        if (store.count(codesKey(email, ip), now.minus(CODE_WINDOW)) >= maxCodeRequests) {
            throw new ApiException(429, "rate_limit_exceeded", "Too many codes requested; try again later",
                    Map.of(), Map.of("remaining", 0), Map.of());
        }
    }

    /** A code was issued (and delivered): it counts against the hourly limit and unlocks verification. */
    void codeIssued(String email, String ip) {
        store.record(codesKey(email, ip), clock.instant());
        store.clear(attemptsKey(email, ip));
    }

    void checkVerification(String email, String ip) {
        // Failures only disappear through clear() or the store's retention, so any age counts.
        if (store.count(attemptsKey(email, ip), Instant.EPOCH) >= maxFailedAttempts) {
            throw new ApiException(429, "too_many_attempts", "Too many wrong codes; request a new code",
                    Map.of(), Map.of("remaining", 0), Map.of());
        }
    }

    void verificationFailed(String email, String ip) {
        store.record(attemptsKey(email, ip), clock.instant());
    }

    void verificationSucceeded(String email, String ip) {
        store.clear(attemptsKey(email, ip));
    }

    private static String codesKey(String email, String ip) {
        return "code-requests|" + email + "|" + ip;
    }

    private static String attemptsKey(String email, String ip) {
        return "failed-verifications|" + email + "|" + ip;
    }
}
