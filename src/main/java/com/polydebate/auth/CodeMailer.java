package com.polydebate.auth;

import com.polydebate.config.Config;
import java.time.Duration;

/** Delivers a one-time code (§14.10). Implementations: SMTP (gmail / smtp) and console. */
public interface CodeMailer {
    /** The SMTP connect/read/write timeout of §14.10. */
    Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /** Delivers the message or throws {@link MailDeliveryException}. */
    void send(CodeMail mail);

    /** The mailer selected by EMAIL_SERVICE. */
    static CodeMailer fromConfig(Config config) {
        return fromConfig(config, SEND_TIMEOUT);
    }

    static CodeMailer fromConfig(Config config, Duration timeout) {
        EmailTemplates templates = new EmailTemplates(config);
        return switch (config.emailService()) {
            case CONSOLE -> new ConsoleCodeMailer();
            case GMAIL -> SmtpCodeMailer.gmail(config, templates, timeout);
            case SMTP -> SmtpCodeMailer.smtp(config, templates, timeout);
        };
    }

    /** What to send: a sign-up or log-in code for one recipient. */
    record CodeMail(Kind kind, String recipient, String name, String code, int expiryMinutes) {
        public enum Kind { SIGNUP, LOGIN }

        @Override
        public String toString() {
            return "CodeMail[" + kind + " to " + recipient + "]";
        }
    }

    /** The message could not be handed to the mail server. Its message never contains the code. */
    final class MailDeliveryException extends RuntimeException {
        public MailDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
