package com.polydebate.http;

import com.polydebate.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Headers every response carries: this API serves JSON, audio and images that no page may frame, sniff into
 * another type or use to leak a referrer. Pages that need more (the Swagger UI) widen the policy themselves.
 */
final class SecurityHeaders {
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, String> headers = new LinkedHashMap<>();

    SecurityHeaders(Config config) {
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", API_POLICY);
        if (config.isProduction()) {
            headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }

    void apply(BiConsumer<String, String> setHeader) {
        headers.forEach(setHeader);
    }
}
