package com.polydebate.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * An unused row of {@code verification_codes}; the code itself is never stored, only its hash.
 * {@code attempts} counts the guesses made at it so far.
 */
record VerificationCode(long id, String email, Optional<String> name, String codeHash, Instant expiresAt,
                        int attempts) {
}
