package com.polydebate.auth;

import com.polydebate.config.Config;
import java.time.Duration;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/** EMAIL_SERVICE=gmail or smtp: sends the code e-mail through simple-java-mail (§14.10). */
final class SmtpCodeMailer implements CodeMailer {
    private static final String GMAIL_HOST = "smtp.gmail.com";
    private static final int IMPLICIT_TLS_PORT = 465;

    private final Mailer mailer;
    private final EmailTemplates templates;
    private final String fromName;
    private final String fromAddress;

    private SmtpCodeMailer(Mailer mailer, EmailTemplates templates, Config config) {
        this.mailer = mailer;
        this.templates = templates;
        this.fromName = config.emailFromName();
        this.fromAddress = config.emailFromAddress();
    }

    static SmtpCodeMailer gmail(Config config, EmailTemplates templates, Duration timeout) {
        TransportStrategy strategy = config.smtpPort() == IMPLICIT_TLS_PORT ? TransportStrategy.SMTPS
                : TransportStrategy.SMTP_TLS;
        Mailer mailer = MailerBuilder
                .withSMTPServer(GMAIL_HOST, config.smtpPort(), config.gmailUser().orElseThrow(),
                        config.gmailAppPassword().orElseThrow())
                .withTransportStrategy(strategy)
                .withSessionTimeout(Math.toIntExact(timeout.toMillis()))
                .withDebugLogging(false)
                .buildMailer();
        return new SmtpCodeMailer(mailer, templates, config);
    }

    static SmtpCodeMailer smtp(Config config, EmailTemplates templates, Duration timeout) {
        TransportStrategy strategy;
        // Port 465 only speaks implicit TLS, so it gets SMTPS whatever SMTP_USE_TLS says.
        if (config.smtpPort() == IMPLICIT_TLS_PORT) {
            strategy = TransportStrategy.SMTPS;
        } else if (config.smtpUseTls()) {
            strategy = TransportStrategy.SMTP_TLS;
        } else {
            strategy = TransportStrategy.SMTP;
        }
        var builder = MailerBuilder
                .withSMTPServer(config.smtpHost(), config.smtpPort(), config.smtpUsername().orElse(null),
                        config.smtpPassword().orElse(null))
                .withTransportStrategy(strategy)
                .withSessionTimeout(Math.toIntExact(timeout.toMillis()))
                .withDebugLogging(false);
        if (strategy == TransportStrategy.SMTP) {
            // SMTP_USE_TLS=false means plain SMTP; simple-java-mail would otherwise try STARTTLS opportunistically.
            builder = builder.withProperty("mail.smtp.starttls.enable", "false");
        }
        return new SmtpCodeMailer(builder.buildMailer(), templates, config);
    }

    Mailer mailer() {
        return mailer;
    }

    @Override
    public void send(CodeMail mail) {
        EmailTemplates.Rendered rendered = templates.render(mail);
        try {
            Email email = EmailBuilder.startingBlank()
                    .from(fromName, fromAddress)
                    .to(mail.name(), mail.recipient())
                    .withSubject(rendered.subject())
                    .withPlainText(rendered.text())
                    .withHTMLText(rendered.html())
                    .buildEmail();
            mailer.sendMail(email).join();
        } catch (RuntimeException e) {
            // Only type names and the root message, no cause: library messages may quote the e-mail and its code.
            throw new MailDeliveryException("Sending the e-mail to " + mail.recipient() + " failed: "
                    + e.getClass().getSimpleName() + describe(e), null);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
