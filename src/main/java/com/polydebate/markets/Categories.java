package com.polydebate.markets;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.models.ModelNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Category display names from Gamma tags (§6.10) and the requested-slug → Gamma tag_slug map (§6.6). */
final class Categories {
    private static final List<Map.Entry<String, String>> PRIORITY = List.of(
            Map.entry("breaking", "Breaking"),
            Map.entry("trending", "Trending"));
    private static final List<Map.Entry<String, String>> KEYS = List.of(
            Map.entry("crypto", "Crypto"),
            Map.entry("politics", "Politics"),
            Map.entry("sports", "Sports"),
            Map.entry("science", "Science"),
            Map.entry("pop-culture", "Culture"),
            Map.entry("business", "Business"),
            Map.entry("technology", "Technology"),
            Map.entry("finance", "Finance"),
            Map.entry("ai", "AI"),
            Map.entry("world", "World"),
            Map.entry("geopolitics", "Geopolitics"),
            Map.entry("global-elections", "Elections"),
            Map.entry("economy", "Economy"),
            Map.entry("earnings", "Earnings"));
    private static final Map<String, String> TAG_SLUGS = Map.ofEntries(
            Map.entry("politics", "politics"),
            Map.entry("sports", "sports"),
            Map.entry("crypto", "crypto"),
            Map.entry("business", "business"),
            Map.entry("science", "science"),
            Map.entry("technology", "tech"),
            Map.entry("tech", "tech"),
            Map.entry("finance", "finance"),
            Map.entry("ai", "ai"),
            Map.entry("world", "world"),
            Map.entry("geopolitics", "geopolitics"),
            Map.entry("global-elections", "global-elections"),
            Map.entry("elections", "global-elections"),
            Map.entry("economy", "economy"),
            Map.entry("earnings", "earnings"),
            Map.entry("culture", "pop-culture"),
            Map.entry("pop-culture", "pop-culture"),
            Map.entry("activity", "more"));

    private record Tag(String label, String slug) {
        boolean matches(String key) {
            return label.contains(key) || slug.contains(key);
        }
    }

    private Categories() {
    }

    /** The Gamma tag_slug for a requested category slug, case-insensitively; empty for unknown slugs. */
    static Optional<String> tagSlug(String requested) {
        return Optional.ofNullable(TAG_SLUGS.get(requested.toLowerCase(Locale.ROOT)));
    }

    /** Never null: "Other" when there is nothing to go on. */
    static String displayName(JsonNode tags) {
        List<Tag> parsed = new ArrayList<>();
        if (tags != null && tags.isArray()) {
            for (JsonNode tag : tags) {
                String label;
                String slug;
                if (tag.isTextual()) {
                    label = tag.asText();
                    slug = tag.asText();
                } else if (tag.isObject()) {
                    label = GammaJson.text(tag.path("label")).orElse("");
                    slug = GammaJson.text(tag.path("slug")).orElse("");
                } else {
                    continue;
                }
                parsed.add(new Tag(label.toLowerCase(Locale.ROOT), slug.toLowerCase(Locale.ROOT)));
            }
        }
        if (parsed.isEmpty()) {
            return "Other";
        }
        String firstLabel = parsed.get(0).label();
        return firstMatch(parsed, PRIORITY)
                .or(() -> firstMatch(parsed, KEYS))
                .orElseGet(() -> firstLabel.isBlank() ? "Other" : ModelNames.titleCase(firstLabel));
    }

    private static Optional<String> firstMatch(List<Tag> tags, List<Map.Entry<String, String>> keys) {
        for (Tag tag : tags) {
            for (Map.Entry<String, String> key : keys) {
                if (tag.matches(key.getKey())) {
                    return Optional.of(key.getValue());
                }
            }
        }
        return Optional.empty();
    }
}
