package com.polydebate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/** Typed reads of JSON body fields: a present field of the wrong type is a 400, never a 500. */
public final class Inputs {
    private Inputs() {
    }

    /** The string value of {@code field}; empty when absent or null; 400 validation_error when not a string. */
    public static Optional<String> text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.validation(Map.of(field, "must be a string"));
        }
        return Optional.of(node.asText());
    }

    /**
     * The trimmed string value of {@code field}; empty when absent, null or blank; 400 validation_error when not a
     * string or longer than {@code maxLength}.
     */
    public static Optional<String> trimmed(ObjectNode body, String field, int maxLength) {
        Optional<String> value = text(body, field).map(String::trim);
        if (value.isPresent() && value.get().length() > maxLength) {
            throw ApiException.validation(Map.of(field, "must be at most " + maxLength + " characters"));
        }
        return value.filter(v -> !v.isEmpty());
    }

    /**
     * Lenient like a query parameter (§1): an integer number or a string holding one is used, anything else takes
     * {@code fallback}; then the value is clamped to min..max.
     */
    public static int clampedInt(ObjectNode body, String field, int fallback, int min, int max) {
        JsonNode node = body.get(field);
        String raw = node != null && (node.isIntegralNumber() || node.isTextual()) ? node.asText() : null;
        return QueryParams.clamped(raw, fallback, min, max);
    }
}
