package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Session tokens (§3): only HS256 tokens signed with our key, unexpired, complete, of an active user work. */
class TokenAccessTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestResponse me(String token) {
        return server.http().get("/api/auth/me", TestHttp.bearer(token));
    }

    private static void assertInvalid(TestResponse response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("unauthorized");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("Invalid or expired token");
    }

    private static com.auth0.jwt.JWTCreator.Builder claims(TestServer.TestUser user) {
        Instant now = server.clock().instant();
        return JWT.create()
                .withClaim("user_id", user.id())
                .withClaim("email", user.user().email())
                .withClaim("name", user.user().name())
                .withIssuedAt(Date.from(now))
                .withExpiresAt(Date.from(now.plus(Duration.ofHours(1))));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_token_issued_by_the_server_works_and_carries_the_contract_claims() {
        TestServer.TestUser user = server.createUser("good@example.com");

        TestResponse response = me(user.token());

        assertThat(response.status()).isEqualTo(200);
        var decoded = JWT.decode(user.token());
        assertThat(decoded.getAlgorithm()).isEqualTo("HS256");
        assertThat(decoded.getClaim("user_id").asLong()).isEqualTo(user.id());
        assertThat(decoded.getClaim("email").asString()).isEqualTo("good@example.com");
        assertThat(decoded.getClaim("name").asString()).isEqualTo("Test User");
        assertThat(decoded.getExpiresAt().toInstant().getEpochSecond() - decoded.getIssuedAt().toInstant()
                .getEpochSecond()).isEqualTo(43200L * 60);
    }

    @Test
    void a_token_with_a_tampered_payload_is_rejected() {
        TestServer.TestUser victim = server.createUser("victim@example.com");
        TestServer.TestUser attacker = server.createUser("attacker@example.com");
        String[] parts = attacker.token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user_id\":" + attacker.id(), "\"user_id\":" + victim.id());
        assertThat(payload).contains("\"user_id\":" + victim.id());

        assertInvalid(me(parts[0] + "." + b64(payload) + "." + parts[2]));
    }

    @Test
    void a_token_signed_with_another_key_is_rejected() {
        TestServer.TestUser user = server.createUser("otherkey@example.com");

        assertInvalid(me(claims(user).sign(Algorithm.HMAC256("another-secret-key-that-is-long-enough-xyz"))));
    }

    @Test
    void an_unsigned_alg_none_token_is_rejected() {
        TestServer.TestUser user = server.createUser("none@example.com");

        assertInvalid(me(claims(user).sign(Algorithm.none())));
        String[] parts = user.token().split("\\.");
        assertInvalid(me(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "."));
    }

    @Test
    void a_token_of_another_algorithm_with_our_key_is_rejected() {
        TestServer.TestUser user = server.createUser("hs512@example.com");

        assertInvalid(me(claims(user).sign(Algorithm.HMAC512(TestServer.TEST_JWT_SECRET))));
        String[] parts = user.token().split("\\.");
        assertInvalid(me(b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2]));
    }

    @Test
    void an_expired_token_is_rejected() {
        TestServer.TestUser user = server.createUser("expired@example.com");
        Instant past = server.clock().instant().minus(Duration.ofDays(2));
        String expired = claims(user).withIssuedAt(Date.from(past))
                .withExpiresAt(Date.from(past.plus(Duration.ofDays(1))))
                .sign(Algorithm.HMAC256(TestServer.TEST_JWT_SECRET));

        assertInvalid(me(expired));
    }

    @Test
    void a_token_loses_validity_after_its_lifetime_on_the_server_clock() {
        try (TestServer own = TestServer.builder().env("JWT_EXPIRATION_MINUTES", "60").start()) {
            TestServer.TestUser user = own.createUser("lifetime@example.com");
            assertThat(own.http().get("/api/auth/me", user.auth()).status()).isEqualTo(200);

            own.clock().advance(Duration.ofMinutes(61));

            TestResponse response = own.http().get("/api/auth/me", user.auth());
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json().path("error").path("message").asText()).isEqualTo("Invalid or expired token");
        }
    }

    @Test
    void a_token_missing_a_claim_is_rejected() {
        TestServer.TestUser user = server.createUser("noname@example.com");
        Instant now = server.clock().instant();
        String withoutName = JWT.create().withClaim("user_id", user.id()).withClaim("email", "noname@example.com")
                .withIssuedAt(Date.from(now)).withExpiresAt(Date.from(now.plusSeconds(3600)))
                .sign(Algorithm.HMAC256(TestServer.TEST_JWT_SECRET));
        String withoutExpiry = JWT.create().withClaim("user_id", user.id()).withClaim("email", "noname@example.com")
                .withClaim("name", "x").withIssuedAt(Date.from(now))
                .sign(Algorithm.HMAC256(TestServer.TEST_JWT_SECRET));

        assertInvalid(me(withoutName));
        assertInvalid(me(withoutExpiry));
    }

    @Test
    void a_token_whose_user_id_is_not_an_integer_is_rejected() {
        TestServer.TestUser user = server.createUser("typed@example.com");
        Algorithm key = Algorithm.HMAC256(TestServer.TEST_JWT_SECRET);

        assertInvalid(me(claims(user).withClaim("user_id", Long.toString(user.id())).sign(key)));
        assertInvalid(me(claims(user).withClaim("user_id", user.id() + 0.5).sign(key)));
        assertInvalid(me(claims(user).withClaim("user_id", true).sign(key)));
    }

    @Test
    void a_token_of_a_deactivated_or_unknown_user_is_rejected() {
        TestServer.TestUser user = server.createUser("deactivated@example.com");
        assertThat(me(user.token()).status()).isEqualTo(200);
        server.jdbi().useHandle(h -> h.execute("UPDATE users SET is_active = FALSE WHERE id = ?", user.id()));
        String unknown = claims(user).withClaim("user_id", 987654L).sign(Algorithm.HMAC256(TestServer.TEST_JWT_SECRET));

        assertInvalid(me(user.token()));
        assertInvalid(me(unknown));
    }

    @Test
    void garbage_tokens_are_invalid_and_a_missing_header_asks_for_authentication() {
        assertInvalid(me("not.a.jwt"));
        assertInvalid(me("abc"));
        TestResponse basic = server.http().get("/api/auth/me", "Authorization", "Basic dXNlcjpwYXNz");
        TestResponse none = server.http().get("/api/auth/me");

        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().path("error").path("message").asText()).isEqualTo("Authentication required");
        assertThat(none.json().path("error").path("message").asText()).isEqualTo("Authentication required");
    }
}
