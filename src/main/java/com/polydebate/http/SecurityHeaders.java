package com.polydebate.http;

import com.polydebate.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Headers every response carries: this API serves JSON, audio and images that no page may frame, sniff into
 * another type or use to leak a referrer. Pages that need more (the Swagger UI) widen the policy themselves.
 */
final class SecurityHeaders {
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, String> headers = new LinkedHashMap<>();
    /**
     * The same headers plus the defaults every API answer starts with (no caching, varies by origin), encoded once:
     * a route that needs another value sets the header again, which replaces these.
     */
    private final List<PreEncodedHttpField> encoded = new ArrayList<>();

    SecurityHeaders(Config config) {
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", API_POLICY);
        if (config.isProduction()) {
            headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        encoded.add(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store"));
        encoded.add(new PreEncodedHttpField(HttpHeader.VARY, "Origin"));
        headers.forEach((name, value) -> encoded.add(new PreEncodedHttpField(HttpHeader.CACHE.get(name), name, value)));
    }

    void apply(BiConsumer<String, String> setHeader) {
        headers.forEach(setHeader);
    }

    /** Adds the security headers, {@code Cache-Control: no-store} and {@code Vary: Origin} to a fresh response. */
    void addTo(HttpFields.Mutable response) {
        for (PreEncodedHttpField field : encoded) {
            response.add(field);
        }
    }
}
