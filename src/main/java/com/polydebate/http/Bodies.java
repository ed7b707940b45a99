package com.polydebate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/** Reads JSON request bodies within the 64 KiB limit of §1. */
public final class Bodies {
    public static final int MAX_JSON_BYTES = 64 * 1024;

    private final ObjectMapper mapper;
    /**
     * Rejects text after the object ({"a":1}} is not JSON), which the mapper's readTree silently drops.
     * NaN and Infinity are read (not a parse error) only so that they can be refused by field, like 1e999.
     */
    private final ObjectReader reader;

    public Bodies(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
    }

    /** The body as a JSON object; 400 invalid_json when it is missing, malformed or not an object. */
    public ObjectNode object(Context ctx) {
        JsonNode node = parse(ctx);
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The body as a JSON object, or an empty object when there is no body at all (optional bodies). */
    public ObjectNode objectOrEmpty(Context ctx) {
        byte[] raw = read(ctx);
        if (new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return mapper.createObjectNode();
        }
        JsonNode node = parseBytes(raw);
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private JsonNode parse(Context ctx) {
        byte[] raw = read(ctx);
        if (raw.length == 0) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object");
        }
        return parseBytes(raw);
    }

    private JsonNode parseBytes(byte[] raw) {
        try {
            JsonNode node = reader.readTree(raw);
            rejectNonFinite(node, "");
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_json", "The request body is not valid JSON");
        } catch (IOException e) {
            throw new ApiException(400, "invalid_json", "The request body could not be read");
        }
    }

    /**
     * A number JSON can write but no field can hold (1e999 reads as Infinity, and NaN or Infinity literals) is
     * a 400 validation_error naming the field, before any handler converts it.
     */
    private static void rejectNonFinite(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
            String field = path.isEmpty() ? "body" : path;
            throw ApiException.validation(Map.of(field, "must be a finite number"));
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                rejectNonFinite(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNonFinite(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_JSON_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] raw = in.readNBytes(MAX_JSON_BYTES + 1);
            if (raw.length > MAX_JSON_BYTES) {
                throw tooLarge();
            }
            return raw;
        } catch (IOException e) {
            throw new ApiException(400, "invalid_json", "The request body could not be read");
        }
    }

    static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "The request body is too large (at most 64 KiB of JSON)");
    }
}
