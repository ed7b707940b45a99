package com.polydebate.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** Lenient query parameters (§1): unparseable integers take the default, then are clamped. */
public final class QueryParams {
    private QueryParams() {
    }

    public static int clampedInt(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        int value = fallback;
        if (raw != null) {
            try {
                value = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                value = fallback;
            }
        }
        return Math.max(min, Math.min(max, value));
    }

    public static boolean bool(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw != null && raw.trim().toLowerCase(Locale.ROOT).equals("true");
    }

    public static Optional<String> text(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.trim());
    }
}
