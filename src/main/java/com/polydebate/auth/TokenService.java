package com.polydebate.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.polydebate.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Issues and verifies the HS256 session tokens of §3. Each token carries a random {@code jti}, so that
 * signing out can revoke exactly that token ({@code revoked_tokens}).
 */
public final class TokenService {
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    /** A verified token: whose it is, its id and when it expires. */
    record Claims(long userId, String jti, Instant expiresAt) {
    }

    public TokenService(Config config, Clock clock, SecureRandom random) {
        this.algorithm = Algorithm.HMAC256(config.jwtSecretKey());
        this.lifetime = Duration.ofMinutes(config.jwtExpirationMinutes());
        this.clock = clock;
        this.random = random;
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withClaimPresence("user_id")
                .withClaimPresence("email")
                .withClaimPresence("name")
                .withClaimPresence("iat")
                .withClaimPresence("exp")
                .withClaimPresence("jti"))
                .build(clock);
    }

    public String issue(User user) {
        Instant now = clock.instant();
        byte[] id = new byte[16];
        random.nextBytes(id);
        return JWT.create()
                .withJWTId(HexFormat.of().formatHex(id))
                .withClaim("user_id", user.id())
                .withClaim("email", user.email())
                .withClaim("name", user.name())
                .withSubject(Long.toString(user.id()))
                .withIssuedAt(Date.from(now))
                .withExpiresAt(Date.from(now.plus(lifetime)))
                .sign(algorithm);
    }

    /** The claims of a valid token; empty for a bad signature, wrong algorithm, expiry or missing claim. */
    Optional<Claims> verify(String token) {
        try {
            DecodedJWT jwt = verifier.verify(token);
            // Only a JSON integer is a user id: "7", 7.5 or true must not be coerced into one.
            Object userId = jwt.getClaim("user_id").as(Object.class);
            if (userId instanceof Integer || userId instanceof Long) {
                return Optional.of(new Claims(((Number) userId).longValue(), jwt.getId(),
                        jwt.getExpiresAtAsInstant()));
            }
            return Optional.empty();
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
