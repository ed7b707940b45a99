package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.db.Timestamps;
import com.polydebate.debates.DailyQuota;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-up and log-in end to end: HTTP in, real SMTP out (GreenMail), the code read from the received mail. */
class AuthFlowsTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static MailCatcher mail;
    private static TestServer server;

    @BeforeAll
    static void start() {
        mail = new MailCatcher();
        server = TestServer.builder()
                .env("EMAIL_SERVICE", "smtp")
                .env("SMTP_HOST", "127.0.0.1")
                .env("SMTP_PORT", Integer.toString(mail.port()))
                .env("SMTP_USE_TLS", "false")
                .env("EMAIL_FALLBACK_TO_CONSOLE", "false")
                .env("APP_NAME", "PolyDebate")
                .env("SUPPORT_EMAIL", "help@polydebate.test")
                .env("EMAIL_FROM_NAME", "PolyDebate Team")
                .env("EMAIL_FROM_ADDRESS", "codes@polydebate.test")
                // Every test here signs up from the same address; the per-IP cap has its own tests.
                .env("MAX_CODE_REQUESTS_PER_IP_PER_HOUR", "100000")
                .env("TRUSTED_PROXIES", "127.0.0.1")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        mail.close();
    }

    private static String newEmail() {
        return "user" + SEQUENCE.incrementAndGet() + "@example.com";
    }

    private static TestHttp http() {
        return server.http();
    }

    private static TestResponse requestSignup(String email, String name, String... headers) {
        return http().post("/api/auth/signup/request-code",
                "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}", headers);
    }

    private static TestResponse verifySignup(String email, String code, String... headers) {
        return http().post("/api/auth/signup/verify-code", "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}",
                headers);
    }

    private static TestResponse requestLogin(String email, String... headers) {
        return http().post("/api/auth/login/request-code", "{\"email\":\"" + email + "\"}", headers);
    }

    private static TestResponse verifyLogin(String email, String code, String... headers) {
        return http().post("/api/auth/login/verify-code", "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}",
                headers);
    }

    /** Signs up through mail and returns the session token. */
    private static String signUp(String email, String name) {
        assertThat(requestSignup(email, name).status()).isEqualTo(200);
        TestResponse verified = verifySignup(email, mail.lastCodeFor(email));
        assertThat(verified.status()).isEqualTo(201);
        return verified.json().path("data").path("token").asText();
    }

    @Test
    void signup_sends_a_code_by_smtp_and_verifying_it_creates_the_account() throws Exception {
        String email = newEmail();

        TestResponse requested = requestSignup(email, "Ada Lovelace");

        assertThat(requested.status()).isEqualTo(200);
        assertThat(requested.json().path("success").asBoolean()).isTrue();
        assertThat(requested.json().path("message").asText()).isEqualTo("We sent a verification code to your email");
        assertThat(requested.json().path("expiry_minutes").asInt()).isEqualTo(15);
        MimeMessage message = mail.lastFor(email);
        assertThat(message.getFrom()[0].toString()).isEqualTo("PolyDebate Team <codes@polydebate.test>");
        assertThat(message.getSubject()).contains("PolyDebate");
        String text = MailCatcher.part(message, "text/plain");
        String html = MailCatcher.part(message, "text/html");
        String code = mail.lastCodeFor(email);
        assertThat(code).matches("[0-9]{6}");
        assertThat(text).contains("Hello Ada Lovelace,", "15 minutes", "help@polydebate.test", "ignore");
        assertThat(html).contains(code, "Ada Lovelace", "15 minutes", "help@polydebate.test", "ignore");

        TestResponse verified = verifySignup(email, code);

        assertThat(verified.status()).isEqualTo(201);
        JsonNode body = verified.json();
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("Account created");
        JsonNode user = body.path("data").path("user");
        assertThat(user.path("email").asText()).isEqualTo(email);
        assertThat(user.path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(user.path("id").isIntegralNumber()).isTrue();
        assertThat(user.path("avatar_url").isNull()).isTrue();
        assertThat(user.path("tokens_remaining").asInt()).isEqualTo(100000);
        assertThat(user.path("total_debates").asInt()).isZero();
        assertThat(user.path("created_at").asText()).isEqualTo(Timestamps.format(server.clock().instant()));
        assertThat(user.path("last_login").asText()).isEqualTo(user.path("created_at").asText());
        assertThat(user.path("is_active").asBoolean()).isTrue();
        assertThat(user.path("is_admin").asBoolean()).isFalse();
        String token = body.path("data").path("token").asText();
        TestResponse me = http().get("/api/auth/me", TestHttp.bearer(token));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("data").path("user").path("email").asText()).isEqualTo(email);
    }

    @Test
    void login_sends_a_code_and_verifying_it_returns_a_session_and_updates_last_login() {
        String email = newEmail();
        signUp(email, "Grace Hopper");
        server.clock().advance(Duration.ofMinutes(3));

        TestResponse requested = requestLogin(email);

        assertThat(requested.status()).isEqualTo(200);
        assertThat(requested.json().path("expiry_minutes").asInt()).isEqualTo(15);
        String text = MailCatcher.part(mail.lastFor(email), "text/plain");
        assertThat(text).contains("login code", "Grace Hopper");
        TestResponse verified = verifyLogin(email, mail.lastCodeFor(email));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().path("success").asBoolean()).isTrue();
        assertThat(verified.json().path("message").asText()).isEqualTo("Logged in");
        JsonNode user = verified.json().path("data").path("user");
        assertThat(user.path("last_login").asText()).isNotEqualTo(user.path("created_at").asText());
        assertThat(user.path("last_login").asText())
                .isEqualTo(Timestamps.format(server.clock().instant()));
        String token = verified.json().path("data").path("token").asText();
        assertThat(http().get("/api/auth/me", TestHttp.bearer(token)).status()).isEqualTo(200);
    }

    @Test
    void emails_are_normalised_for_signup_login_and_storage() {
        String email = newEmail();
        String shouted = "  " + email.toUpperCase() + " ";

        assertThat(requestSignup(shouted, "Mixed Case").status()).isEqualTo(200);
        TestResponse verified = verifySignup(email.toUpperCase(), mail.lastCodeFor(email));

        assertThat(verified.status()).isEqualTo(201);
        assertThat(verified.json().path("data").path("user").path("email").asText()).isEqualTo(email);
        assertThat(requestLogin(email.toUpperCase()).status()).isEqualTo(200);
        assertThat(verifyLogin(" " + email + " ", mail.lastCodeFor(email)).status()).isEqualTo(200);
        assertThat(requestSignup(email.toUpperCase(), "Again").errorCode()).isEqualTo("email_exists");
    }

    @Test
    void a_wrong_code_is_invalid_code_and_the_right_one_still_works() {
        String email = newEmail();
        requestSignup(email, "Wrong Code");
        String code = mail.lastCodeFor(email);
        String wrong = code.equals("000000") ? "111111" : "000000";

        TestResponse response = verifySignup(email, wrong);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("invalid_code");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("That code is not valid");
        assertThat(verifySignup(email, code).status()).isEqualTo(201);
    }

    @Test
    void a_code_works_only_once() {
        String email = newEmail();
        signUp(email, "Once Only");
        requestLogin(email);
        String code = mail.lastCodeFor(email);

        assertThat(verifyLogin(email, code).status()).isEqualTo(200);
        TestResponse reused = verifyLogin(email, code);

        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.errorCode()).isEqualTo("invalid_code");
    }

    @Test
    void an_expired_code_answers_code_expired() {
        String email = newEmail();
        requestSignup(email, "Slow Typist");
        String code = mail.lastCodeFor(email);
        server.clock().advance(Duration.ofMinutes(15));

        TestResponse response = verifySignup(email, code);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("code_expired");
    }

    @Test
    void a_code_just_before_expiry_still_works() {
        String email = newEmail();
        requestSignup(email, "Just In Time");
        String code = mail.lastCodeFor(email);
        server.clock().advance(Duration.ofMinutes(15).minusSeconds(1));

        assertThat(verifySignup(email, code).status()).isEqualTo(201);
    }

    @Test
    void a_new_code_invalidates_the_earlier_one() {
        String email = newEmail();
        requestSignup(email, "Two Codes");
        String first = mail.lastCodeFor(email);
        requestSignup(email, "Two Codes");
        String second = mail.lastCodeFor(email);
        assertThat(mail.messagesFor(email)).hasSize(2);

        if (!first.equals(second)) {
            assertThat(verifySignup(email, first).errorCode()).isEqualTo("invalid_code");
        }
        assertThat(verifySignup(email, second).status()).isEqualTo(201);
    }

    @Test
    void the_database_holds_only_hashes_of_codes() {
        String email = newEmail();
        requestSignup(email, "Hash Check");
        String code = mail.lastCodeFor(email);

        List<String> stored = server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT code_hash || '|' || COALESCE(name, '') || '|' || code_type || '|' || ip_address "
                                + "FROM verification_codes WHERE email = :email")
                .bind("email", email).mapTo(String.class).list());

        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).doesNotContain(code).contains("|Hash Check|signup|");
        String hash = stored.get(0).split("\\|")[0];
        assertThat(hash).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void code_requests_are_limited_per_email_whatever_the_ip_and_the_window_slides() {
        String email = newEmail();
        for (int i = 0; i < 5; i++) {
            assertThat(requestSignup(email, "Eager", "X-Forwarded-For", "203.0.113." + i).status()).isEqualTo(200);
        }

        TestResponse limited = requestSignup(email, "Eager", "X-Forwarded-For", "203.0.113.77");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(limited.json().path("error").path("remaining").asInt(-1)).isZero();
        assertThat(limited.json().path("error").has("remaining")).isTrue();
        assertThat(mail.messagesFor(email)).hasSize(5);
        assertThat(requestSignup(email, "Eager", "X-Real-IP", "198.51.100.2").status()).isEqualTo(429);
        assertThat(requestSignup(newEmail(), "Someone Else", "X-Forwarded-For", "203.0.113.77").status())
                .isEqualTo(200);
        server.clock().advance(Duration.ofMinutes(61));
        assertThat(requestSignup(email, "Eager").status()).isEqualTo(200);
    }

    @Test
    void failed_requests_do_not_count_against_the_code_limit() {
        String email = newEmail();
        for (int i = 0; i < 6; i++) {
            assertThat(requestLogin(email).errorCode()).isEqualTo("user_not_found");
        }
        assertThat(requestSignup(email, "Counted Later").status()).isEqualTo(200);
    }

    @Test
    void failed_verifications_lock_the_email_until_a_new_code_is_issued() {
        String email = newEmail();
        String[] ip = {"X-Forwarded-For", "192.0.2.44"};
        requestSignup(email, "Locked Out", ip);
        String code = mail.lastCodeFor(email);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThat(verifySignup(email, wrong, ip).errorCode()).isEqualTo("invalid_code");
        }

        TestResponse locked = verifySignup(email, code, ip);

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.errorCode()).isEqualTo("too_many_attempts");
        assertThat(locked.json().path("error").path("remaining").asInt(-1)).isZero();
        assertThat(requestSignup(email, "Locked Out", ip).status()).isEqualTo(200);
        assertThat(verifySignup(email, mail.lastCodeFor(email), ip).status()).isEqualTo(201);
    }

    @Test
    void a_successful_verification_resets_the_failure_counter() {
        String email = newEmail();
        signUp(email, "Reset Counter");
        for (int round = 0; round < 2; round++) {
            requestLogin(email);
            String code = mail.lastCodeFor(email);
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 4; i++) {
                assertThat(verifyLogin(email, wrong).errorCode()).isEqualTo("invalid_code");
            }
            assertThat(verifyLogin(email, code).status()).isEqualTo(200);
        }
    }

    @Test
    void invalid_email_and_short_name_are_validation_errors() {
        TestResponse badEmail = requestSignup("not-an-email", "Valid Name");
        TestResponse shortName = requestSignup(newEmail(), " A ");
        TestResponse longEmail = requestSignup("a".repeat(250) + "@example.com", "Valid Name");
        TestResponse longName = requestSignup(newEmail(), "N".repeat(256));

        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.errorCode()).isEqualTo("validation_error");
        assertThat(badEmail.json().path("error").path("details").has("email")).isTrue();
        assertThat(shortName.errorCode()).isEqualTo("validation_error");
        assertThat(shortName.json().path("error").path("details").has("name")).isTrue();
        assertThat(shortName.json().path("error").path("message").asText()).contains("at least 2 characters");
        assertThat(longEmail.errorCode()).isEqualTo("validation_error");
        assertThat(longName.errorCode()).isEqualTo("validation_error");
        assertThat(verifySignup(newEmail(), "   ").json().path("error").path("details").has("code")).isTrue();
    }

    @Test
    void the_message_of_a_form_with_several_problems_joins_their_sentences() {
        TestResponse response = requestSignup("not-an-email", " A ");

        assertThat(response.json().path("error").path("message").asText())
                .isEqualTo("Enter a valid email address. Name needs at least 2 characters");
        assertThat(response.json().path("error").path("details").path("email").asText())
                .isEqualTo("Enter a valid email address");
        assertThat(verifySignup(" ", " ").json().path("error").path("message").asText())
                .isEqualTo("Email is required. Enter the verification code");
    }

    @Test
    void login_for_an_unknown_email_is_user_not_found_and_its_verification_invalid_credentials() {
        String email = newEmail();

        TestResponse request = requestLogin(email);
        TestResponse verify = verifyLogin(email, "123456");

        assertThat(request.status()).isEqualTo(400);
        assertThat(request.errorCode()).isEqualTo("user_not_found");
        assertThat(verify.status()).isEqualTo(400);
        assertThat(verify.errorCode()).isEqualTo("invalid_credentials");
    }

    @Test
    void signup_for_an_existing_account_is_email_exists_on_request_and_verify() {
        String email = newEmail();
        requestSignup(email, "First");
        String code = mail.lastCodeFor(email);
        server.createUser(email, "Someone Faster", false);

        assertThat(verifySignup(email, code).errorCode()).isEqualTo("email_exists");
        assertThat(requestSignup(email, "Second").errorCode()).isEqualTo("email_exists");
    }

    @Test
    void a_deactivated_account_cannot_log_in() {
        String email = newEmail();
        signUp(email, "Soon Gone");
        requestLogin(email);
        String code = mail.lastCodeFor(email);
        server.jdbi().useHandle(h -> h.execute("UPDATE users SET is_active = FALSE WHERE email = ?", email));

        TestResponse verify = verifyLogin(email, code);
        TestResponse request = requestLogin(email);

        assertThat(verify.status()).isEqualTo(403);
        assertThat(verify.errorCode()).isEqualTo("account_inactive");
        assertThat(request.status()).isEqualTo(403);
        assertThat(request.errorCode()).isEqualTo("account_inactive");
    }

    @Test
    void put_me_persists_a_new_name_and_ignores_other_fields() {
        String email = newEmail();
        String token = signUp(email, "Old Name");

        TestResponse updated = http().put("/api/auth/me",
                "{\"name\":\"  New Name  \",\"email\":\"evil@example.com\",\"is_admin\":true}", TestHttp.bearer(token));

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("success").asBoolean()).isTrue();
        assertThat(updated.json().path("message").asText()).isEqualTo("Profile updated");
        JsonNode me = http().get("/api/auth/me", TestHttp.bearer(token)).json().path("data").path("user");
        assertThat(me.path("name").asText()).isEqualTo("New Name");
        assertThat(me.path("email").asText()).isEqualTo(email);
        assertThat(me.path("is_admin").asBoolean()).isFalse();
        assertThat(http().put("/api/auth/me", null, TestHttp.bearer(token)).status()).isEqualTo(200);
        TestResponse tooShort = http().put("/api/auth/me", "{\"name\":\" x \"}", TestHttp.bearer(token));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.errorCode()).isEqualTo("validation_error");
        assertThat(http().put("/api/auth/me", "{\"name\":42}", TestHttp.bearer(token)).errorCode())
                .isEqualTo("validation_error");
    }

    @Test
    void limits_report_the_daily_quota_and_the_next_utc_midnight() {
        TestServer.TestUser user = server.createUser(newEmail());

        JsonNode fresh = http().get("/api/auth/limits", user.auth()).json();
        server.jdbi().useTransaction(h -> new DailyQuota(server.config(), server.clock()).tryReserve(h, user.id()));
        JsonNode used = http().get("/api/auth/limits", user.auth()).json();

        assertThat(fresh.path("daily_limit").asInt()).isEqualTo(3);
        assertThat(fresh.path("remaining_debates").asInt()).isEqualTo(3);
        assertThat(fresh.path("resets_at").asText()).isEqualTo("midnight UTC");
        String tomorrow = server.clock().instant().atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1)
                + "T00:00:00.000Z";
        assertThat(fresh.path("next_reset_at").asText()).isEqualTo(tomorrow);
        assertThat(used.path("remaining_debates").asInt()).isEqualTo(2);
        assertThat(http().get("/api/auth/limits").status()).isEqualTo(401);
    }

    @Test
    void me_without_a_token_is_401_authentication_required() {
        TestResponse response = http().get("/api/auth/me");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("unauthorized");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("Authentication required");
    }
}
