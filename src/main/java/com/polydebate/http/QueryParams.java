package com.polydebate.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Lenient query parameters (§1): unparseable integers take the default, then are clamped. */
public final class QueryParams {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private QueryParams() {
    }

    public static int clampedInt(Context ctx, String name, int fallback, int min, int max) {
        return clamped(ctx.queryParam(name), fallback, min, max);
    }

    /** The integer in {@code raw} (null when absent), or {@code fallback} when it holds none, clamped to min..max. */
    static int clamped(String raw, int fallback, int min, int max) {
        long value = fallback;
        if (raw != null) {
            try {
                value = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                // A well-formed integer beyond the long range is still an integer: clamp it to its side.
                value = INTEGER.matcher(raw.trim()).matches() ? (raw.trim().startsWith("-") ? min : max) : fallback;
            }
        }
        return (int) Math.max(min, Math.min(max, value));
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
