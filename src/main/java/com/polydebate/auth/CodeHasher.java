package com.polydebate.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes verification codes for storage. The contract suggests bcrypt; a keyed HMAC-SHA-256 is used
 * instead (accepted for issue 3, no extra dependency): a 6-digit code has only 10^6 values, so any unkeyed
 * hash — bcrypt included — is brute-forced quickly from a leaked table, while an HMAC needs the server key,
 * which never reaches the database. The key is derived from JWT_SECRET_KEY with a fixed label, so the
 * session key itself is never used directly for codes. The code is bound to its e-mail and purpose, so a
 * hash cannot be replayed on another row.
 */
final class CodeHasher {
    private static final String ALGORITHM = "HmacSHA256";
    private static final String KEY_LABEL = "polydebate/verification-code-key/v1";

    private final SecretKeySpec key;

    CodeHasher(String jwtSecret) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(jwtSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM),
                KEY_LABEL), ALGORITHM);
    }

    String hash(CodePurpose purpose, String email, String code) {
        return Base64.getEncoder().encodeToString(hmac(key, purpose.dbValue() + "\n" + email + "\n" + code));
    }

    /** Constant-time comparison of a submitted code with a stored hash. */
    boolean matches(String storedHash, CodePurpose purpose, String email, String code) {
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                hash(purpose, email, code).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
