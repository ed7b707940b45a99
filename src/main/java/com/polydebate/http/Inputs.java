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
}
