package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An attacker's view of sign-in: forged forwarding headers, guessing codes, flooding inboxes, guessing the
 * admin password and replaying a signed-out token. Each test starts its own server (the test client is always
 * 127.0.0.1, so per-IP counters would otherwise leak between tests); codes are read from real SMTP mail.
 */
class SignInAbuseTest {
    private static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static MailCatcher mail;

    @BeforeAll
    static void startMail() {
        mail = new MailCatcher();
    }

    @AfterAll
    static void stopMail() {
        mail.close();
    }

    /** A server mailing codes to the catcher, with admin login on; extra settings as name, value pairs. */
    private static TestServer start(String... settings) {
        TestServer.Builder builder = TestServer.builder()
                .env("EMAIL_SERVICE", "smtp")
                .env("SMTP_HOST", "127.0.0.1")
                .env("SMTP_PORT", Integer.toString(mail.port()))
                .env("SMTP_USE_TLS", "false")
                .env("EMAIL_FALLBACK_TO_CONSOLE", "false")
                .env("ADMIN_PASSWORD", ADMIN_PASSWORD);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            builder.env(settings[i], settings[i + 1]);
        }
        return builder.start();
    }

    private static String newEmail() {
        return "abuser" + SEQUENCE.incrementAndGet() + "@example.com";
    }

    /** Headers claiming a different origin on every call: a new X-Forwarded-For chain and X-Real-IP. */
    private static String[] forgedOrigin(int i) {
        return new String[] {"X-Forwarded-For", "198.51.100." + (i % 250) + ", 203.0.113." + (i % 250),
                "X-Real-IP", "192.0.2." + (i % 250)};
    }

    private static String[] forwardedFor(String chain) {
        return new String[] {"X-Forwarded-For", chain};
    }

    private static TestResponse requestSignup(TestServer server, String email, String... headers) {
        return server.http().post("/api/auth/signup/request-code",
                "{\"email\":\"" + email + "\",\"name\":\"Mallory\"}", headers);
    }

    private static TestResponse verifySignup(TestServer server, String email, String code, String... headers) {
        return server.http().post("/api/auth/signup/verify-code",
                "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}", headers);
    }

    private static TestResponse requestLogin(TestServer server, String email, String... headers) {
        return server.http().post("/api/auth/login/request-code", "{\"email\":\"" + email + "\"}", headers);
    }

    private static TestResponse verifyLogin(TestServer server, String email, String code) {
        return server.http().post("/api/auth/login/verify-code",
                "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}");
    }

    private static TestResponse adminLogin(TestServer server, String email, String password, String... headers) {
        return server.http().post("/api/admin/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", headers);
    }

    private static TestResponse logout(TestServer server, String... headers) {
        return server.http().post("/api/auth/logout", null, headers);
    }

    private static int me(TestServer server, String token) {
        return server.http().get("/api/auth/me", TestHttp.bearer(token)).status();
    }

    private static String wrongCode(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    private static void assertRateLimited(TestResponse response) {
        assertThat(response.status()).as(response.body()).isEqualTo(429);
        assertThat(response.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(response.json().path("error").path("remaining").asInt(-1)).isZero();
    }

    /** Signs up through mail and returns the first session token. */
    private static String signUp(TestServer server, String email) {
        assertThat(requestSignup(server, email).status()).isEqualTo(200);
        TestResponse verified = verifySignup(server, email, mail.lastCodeFor(email));
        assertThat(verified.status()).as(verified.body()).isEqualTo(201);
        return verified.json().path("data").path("token").asText();
    }

    /** Logs in again through mail and returns a further session token of the same user. */
    private static String logIn(TestServer server, String email) {
        assertThat(requestLogin(server, email).status()).isEqualTo(200);
        TestResponse verified = verifyLogin(server, email, mail.lastCodeFor(email));
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        return verified.json().path("data").path("token").asText();
    }

    // (a) An untrusted peer: forged headers never pick a new counter.

    @Test
    void rotating_forwarded_for_never_buys_more_guesses_at_a_code_and_the_sixth_try_kills_it() {
        try (TestServer server = start()) {
            String email = newEmail();
            assertThat(requestSignup(server, email, forgedOrigin(0)).status()).isEqualTo(200);
            String code = mail.lastCodeFor(email);
            for (int i = 1; i <= 5; i++) {
                TestResponse wrong = verifySignup(server, email, wrongCode(code), forgedOrigin(i));
                assertThat(wrong.errorCode()).as("guess " + i).isEqualTo("invalid_code");
            }

            TestResponse sixth = verifySignup(server, email, code, forgedOrigin(6));

            assertThat(sixth.status()).isEqualTo(429);
            assertThat(sixth.errorCode()).isEqualTo("too_many_attempts");
            assertThat(verifySignup(server, email, code, forgedOrigin(7)).errorCode()).isEqualTo("too_many_attempts");
            assertThat(verifySignup(server, email, code).errorCode()).isEqualTo("too_many_attempts");
            assertThat(requestSignup(server, email, forgedOrigin(8)).status()).isEqualTo(200);
            String fresh = mail.lastCodeFor(email);
            assertThat(verifySignup(server, email, fresh, forgedOrigin(9)).status()).isEqualTo(201);
        }
    }

    @Test
    void rotating_forwarded_for_never_resets_the_per_ip_code_request_limit_over_signup_and_login() {
        try (TestServer server = start()) {
            List<String> users = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                users.add(server.createUser(newEmail()).user().email());
            }
            for (int i = 0; i < 20; i++) {
                TestResponse sent = i % 2 == 0
                        ? requestSignup(server, newEmail(), forgedOrigin(i))
                        : requestLogin(server, users.get(i / 2), forgedOrigin(i));
                assertThat(sent.status()).as("request " + (i + 1) + ": " + sent.body()).isEqualTo(200);
            }
            String refusedSignup = newEmail();

            TestResponse signup = requestSignup(server, refusedSignup, forgedOrigin(21));
            TestResponse login = requestLogin(server, users.get(10), forgedOrigin(22));

            assertRateLimited(signup);
            assertRateLimited(login);
            assertThat(mail.messagesFor(refusedSignup)).isEmpty();
            assertThat(mail.messagesFor(users.get(10))).isEmpty();
            server.clock().advance(Duration.ofMinutes(61));
            assertThat(requestSignup(server, refusedSignup, forgedOrigin(23)).status()).isEqualTo(200);
        }
    }

    @Test
    void code_requests_for_one_email_stop_at_five_an_hour_however_the_origin_headers_change() {
        try (TestServer server = start()) {
            String email = newEmail();
            for (int i = 0; i < 5; i++) {
                assertThat(requestSignup(server, email, forgedOrigin(i)).status()).isEqualTo(200);
            }

            assertRateLimited(requestSignup(server, email, forgedOrigin(5)));
            assertThat(mail.messagesFor(email)).hasSize(5);
            assertThat(requestSignup(server, newEmail(), forgedOrigin(5)).status()).isEqualTo(200);
        }
    }

    @Test
    void admin_guesses_with_a_new_email_and_a_new_forwarded_for_each_try_meet_429_within_five_tries() {
        try (TestServer server = start()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(adminLogin(server, newEmail(), "guess-" + i, forgedOrigin(i)).status());
            }

            TestResponse rightPassword = adminLogin(server, newEmail(), ADMIN_PASSWORD, forgedOrigin(7));

            assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
            assertRateLimited(rightPassword);
            server.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
            assertThat(adminLogin(server, newEmail(), ADMIN_PASSWORD, forgedOrigin(8)).status()).isEqualTo(200);
        }
    }

    // (b), (c) Behind a trusted proxy, the address the proxy saw is the client.

    @Test
    void behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        try (TestServer server = start("TRUSTED_PROXIES", "127.0.0.1", "MAX_CODE_REQUESTS_PER_IP_PER_HOUR", "2")) {
            assertThat(requestSignup(server, newEmail(), forwardedFor("spoofed, 203.0.113.9")).status())
                    .isEqualTo(200);
            assertThat(requestSignup(server, newEmail(), forwardedFor("other-spoof, 203.0.113.9")).status())
                    .isEqualTo(200);

            assertRateLimited(requestSignup(server, newEmail(), forwardedFor("third-spoof, 203.0.113.9")));
            assertRateLimited(requestSignup(server, newEmail(), forwardedFor("x, 203.0.113.9, 127.0.0.1")));
            assertRateLimited(requestSignup(server, newEmail(), "X-Real-IP", "203.0.113.9"));
            assertThat(requestSignup(server, newEmail(), forwardedFor("203.0.113.9, 198.51.100.4")).status())
                    .isEqualTo(200);
            assertThat(requestSignup(server, newEmail()).status()).isEqualTo(200);
        }
    }

    @Test
    void trusted_proxy_hops_take_the_second_entry_from_the_right_as_the_client() {
        try (TestServer server = start("TRUSTED_PROXY_HOPS", "2", "MAX_CODE_REQUESTS_PER_IP_PER_HOUR", "2")) {
            assertThat(requestSignup(server, newEmail(), forwardedFor("spoof-a, 203.0.113.9, 10.0.0.2")).status())
                    .isEqualTo(200);
            assertThat(requestSignup(server, newEmail(), forwardedFor("spoof-b, spoof-c, 203.0.113.9, 10.0.0.3"))
                    .status()).isEqualTo(200);

            assertRateLimited(requestSignup(server, newEmail(), forwardedFor("203.0.113.9, 10.0.0.4")));
            assertThat(requestSignup(server, newEmail(), forwardedFor("203.0.113.9, 198.51.100.4, 10.0.0.2"))
                    .status()).isEqualTo(200);
            assertThat(requestSignup(server, newEmail(), forwardedFor("203.0.113.9, 10.0.0.2, 10.0.0.3")).status())
                    .isEqualTo(200);
        }
    }

    // (d) The global admin failure budget.

    @Test
    void failures_from_many_addresses_lock_admin_login_for_everyone_until_the_window_passes() {
        try (TestServer server = start("TRUSTED_PROXIES", "127.0.0.1", "ADMIN_LOGIN_MAX_FAILURES", "6")) {
            for (int i = 1; i <= 6; i++) {
                TestResponse failed = adminLogin(server, newEmail(), "guess", forwardedFor("198.51.100." + i));
                assertThat(failed.status()).as("failure " + i).isEqualTo(401);
            }

            assertRateLimited(adminLogin(server, "admin@example.com", ADMIN_PASSWORD, forwardedFor("192.0.2.10")));
            assertRateLimited(adminLogin(server, newEmail(), "guess", forwardedFor("192.0.2.11")));
            server.clock().advance(Duration.ofMinutes(14));
            assertRateLimited(adminLogin(server, "admin@example.com", ADMIN_PASSWORD, forwardedFor("192.0.2.12")));
            server.clock().advance(Duration.ofMinutes(1).plusSeconds(1));
            assertThat(adminLogin(server, "admin@example.com", ADMIN_PASSWORD, forwardedFor("192.0.2.13")).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void an_admin_retrying_the_right_password_during_a_global_lock_gets_in_once_the_window_passes() {
        try (TestServer server = start("TRUSTED_PROXIES", "127.0.0.1", "ADMIN_LOGIN_MAX_FAILURES", "6")) {
            for (int i = 1; i <= 6; i++) {
                assertThat(adminLogin(server, newEmail(), "guess", forwardedFor("198.51.100." + i)).status())
                        .isEqualTo(401);
            }
            String[] admin = forwardedFor("192.0.2.50");
            for (int minute = 1; minute <= 5; minute++) {
                server.clock().advance(Duration.ofMinutes(1));
                assertRateLimited(adminLogin(server, "admin@example.com", ADMIN_PASSWORD, admin));
            }

            server.clock().advance(Duration.ofMinutes(10).plusSeconds(1));

            assertThat(adminLogin(server, "admin@example.com", ADMIN_PASSWORD, admin).status()).isEqualTo(200);
        }
    }

    // (e) Logout revokes exactly one token, on every server sharing the database.

    @Test
    void logout_revokes_only_that_token_and_a_second_server_on_the_same_storage_refuses_it_too() {
        try (TestServer server = start()) {
            String email = newEmail();
            String first = signUp(server, email);
            String second = logIn(server, email);
            assertThat(first).isNotEqualTo(second);

            TestResponse loggedOut = logout(server, TestHttp.bearer(first));

            assertThat(loggedOut.status()).isEqualTo(200);
            assertThat(loggedOut.json().path("success").asBoolean()).isTrue();
            assertThat(me(server, first)).isEqualTo(401);
            assertThat(me(server, second)).isEqualTo(200);
            assertThat(logout(server, TestHttp.bearer(first)).status()).isEqualTo(401);
            try (TestServer other = TestServer.builder().storage(server.storage()).start()) {
                assertThat(me(other, first)).isEqualTo(401);
                assertThat(me(other, second)).isEqualTo(200);

                assertThat(logout(other, TestHttp.bearer(second)).status()).isEqualTo(200);

                assertThat(me(other, second)).isEqualTo(401);
                assertThat(me(server, second)).isEqualTo(401);
            }
            assertThat(me(server, logIn(server, email))).isEqualTo(200);
        }
    }

    @Test
    void logout_without_a_valid_token_is_401() {
        try (TestServer server = start()) {
            TestResponse anonymous = logout(server);
            TestResponse forged = logout(server, TestHttp.bearer("not.a.token"));

            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.errorCode()).isEqualTo("unauthorized");
            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.errorCode()).isEqualTo("unauthorized");
        }
    }
}
