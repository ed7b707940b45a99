package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.config.ConfigLoader;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;

/** EMAIL_SERVICE and the SMTP settings choose the mailer, server, transport security and timeout (§14.10). */
class MailerSelectionTest {

    private static CodeMailer mailer(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("JWT_SECRET_KEY", "k".repeat(40));
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return CodeMailer.fromConfig(ConfigLoader.load(env, new SecureRandom()));
    }

    private static Mailer smtp(CodeMailer mailer) {
        assertThat(mailer).isInstanceOf(SmtpCodeMailer.class);
        return ((SmtpCodeMailer) mailer).mailer();
    }

    @Test
    void console_is_the_default() {
        assertThat(mailer()).isInstanceOf(ConsoleCodeMailer.class);
    }

    @Test
    void gmail_uses_smtp_gmail_com_with_starttls_on_587_and_implicit_tls_on_465() {
        Mailer starttls = smtp(mailer("EMAIL_SERVICE", "gmail", "GMAIL_USER", "me@gmail.com",
                "GMAIL_APP_PASSWORD", "app-pass", "SMTP_PORT", "587"));
        Mailer implicit = smtp(mailer("EMAIL_SERVICE", "gmail", "GMAIL_USER", "me@gmail.com",
                "GMAIL_APP_PASSWORD", "app-pass", "SMTP_PORT", "465"));

        assertThat(starttls.getServerConfig().getHost()).isEqualTo("smtp.gmail.com");
        assertThat(starttls.getServerConfig().getPort()).isEqualTo(587);
        assertThat(starttls.getServerConfig().getUsername()).isEqualTo("me@gmail.com");
        assertThat(starttls.getTransportStrategy()).isEqualTo(TransportStrategy.SMTP_TLS);
        assertThat(implicit.getTransportStrategy()).isEqualTo(TransportStrategy.SMTPS);
        assertThat(starttls.getOperationalConfig().getSessionTimeout())
                .isEqualTo((int) Duration.ofSeconds(30).toMillis());
    }

    @Test
    void smtp_uses_starttls_when_asked_plain_otherwise_and_implicit_tls_on_465() {
        Mailer tls = smtp(mailer("EMAIL_SERVICE", "smtp", "SMTP_HOST", "mail.example.com", "SMTP_PORT", "587",
                "SMTP_USERNAME", "user", "SMTP_PASSWORD", "pw", "SMTP_USE_TLS", "true"));
        Mailer plain = smtp(mailer("EMAIL_SERVICE", "smtp", "SMTP_HOST", "mail.example.com", "SMTP_PORT", "25",
                "SMTP_USE_TLS", "false"));
        Mailer implicit = smtp(mailer("EMAIL_SERVICE", "smtp", "SMTP_HOST", "mail.example.com", "SMTP_PORT", "465"));

        assertThat(tls.getServerConfig().getHost()).isEqualTo("mail.example.com");
        assertThat(tls.getServerConfig().getUsername()).isEqualTo("user");
        assertThat(tls.getTransportStrategy()).isEqualTo(TransportStrategy.SMTP_TLS);
        assertThat(plain.getTransportStrategy()).isEqualTo(TransportStrategy.SMTP);
        assertThat(plain.getSession().getProperty("mail.smtp.starttls.enable")).isEqualTo("false");
        assertThat(implicit.getTransportStrategy()).isEqualTo(TransportStrategy.SMTPS);
    }
}
