package com.polydebate.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** EMAIL_SERVICE=console: the code goes to the log at INFO (development only; warned about in production). */
final class ConsoleCodeMailer implements CodeMailer {
    private static final Logger log = LoggerFactory.getLogger(ConsoleCodeMailer.class);

    @Override
    public void send(CodeMail mail) {
        log.info("Verification e-mail (console mode) to {}: subject \"{}\", code {}, valid {} minutes",
                mail.recipient(), mail.kind() == CodeMail.Kind.SIGNUP ? "confirm your email" : "your login code",
                mail.code(), mail.expiryMinutes());
    }
}
