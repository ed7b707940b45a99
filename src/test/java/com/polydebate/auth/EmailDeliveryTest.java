package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.FreePort;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Console delivery and SMTP failures with and without the console fallback (§14.10). */
class EmailDeliveryTest {

    private static TestServer smtpAtClosedPort(boolean fallback) {
        return TestServer.builder()
                .env("EMAIL_SERVICE", "smtp")
                .env("SMTP_HOST", "127.0.0.1")
                .env("SMTP_PORT", Integer.toString(FreePort.any()))
                .env("SMTP_USE_TLS", "false")
                .env("EMAIL_FALLBACK_TO_CONSOLE", Boolean.toString(fallback))
                .start();
    }

    private static TestResponse requestSignup(TestServer server, String email) {
        return server.http().post("/api/auth/signup/request-code",
                "{\"email\":\"" + email + "\",\"name\":\"Mail Test\"}");
    }

    /** Runs the action and returns what the application logged (slf4j-simple writes to System.err). */
    private static String captureLog(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static List<String> storedUsedAt(TestServer server, String email) {
        return server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COALESCE(used_at, 'unused') FROM verification_codes WHERE email = :email ORDER BY id")
                .bind("email", email).mapTo(String.class).list());
    }

    @Test
    void console_mode_logs_the_code_at_info_and_it_verifies() {
        try (TestServer server = TestServer.start()) {
            String[] response = new String[1];
            String log = captureLog(() -> response[0] = requestSignup(server, "console@example.com").body());

            assertThat(response[0]).contains("\"success\":true");
            Matcher matcher = Pattern.compile("INFO .*console@example.com.*code (\\d{6})").matcher(log);
            assertThat(matcher.find()).as(log).isTrue();
            assertThat(log).contains("confirm your email");
            TestResponse verified = server.http().post("/api/auth/signup/verify-code",
                    "{\"email\":\"console@example.com\",\"code\":\"" + matcher.group(1) + "\"}");
            assertThat(verified.status()).isEqualTo(201);
        }
    }

    @Test
    void send_failure_without_fallback_answers_500_and_invalidates_the_code() {
        try (TestServer server = smtpAtClosedPort(false)) {
            String[] status = new String[2];
            String log = captureLog(() -> {
                TestResponse response = requestSignup(server, "nofallback@example.com");
                status[0] = Integer.toString(response.status());
                status[1] = response.errorCode();
            });

            assertThat(status[0]).isEqualTo("500");
            assertThat(status[1]).isEqualTo("email_send_failed");
            assertThat(storedUsedAt(server, "nofallback@example.com")).hasSize(1).doesNotContain("unused");
            assertThat(log).doesNotContainPattern("\\b\\d{6}\\b(?!ms)");
            // An unsent code does not count against the hourly limit.
            for (int i = 0; i < 5; i++) {
                assertThat(requestSignup(server, "nofallback@example.com").errorCode()).isEqualTo("email_send_failed");
            }
            assertThat(requestSignup(server, "nofallback@example.com").errorCode()).isEqualTo("email_send_failed");
        }
    }

    @Test
    void send_failure_with_fallback_logs_the_code_at_warn_and_succeeds() {
        try (TestServer server = smtpAtClosedPort(true)) {
            TestResponse[] response = new TestResponse[1];
            String log = captureLog(() -> response[0] = requestSignup(server, "fallback@example.com"));

            assertThat(response[0].status()).isEqualTo(200);
            assertThat(response[0].json().path("expiry_minutes").asInt()).isEqualTo(15);
            Matcher matcher = Pattern.compile("WARN .*fallback@example.com is (\\d{6})").matcher(log);
            assertThat(matcher.find()).as(log).isTrue();
            assertThat(storedUsedAt(server, "fallback@example.com")).containsExactly("unused");
            TestResponse verified = server.http().post("/api/auth/signup/verify-code",
                    "{\"email\":\"fallback@example.com\",\"code\":\"" + matcher.group(1) + "\"}");
            assertThat(verified.status()).isEqualTo(201);
        }
    }

    @Test
    void alphanumeric_codes_have_the_configured_length_and_are_matched_case_insensitively() {
        try (TestServer server = TestServer.builder().env("CODE_TYPE", "alphanumeric").env("CODE_LENGTH", "8")
                .start()) {
            String log = captureLog(() -> requestSignup(server, "alnum@example.com"));

            Matcher matcher = Pattern.compile("code ([A-Z0-9]{8}),").matcher(log);
            assertThat(matcher.find()).as(log).isTrue();
            TestResponse verified = server.http().post("/api/auth/signup/verify-code",
                    "{\"email\":\"alnum@example.com\",\"code\":\"" + matcher.group(1).toLowerCase() + "\"}");
            assertThat(verified.status()).isEqualTo(201);
        }
    }
}
