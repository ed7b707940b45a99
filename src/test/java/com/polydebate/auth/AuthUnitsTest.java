package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.auth.CodeMailer.CodeMail;
import com.polydebate.config.Config.CodeType;
import com.polydebate.config.ConfigLoader;
import com.polydebate.support.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pure pieces of the auth feature: e-mail syntax, client IP, code generation and hashing, limiter memory. */
class AuthUnitsTest {

    @Test
    void emails_are_trimmed_lower_cased_and_syntax_checked() {
        assertThat(EmailAddresses.parse("  Ada.Lovelace+tag@Example.CO.uk ")).contains("ada.lovelace+tag@example.co.uk");
        assertThat(EmailAddresses.parse("a@b.io")).contains("a@b.io");
        for (String bad : new String[] {"", "plain", "a@b", "a@@b.com", "a b@c.com", "a@b..com", ".a@b.com",
                "a.@b.com", "a@-b.com", "a@b.com.", "a@b_c.com", "<a@b.com>", "a@b.com\nBcc: x@y.com"}) {
            assertThat(EmailAddresses.parse(bad)).as(bad).isEmpty();
        }
        String local64 = "l".repeat(64);
        assertThat(EmailAddresses.parse(local64 + "@example.com")).isPresent();
        assertThat(EmailAddresses.parse(local64 + "l@example.com")).isEmpty();
        String domain = ("d".repeat(60) + ".").repeat(4);
        assertThat(EmailAddresses.parse("a@" + domain + "com")).isPresent();
        assertThat(EmailAddresses.parse("ab@" + domain + "d".repeat(10) + ".com")).isEmpty();
    }

    @Test
    void client_ip_prefers_the_first_forwarded_entry_then_real_ip_then_the_socket() {
        assertThat(ClientIp.of("203.0.113.5, 10.0.0.1", "198.51.100.1", "127.0.0.1")).isEqualTo("203.0.113.5");
        assertThat(ClientIp.of(" 203.0.113.6 ", null, "127.0.0.1")).isEqualTo("203.0.113.6");
        assertThat(ClientIp.of(" ", "198.51.100.1", "127.0.0.1")).isEqualTo("198.51.100.1");
        assertThat(ClientIp.of(null, null, "127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void numeric_codes_are_digits_of_the_configured_length_and_vary() {
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), 6, CodeType.NUMERIC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String code = generator.next();
            assertThat(code).matches("[0-9]{6}");
            seen.add(code);
        }
        assertThat(seen.size()).isGreaterThan(190);
        assertThat(generator.canonical(" 012345 ")).isEqualTo("012345");
    }

    @Test
    void alphanumeric_codes_use_upper_case_letters_and_digits() {
        CodeGenerator generator = new CodeGenerator(new SecureRandom(), 8, CodeType.ALPHANUMERIC);
        for (int i = 0; i < 100; i++) {
            assertThat(generator.next()).matches("[A-Z0-9]{8}");
        }
        assertThat(generator.canonical(" ab12cd ")).isEqualTo("AB12CD");
    }

    @Test
    void code_hashes_are_keyed_and_bound_to_email_and_purpose() {
        CodeHasher hasher = new CodeHasher("server-secret-one-that-is-long-enough-123");
        CodeHasher otherKey = new CodeHasher("server-secret-two-that-is-long-enough-456");
        String hash = hasher.hash(CodePurpose.SIGNUP, "a@example.com", "123456");

        assertThat(hash).doesNotContain("123456");
        assertThat(hasher.matches(hash, CodePurpose.SIGNUP, "a@example.com", "123456")).isTrue();
        assertThat(hasher.matches(hash, CodePurpose.SIGNUP, "a@example.com", "123457")).isFalse();
        assertThat(hasher.matches(hash, CodePurpose.LOGIN, "a@example.com", "123456")).isFalse();
        assertThat(hasher.matches(hash, CodePurpose.SIGNUP, "b@example.com", "123456")).isFalse();
        assertThat(otherKey.matches(hash, CodePurpose.SIGNUP, "a@example.com", "123456")).isFalse();
    }

    @Test
    void the_limiter_counts_a_sliding_window_and_forgets_entries_older_than_two_hours() {
        MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
        InMemoryRateLimitStore store = new InMemoryRateLimitStore(clock);
        for (int i = 0; i < 3; i++) {
            store.record("k", clock.instant());
            clock.advance(Duration.ofMinutes(25));
        }
        Instant now = clock.instant();
        assertThat(store.count("k", now.minus(Duration.ofHours(1)))).isEqualTo(2);
        assertThat(store.tryRecord("k", now, now.minus(Duration.ofHours(1)), 2)).isFalse();
        assertThat(store.tryRecord("k", now, now.minus(Duration.ofHours(1)), 3)).isTrue();
        store.record("other", now);
        assertThat(store.size()).isEqualTo(2);

        clock.advance(Duration.ofHours(3));
        store.record("fresh", clock.instant());

        assertThat(store.size()).isEqualTo(1);
        assertThat(store.count("k", Instant.EPOCH)).isZero();
        store.clear("fresh");
        assertThat(store.count("fresh", Instant.EPOCH)).isZero();
    }

    @Test
    void templates_name_everything_and_escape_html() {
        EmailTemplates templates = new EmailTemplates(ConfigLoader.load(Map.of("APP_NAME", "Debatr",
                "SUPPORT_EMAIL", "care@debatr.test", "JWT_SECRET_KEY", "x".repeat(40)), new SecureRandom()));

        EmailTemplates.Rendered signup = templates.render(
                new CodeMail(CodeMail.Kind.SIGNUP, "a@example.com", "<b>Eve</b> & Co", "482913", 15));
        EmailTemplates.Rendered login = templates.render(
                new CodeMail(CodeMail.Kind.LOGIN, "a@example.com", "Bob", "ABC123", 10));

        assertThat(signup.subject()).isEqualTo("Debatr: confirm your email");
        assertThat(signup.text()).contains("Hello <b>Eve</b> & Co,", "482913", "15 minutes", "care@debatr.test",
                "Debatr", "ignore");
        assertThat(signup.html()).contains("&lt;b&gt;Eve&lt;/b&gt; &amp; Co", "482913", "15 minutes",
                "care@debatr.test").doesNotContain("<b>Eve</b>").doesNotContain("{{");
        assertThat(login.subject()).isEqualTo("Debatr: your login code");
        assertThat(login.text()).contains("Hello Bob,", "ABC123", "10 minutes", "care@debatr.test", "ignore");
        assertThat(login.html()).contains("ABC123", "10 minutes").doesNotContain("{{");
    }

    @Test
    void the_mail_description_never_shows_the_code() {
        CodeMail mail = new CodeMail(CodeMail.Kind.LOGIN, "a@example.com", "Bob", "654321", 15);

        assertThat(mail.toString()).doesNotContain("654321");
    }
}
