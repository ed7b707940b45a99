package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.auth.CodeMailer.CodeMail;
import com.polydebate.config.Config.CodeType;
import com.polydebate.config.ConfigLoader;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pure pieces of the auth feature: e-mail syntax, code generation and hashing, templates. */
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
