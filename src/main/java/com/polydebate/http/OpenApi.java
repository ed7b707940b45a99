package com.polydebate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The hand-written OpenAPI 3.1 document, assembled at start-up from {@code openapi/base.json} and one
 * fragment per feature ({@code openapi/{feature}.json}, each with {@code paths} and optional
 * {@code components.schemas}), so features document themselves without editing a shared file.
 */
public final class OpenApi {
    private final ObjectMapper mapper;
    private final List<String> features;
    /** Assembled at the first request rather than at start-up, where it cost ~30 ms for a document few read. */
    private volatile byte[] document;

    public OpenApi(ObjectMapper mapper, List<String> features) {
        this.mapper = mapper;
        this.features = List.copyOf(features);
    }

    public byte[] document() {
        byte[] assembled = document;
        if (assembled == null) {
            assembled = assemble();
            document = assembled;
        }
        return assembled.clone();
    }

    private byte[] assemble() {
        ObjectNode root = (ObjectNode) read(mapper, "openapi/base.json");
        ObjectNode paths = root.withObject("/paths");
        ObjectNode schemas = root.withObject("/components").withObject("/schemas");
        for (String feature : features) {
            JsonNode fragment = read(mapper, "openapi/" + feature + ".json");
            merge(paths, fragment.path("paths"));
            merge(schemas, fragment.path("components").path("schemas"));
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode target, JsonNode source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (target.has(entry.getKey()) && target.get(entry.getKey()).isObject() && entry.getValue().isObject()) {
                ((ObjectNode) target.get(entry.getKey())).setAll((ObjectNode) entry.getValue());
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        }
    }

    private static JsonNode read(ObjectMapper mapper, String resource) {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing OpenAPI resource " + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
