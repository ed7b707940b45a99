package com.polydebate.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** E-mail normalisation and syntax check of §14.8: one place, so lookups, storage and rate-limit keys agree. */
public final class EmailAddresses {
    private static final int MAX_LENGTH = 255;

    // Dot-atom local part and a dotted domain of LDH labels: what real mailboxes use, no quoted forms.
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private EmailAddresses() {
    }

    /** Trimmed and lower-cased. */
    public static String normalise(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The normalised address of a required e-mail field; empty, with the problem recorded under {@code email} as a
     * sentence for the sign-in forms, when it is missing or invalid.
     */
    public static Optional<String> check(Optional<String> raw, Map<String, String> problems) {
        if (raw.isEmpty() || raw.get().isBlank()) {
            problems.put("email", "Email is required");
            return Optional.empty();
        }
        Optional<String> email = parse(raw.get());
        if (email.isEmpty()) {
            problems.put("email", "Enter a valid email address");
        }
        return email;
    }

    /** The normalised address when it is syntactically valid and at most 255 characters long. */
    public static Optional<String> parse(String raw) {
        String email = normalise(raw);
        if (email.isEmpty() || email.length() > MAX_LENGTH || email.indexOf('@') > 64
                || !ADDRESS.matcher(email).matches()) {
            return Optional.empty();
        }
        return Optional.of(email);
    }
}
