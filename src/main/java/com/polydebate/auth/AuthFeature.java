package com.polydebate.auth;

import com.polydebate.config.Config;
import com.polydebate.debates.DailyQuota;
import com.polydebate.http.Bodies;
import io.javalin.config.RoutesConfig;
import java.security.SecureRandom;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The sign-up, log-in and session endpoints wired together. Tokens, the daily quota and the rate-limit store are
 * shared with other features, so the composition root builds them and hands them in.
 */
public final class AuthFeature {
    private final AuthRoutes routes;

    public AuthFeature(Config config, Jdbi jdbi, TokenService tokens, DailyQuota quota, CodeMailer mailer,
                       RateLimitStore limits, Bodies bodies, Clock clock, SecureRandom random) {
        AuthService service = new AuthService(config, jdbi, tokens, mailer, limits, clock, random);
        this.routes = new AuthRoutes(service, quota, bodies);
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }
}
