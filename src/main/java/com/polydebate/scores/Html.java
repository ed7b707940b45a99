package com.polydebate.scores;

import java.util.Locale;

/** Escaping and number formatting shared by the leaderboard page and the diagram. */
final class Html {
    private Html() {
    }

    /** Text safe in element content and in quoted attribute values (HTML and SVG alike). */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters are not allowed in XML (the diagram is XML); they carry nothing here.
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A number with {@code decimals} decimals (dot, no grouping), or an en dash for none. */
    static String number(Double value, int decimals) {
        return value == null ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Coordinates for SVG attributes: one decimal is plenty at this size. */
    static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
