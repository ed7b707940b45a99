package com.polydebate.auth;

import com.polydebate.config.Config.CodeType;
import java.security.SecureRandom;
import java.util.Locale;

/** One-time codes of CODE_LENGTH characters of CODE_TYPE from a cryptographically secure source (§14.8). */
final class CodeGenerator {
    private static final String DIGITS = "0123456789";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final SecureRandom random;
    private final int length;
    private final CodeType type;

    CodeGenerator(SecureRandom random, int length, CodeType type) {
        this.random = random;
        this.length = length;
        this.type = type;
    }

    String next() {
        String alphabet = type == CodeType.ALPHANUMERIC ? ALPHANUMERIC : DIGITS;
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return code.toString();
    }

    /** The submitted code in the form it was generated in: alphanumeric codes are compared upper-cased. */
    String canonical(String submitted) {
        String trimmed = submitted.trim();
        return type == CodeType.ALPHANUMERIC ? trimmed.toUpperCase(Locale.ROOT) : trimmed;
    }
}
