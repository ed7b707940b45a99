package com.polydebate.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Rejects signing keys a person typed rather than generated: too few distinct characters, a repeated
 * unit ("abcabc…") or too little information by the character distribution. A hex or base64 key from
 * {@code openssl rand} of 32+ characters passes; {@code "a" × 40} or a word repeated does not.
 */
final class SecretStrength {
    private static final int MIN_DISTINCT = 10;
    private static final double MIN_BITS = 96;

    private SecretStrength() {
    }

    static boolean isWeak(String secret) {
        return distinct(secret) < MIN_DISTINCT || isRepetition(secret) || shannonBits(secret) < MIN_BITS;
    }

    private static long distinct(String secret) {
        return secret.chars().distinct().count();
    }

    /** True when the secret is one shorter unit written out two or more times (a trailing partial unit allowed). */
    private static boolean isRepetition(String secret) {
        int length = secret.length();
        for (int period = 1; period <= length / 2; period++) {
            boolean repeats = true;
            for (int i = period; i < length && repeats; i++) {
                repeats = secret.charAt(i) == secret.charAt(i - period);
            }
            if (repeats) {
                return true;
            }
        }
        return false;
    }

    /** Length × the Shannon entropy of the character distribution: an upper bound of the key's information. */
    private static double shannonBits(String secret) {
        Map<Integer, Integer> counts = new HashMap<>();
        secret.chars().forEach(c -> counts.merge(c, 1, Integer::sum));
        double bitsPerChar = 0;
        for (int count : counts.values()) {
            double p = (double) count / secret.length();
            bitsPerChar -= p * Math.log(p) / Math.log(2);
        }
        return bitsPerChar * secret.length();
    }
}
