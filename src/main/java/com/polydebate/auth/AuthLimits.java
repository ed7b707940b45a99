package com.polydebate.auth;

import com.polydebate.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Code-request limits on a {@link RateLimitStore}, in a sliding hour, sign-up and log-in together: per
 * e-mail (whatever the IP, so a rotating address cannot flood one inbox) and per client IP over every
 * e-mail (so one host cannot mail thousands of addresses). Guesses are limited on the code itself
 * ({@code verification_codes.attempts}), not here.
 */
final class AuthLimits {
    private static final Duration CODE_WINDOW = Duration.ofHours(1);

    private final RateLimitStore store;
    private final Clock clock;
    private final int maxPerEmail;
    private final int maxPerIp;

    AuthLimits(RateLimitStore store, Clock clock, int maxPerEmail, int maxPerIp) {
        this.store = store;
        this.clock = clock;
        this.maxPerEmail = maxPerEmail;
        this.maxPerIp = maxPerIp;
    }

    /** A counted code request; {@link #release()} takes it back when no code was delivered after all. */
    final class Reservation {
        private final String email;
        private final String ip;
        private final Instant at;

        private Reservation(String email, String ip, Instant at) {
            this.email = email;
            this.ip = ip;
            this.at = at;
        }

        void release() {
            store.forget(emailKey(email), at);
            store.forget(ipKey(ip), at);
        }
    }

    /** Counts one code request against both limits, or answers 429 when either is used up. */
    Reservation reserveCodeRequest(String email, String ip) {
        Instant now = clock.instant();
        Instant since = now.minus(CODE_WINDOW);
        if (!store.tryRecord(ipKey(ip), now, since, maxPerIp)) {
            throw tooMany();
        }
        if (!store.tryRecord(emailKey(email), now, since, maxPerEmail)) {
            store.forget(ipKey(ip), now);
            throw tooMany();
        }
        return new Reservation(email, ip, now);
    }

    private static ApiException tooMany() {
        return new ApiException(429, "rate_limit_exceeded", "Too many codes requested; try again later",
                Map.of(), Map.of("remaining", 0), Map.of());
    }

    private static String emailKey(String email) {
        return "code-requests|email|" + email;
    }

    private static String ipKey(String ip) {
        return "code-requests|ip|" + ip;
    }
}
